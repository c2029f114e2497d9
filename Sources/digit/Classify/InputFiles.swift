import DigitKit
import Foundation

/// The PNG files named by `classify`'s arguments: files as given, folders expanded to
/// the `.png` files inside them (all levels below with `recursive`), in sorted path order.
///
/// Walking never follows a symbolic link to a folder twice (link loops end), and a
/// folder that cannot be listed is reported as that folder's error, not a crash.
struct InputFiles {
    /// Each entry is a path to classify, or a path that failed with its error.
    private(set) var entries: [(path: String, error: String?)] = []

    init(arguments: [String], recursive: Bool) {
        var visited = Set<FileIdentity>()
        var collected: [(String, String?)] = []
        for argument in arguments {
            var info = stat()
            guard stat(argument, &info) == 0 else {
                collected.append((argument, FileError.posix(path: argument, "cannot open").description))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                Self.walk(argument, recursive: recursive, visited: &visited, into: &collected)
            } else {
                collected.append((argument, nil))
            }
        }
        entries = collected.sorted { $0.0 < $1.0 }
    }

    private struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private static func walk(_ folder: String, recursive: Bool, visited: inout Set<FileIdentity>,
                             into collected: inout [(String, String?)]) {
        var info = stat()
        guard stat(folder, &info) == 0 else { return }
        guard visited.insert(FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted else { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            collected.append((folder, FileError.posix(path: folder, "cannot list folder").description))
            return
        }
        for name in names.sorted() {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var entry = stat()
            guard stat(path, &entry) == 0 else {
                if name.lowercased().hasSuffix(".png") {
                    collected.append((path, FileError.posix(path: path, "cannot open").description))
                }
                continue
            }
            if (entry.st_mode & S_IFMT) == S_IFDIR {
                if recursive { walk(path, recursive: true, visited: &visited, into: &collected) }
            } else if name.lowercased().hasSuffix(".png") {
                collected.append((path, nil))
            }
        }
    }

    /// Only the `index`-th (1-based) of `count` interleaved slices, so N machines that
    /// each take one slice cover every file exactly once.
    mutating func keepShard(_ index: Int, of count: Int) {
        entries = entries.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}
