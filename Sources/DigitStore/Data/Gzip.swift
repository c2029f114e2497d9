import CZlib
import DigitFiles

/// Decompresses a whole gzip (or zlib) stream held in memory.
///
/// A gzip file may hold several members one after another (RFC 1952 §2.2): their contents
/// are concatenated. Throws `FileError` naming `name` when the stream is corrupt or
/// truncated, when bytes that do not start another gzip member follow it, or when it would
/// inflate to more than `limit` bytes (a decompression bomb).
package func gunzip(_ compressed: [UInt8], name: String, limit: Int = 1 << 30) throws -> [UInt8] {
    var stream = z_stream()
    // 15 window bits + 32: detect gzip or zlib headers automatically.
    guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw FileError(path: name, reason: "zlib could not start inflating")
    }
    defer { inflateEnd(&stream) }
    var output = [UInt8]()
    output.reserveCapacity(min(limit, max(compressed.count * 4, 1 << 16)))
    // 64 KiB per inflate call: the calls cost nothing next to inflating, and a small file
    // does not pay for zeroing a large scratch buffer.
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    try compressed.withUnsafeBufferPointer { input in
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = uInt(input.count)
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.avail_out)
            guard status == Z_OK || status == Z_STREAM_END || (status == Z_BUF_ERROR && produced > 0) else {
                if status == Z_BUF_ERROR { throw FileError(path: name, reason: "truncated gzip stream") }
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw FileError(path: name, reason: "corrupt gzip stream (\(message))")
            }
            guard output.count + produced <= limit else {
                throw FileError(path: name, reason: "inflates to more than \(limit) bytes")
            }
            output.append(contentsOf: chunk[0..<produced])
            guard status == Z_STREAM_END else { continue }
            let rest = input.suffix(Int(stream.avail_in))
            if rest.isEmpty { break }
            guard isGzip(Array(rest.prefix(2))) else {
                throw FileError(path: name, reason: "\(rest.count) unexpected bytes after the gzip stream")
            }
            inflateReset(&stream)
        }
    }
    return output
}

/// True when `bytes` start with the gzip magic number.
func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
}

/// CRC-32 (the zlib / PNG polynomial) of `bytes`.
package func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var crc = CZlib.crc32(0, nil, 0)
    var offset = 0
    // zlib's length parameter is 32-bit: feed large buffers in slices.
    while offset < bytes.count {
        let n = min(bytes.count - offset, 1 << 30)
        crc = CZlib.crc32(crc, bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: Bytef.self), uInt(n))
        offset += n
    }
    return UInt32(crc)
}
