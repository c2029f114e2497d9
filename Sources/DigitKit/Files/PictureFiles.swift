import DigitFiles
import DigitImage
import Foundation

/// One picture named by a list of paths, or why it cannot be read.
public struct PictureFile: Sendable {
    /// The path's bytes as the file system holds them (not necessarily UTF-8).
    package let path: RawPath
    /// Set when the file was already found unreadable while collecting.
    public let error: FileError?

    /// The path as printed: bytes that are not UTF-8 appear as `\xNN`.
    public var name: String { path.displayName }

    /// The decoded picture (PNG or JPEG, upright, 8-bit gray), or the one-line error naming the file.
    public func decoded() -> Result<GrayImage, FileError> {
        if let error { return .failure(error) }
        return Result { try decodePicture(file: path) }.mapError { $0 as? FileError ?? FileError(path: name, reason: "\($0)") }
    }
}

/// The pictures named by a list of paths (`digit classify`'s arguments): files as given, folders expanded to the
/// `.png`, `.jpg` and `.jpeg` files (any case) inside them (all levels below with
/// `recursive`), in sorted path order.
///
/// Folders are listed with `readdir`, so names that are not UTF-8 are kept byte for byte
/// and still open. Walking never follows a symbolic link to a folder twice (link loops
/// end), and a folder that cannot be listed is reported as that folder's error.
public struct PictureFiles: Sendable {
    public private(set) var entries: [PictureFile] = []

    /// The pictures at `paths`: a path that cannot be opened, or a folder that cannot be
    /// listed, is an entry holding its error.
    public init(paths: [String], recursive: Bool) {
        self.init(rawPaths: paths.map(RawPath.init), recursive: recursive)
    }

    /// The pictures at paths given as the file system's bytes.
    package init(rawPaths: [RawPath], recursive: Bool) {
        var visited = Set<FileIdentity>()
        var collected: [PictureFile] = []
        for path in rawPaths {
            guard let info = Self.status(path) else {
                collected.append(PictureFile(path: path, error: FileError.posix(path: path.displayName, "cannot open")))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                Self.walk(path, recursive: recursive, visited: &visited, into: &collected)
            } else {
                collected.append(PictureFile(path: path, error: nil))
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
                             into collected: inout [PictureFile]) {
        guard let info = status(folder),
              visited.insert(FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted
        else { return }
        guard let names = names(in: folder) else {
            collected.append(PictureFile(path: folder, error: FileError.posix(path: folder.displayName, "cannot list folder")))
            return
        }
        for name in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let path = folder.appending(name)
            let isPicture = [".png", ".jpg", ".jpeg"].contains { path.hasSuffix(ignoringCase: $0) }
            guard let entry = status(path) else {
                if isPicture {
                    collected.append(PictureFile(path: path, error: FileError.posix(path: path.displayName, "cannot open")))
                }
                continue
            }
            if (entry.st_mode & S_IFMT) == S_IFDIR {
                if recursive { walk(path, recursive: true, visited: &visited, into: &collected) }
            } else if isPicture {
                collected.append(PictureFile(path: path, error: nil))
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
    public mutating func keepShard(_ index: Int, of count: Int) {
        entries = entries.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}
