#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to read or write a file, with the path and the reason.
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The error for the current `errno`, e.g. "No such file or directory".
    public static func posix(path: String, _ what: String, errno code: Int32 = errno) -> FileError {
        FileError(path: path, reason: "\(what): \(String(cString: strerror(code)))")
    }

    public var description: String { "\(path): \(reason)" }
}

/// Writes whole files so that a reader, or a crash, never sees half of one.
///
/// The bytes go to a temporary file in the destination's folder, are flushed to disk
/// with `fsync`, and the temporary file is renamed over the destination. On any
/// failure the temporary file is removed and the previous file is left intact.
public enum AtomicFile {
    /// Replaces `path` with `bytes`. Throws `FileError` naming `path` and the cause.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        let dir = directory(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        // O_EXCL with a random name, rather than mkstemp, so the file gets the usual
        // 0666-minus-umask permissions without touching the process-wide umask.
        var fd: Int32 = -1
        var tempPath = ""
        for _ in 0..<16 {
            tempPath = "\(dir)/.\(base).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
            fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw FileError.posix(path: path, "cannot create a file in \(dir)") }
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        do {
            defer { close(fd) }
            let contiguous = Array(bytes)
            var offset = 0
            while offset < contiguous.count {
                let n = contiguous.withUnsafeBytes { raw in
                    systemWrite(fd, raw.baseAddress! + offset, contiguous.count - offset)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileError.posix(path: path, "cannot write")
                }
                offset += n
            }
            guard fsync(fd) == 0 else { throw FileError.posix(path: path, "cannot flush to disk") }
        }
        guard rename(tempPath, path) == 0 else { throw FileError.posix(path: path, "cannot replace") }
        ok = true
        let dirFD = open(dir, O_RDONLY)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// Replaces `path` with the UTF-8 bytes of `text`.
    public static func write(text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}

/// Reads a whole regular file, refusing directories and files larger than `limit` bytes.
public func readFile(_ path: String, limit: Int = 1 << 30) throws -> [UInt8] {
    try readFile(RawPath(path), limit: limit)
}

/// Reads a whole regular file named by raw bytes; errors name `file.displayName`.
public func readFile(_ file: RawPath, limit: Int = 1 << 30) throws -> [UInt8] {
    let path = file.displayName
    // O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore it.
    let fd = file.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
    guard fd >= 0 else { throw FileError.posix(path: path, "cannot open") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileError.posix(path: path, "cannot stat") }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError(path: path, reason: "is a directory, not a file") }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileError(path: path, reason: "is not a regular file") }
    let size = Int(info.st_size)
    guard size <= limit else {
        throw FileError(path: path, reason: "is \(size) bytes, more than the limit of \(limit) bytes")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var offset = 0
    while offset < size {
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, size - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileError.posix(path: path, "cannot read")
        }
        if n == 0 { break }
        offset += n
    }
    if offset < size { bytes.removeLast(size - offset) }
    return bytes
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
