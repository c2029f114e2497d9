
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole files so that a reader, or a crash, never sees half of one.
///
/// The bytes go to a temporary file in the destination's folder, are flushed to disk
/// with `fsync`, and the temporary file is renamed over the destination. On any
/// failure the temporary file is removed and the previous file is left intact.
package enum AtomicFile {
    /// Replaces `path` with `bytes`. Throws `FileError` naming `path` and the cause.
    package static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
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
    package static func write(text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
