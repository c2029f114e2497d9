
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong with a file (or with data named like one, such as `dataset`): the one
/// error shape of the project's files, printed as `path: reason`, e.g.
/// `m.digitmodel: not a digit model file (bad magic)`.
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let reason: String
    /// True when the file was refused only for its size (bytes, or pixels its header declares),
    /// not for damage: a server answers 413 rather than 400.
    public let isOverLimit: Bool

    public init(path: String, reason: String, isOverLimit: Bool = false) {
        self.path = path
        self.reason = reason
        self.isOverLimit = isOverLimit
    }

    /// The error for the current `errno`, e.g. "No such file or directory".
    package static func posix(path: String, _ what: String, errno code: Int32 = errno) -> FileError {
        FileError(path: path, reason: "\(what): \(String(cString: strerror(code)))")
    }

    public var description: String { "\(path): \(reason)" }
}
