import DigitFiles

/// Reader for the IDX format MNIST is stored in (raw or gzip-compressed).
///
/// Layout: a big-endian magic `0x000008NN` where NN is the number of dimensions (3 for
/// images, 1 for labels), then one big-endian UInt32 per dimension, then the bytes.
package enum IDX {
    static let imagesMagic: UInt32 = 0x0000_0803
    static let labelsMagic: UInt32 = 0x0000_0801

    /// Reads an image file: `(count, rows, columns, pixels)` with `count*rows*columns` bytes.
    package static func readImages(path: String) throws -> (count: Int, rows: Int, columns: Int, pixels: [UInt8]) {
        try parseImages(readFile(path, limit: 1 << 30), name: path)
    }

    /// Parses an image file's bytes (raw or gzip-compressed) as `readImages` does; `name`
    /// only names the data in errors.
    package static func parseImages(_ file: [UInt8], name path: String) throws -> (count: Int, rows: Int, columns: Int, pixels: [UInt8]) {
        let bytes = try decompressed(file, name: path)
        let header = try parseHeader(bytes, path: path, magic: imagesMagic, kind: "image")
        let (count, rows, columns) = (header[0], header[1], header[2])
        guard rows > 0, columns > 0, rows <= 4096, columns <= 4096 else {
            throw FileError(path: path, reason: "implausible image size \(rows)x\(columns)")
        }
        let pixels = try payload(bytes, path: path, headerSize: 16, expected: count * rows * columns,
                                 what: "\(count) images of \(rows)x\(columns)")
        return (count, rows, columns, pixels)
    }

    /// Reads a label file: one byte per item.
    package static func readLabels(path: String) throws -> [UInt8] {
        try parseLabels(readFile(path, limit: 1 << 30), name: path)
    }

    /// Parses a label file's bytes (raw or gzip-compressed) as `readLabels` does; `name`
    /// only names the data in errors.
    package static func parseLabels(_ file: [UInt8], name path: String) throws -> [UInt8] {
        let bytes = try decompressed(file, name: path)
        let count = try parseHeader(bytes, path: path, magic: labelsMagic, kind: "label")[0]
        return try payload(bytes, path: path, headerSize: 8, expected: count, what: "\(count) labels")
    }

    /// `raw` inflated when it is gzip-compressed, else `raw`; a broken stream is a `FileError`
    /// like every other problem with the file.
    static func decompressed(_ raw: [UInt8], name: String) throws -> [UInt8] {
        guard isGzip(raw) else { return raw }
        do {
            return try gunzip(raw, name: name)
        } catch let error as FileError {
            throw FileError(path: error.path, reason: error.reason)
        }
    }

    static func parseHeader(_ bytes: [UInt8], path: String, magic: UInt32, kind: String) throws -> [Int] {
        let dimensions = Int(magic & 0xff)
        let headerSize = 4 + 4 * dimensions
        guard bytes.count >= headerSize else {
            throw FileError(path: path, reason: "truncated: \(bytes.count) bytes, shorter than an IDX \(kind) header")
        }
        let found = bigEndian(bytes, at: 0)
        guard found == magic else {
            let hex = String(found, radix: 16)
            throw FileError(path: path, reason: "not an IDX \(kind) file (magic 0x\(hex), expected 0x\(String(magic, radix: 16)))")
        }
        return (0..<dimensions).map { Int(bigEndian(bytes, at: 4 + 4 * $0)) }
    }

    static func payload(_ bytes: [UInt8], path: String, headerSize: Int, expected: Int, what: String) throws -> [UInt8] {
        let available = bytes.count - headerSize
        guard available >= expected else {
            throw FileError(path: path, reason: "truncated: header declares \(what) (\(expected) bytes) but only \(available) follow")
        }
        guard available == expected else {
            throw FileError(path: path, reason: "\(available - expected) unexpected bytes after \(what)")
        }
        return Array(bytes[headerSize...])
    }

    static func bigEndian(_ bytes: [UInt8], at i: Int) -> UInt32 {
        UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
    }
}
