
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

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The error for the current `errno`, e.g. "No such file or directory".
    package static func posix(path: String, _ what: String, errno code: Int32 = errno) -> FileError {
        FileError(path: path, reason: "\(what): \(String(cString: strerror(code)))")
    }

    public var description: String { "\(path): \(reason)" }
}
