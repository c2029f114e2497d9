import DigitFiles
import DigitImage
import DigitKit
import Foundation

/// One picture named by the arguments, or why it cannot be read.
struct InputFile {
    /// The path's bytes as the file system holds them (not necessarily UTF-8).
    let path: RawPath
    /// Set when the file was already found unreadable while collecting.
    let error: FileError?

    /// The path as printed: invalid UTF-8 bytes appear as `\xNN`.
    var name: String { path.displayName }

    /// The decoded picture, or the one-line error naming the file.
    func decoded() -> Result<GrayImage, FileError> {
        if let error { return .failure(error) }
        do {
            return .success(try decodePicture(file: path))
        } catch {
            return .failure(error as? FileError ?? FileError(path: name, reason: "\(error)"))
        }
    }
}

/// The pictures named by `classify`'s arguments: files as given, folders expanded to the
/// `.png`, `.jpg` and `.jpeg` files (any case) inside them (all levels below with
/// `recursive`), in sorted path order.
///
/// Folders are listed with `readdir`, so names that are not UTF-8 are kept byte for byte
/// and still open. Walking never follows a symbolic link to a folder twice (link loops
/// end), and a folder that cannot be listed is reported as that folder's error.
struct InputFiles {
    private(set) var entries: [InputFile] = []

    init(arguments: [String], recursive: Bool) {
        var visited = Set<FileIdentity>()
        var collected: [InputFile] = []
        for argument in arguments {
            let path = RawPath(commandLineArgument: argument)
            guard let info = Self.status(path) else {
                collected.append(InputFile(path: path, error: FileError.posix(path: path.displayName, "cannot open")))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                Self.walk(path, recursive: recursive, visited: &visited, into: &collected)
            } else {
                collected.append(InputFile(path: path, error: nil))
            }
        }
        entries = collected.sorted { $0.path < $1.path }
    }

    private struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// `stat` (following links), or nil when it fails.
    private static func status(_ path: RawPath) -> stat? {
        var info = stat()
        return path.withCString { stat($0, &info) } == 0 ? info : nil
    }

    private static func walk(_ folder: RawPath, recursive: Bool, visited: inout Set<FileIdentity>,
                             into collected: inout [InputFile]) {
        guard let info = status(folder),
              visited.insert(FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted
        else { return }
        guard let names = names(in: folder) else {
            collected.append(InputFile(path: folder, error: FileError.posix(path: folder.displayName, "cannot list folder")))
            return
        }
        for name in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let path = folder.appending(name)
            let isPicture = [".png", ".jpg", ".jpeg"].contains { path.hasSuffix(ignoringCase: $0) }
            guard let entry = status(path) else {
                if isPicture {
                    collected.append(InputFile(path: path, error: FileError.posix(path: path.displayName, "cannot open")))
                }
                continue
            }
            if (entry.st_mode & S_IFMT) == S_IFDIR {
                if recursive { walk(path, recursive: true, visited: &visited, into: &collected) }
            } else if isPicture {
                collected.append(InputFile(path: path, error: nil))
            }
        }
    }

    /// The entries of `folder` other than `.` and `..`, as raw bytes; nil (with `errno` set)
    /// when it cannot be listed.
    private static func names(in folder: RawPath) -> [[UInt8]]? {
        guard let stream = folder.withCString({ opendir($0) }) else { return nil }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        errno = 0
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        return errno == 0 ? names : nil
    }

    /// Only the `index`-th (1-based) of `count` interleaved slices, so N machines that
    /// each take one slice cover every file exactly once.
    mutating func keepShard(_ index: Int, of count: Int) {
        entries = entries.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}

extension RawPath {
    /// The bytes the user gave for `argument`. `CommandLine.arguments` (and so every parsed
    /// argument) has bytes that are not UTF-8 replaced by U+FFFD; such an argument is looked
    /// up in the raw `argv` so the file it names still opens.
    init(commandLineArgument argument: String) {
        guard argument.unicodeScalars.contains("\u{FFFD}") else {
            self.init(argument)
            return
        }
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let raw = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
            if String(decoding: raw, as: UTF8.self) == argument {
                self.init(bytes: raw)
                return
            }
        }
        self.init(argument)
    }
}
