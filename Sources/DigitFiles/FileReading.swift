
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole regular file, refusing directories and files larger than `limit` bytes.
package func readFile(_ path: String, limit: Int = 1 << 30) throws -> [UInt8] {
    try readFile(RawPath(path), limit: limit)
}

/// Reads a whole regular file named by raw bytes; errors name `file.displayName`.
package func readFile(_ file: RawPath, limit: Int = 1 << 30) throws -> [UInt8] {
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
        throw FileError(path: path, reason: "is \(size) bytes, more than the limit of \(limit) bytes", isOverLimit: true)
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
