import DigitCompute
import DigitFiles
import Foundation

/// The binary model format, version 1 (all integers little-endian):
///
///     8 bytes   magic "DIGITNN\n"
///     UInt32    format version
///     UInt32    metadata length L, then L bytes of JSON (`ModelInfo`, sorted keys)
///     UInt32    tensor count T, then per tensor:
///                 UInt16 name length, name (UTF-8), UInt32 element count N, N x Float32
///               (the network's tensors in layer order, then any extra tensors by name)
///     UInt32    CRC-32 (zlib) of every byte before it
///
/// Writing is atomic and deterministic: the same model gives the same bytes.
package enum ModelFile {
    package static let magic = Array("DIGITNN\n".utf8)
    package static let version: UInt32 = 1
    /// Larger files are refused before reading (the default model is well under 2 MB).
    package static let sizeLimit = 512 << 20

    package static func encode(_ model: Model) throws -> [UInt8] {
        var out = magic
        append(version, to: &out)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = try encoder.encode(model.info)
        append(UInt32(metadata.count), to: &out)
        out.append(contentsOf: metadata)
        let tensors = model.network.parameters.map { ($0.name, $0.value) }
            + model.extraTensors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        append(UInt32(tensors.count), to: &out)
        for (tensorName, values) in tensors {
            let name = Array(tensorName.utf8)
            append(UInt16(name.count), to: &out)
            out.append(contentsOf: name)
            append(UInt32(values.count), to: &out)
            out.reserveCapacity(out.count + 4 * values.count)
            for value in values { append(value.bitPattern, to: &out) }
        }
        let checksum = out.withUnsafeBytes { crc32($0) }
        append(checksum, to: &out)
        return out
    }

    package static func save(_ model: Model, to path: String) throws {
        try AtomicFile.write(try encode(model), to: path)
    }

    package static func load(path: String) throws -> Model {
        try decode(try readFile(path, limit: sizeLimit), path: path)
    }

    /// Parses a model file's bytes; `path` only names the file in errors.
    ///
    /// Throws `FileError` for anything but a complete, intact file whose tensors match
    /// its architecture. Memory use stays proportional to `bytes.count`, whatever the file
    /// declares.
    package static func decode(_ bytes: [UInt8], path: String) throws -> Model {
        func fail(_ reason: String) -> FileError { FileError(path: path, reason: reason) }
        guard bytes.starts(with: magic) else {
            throw fail("not a digit model file (bad magic)")
        }
        var reader = ByteReader(bytes: bytes, position: magic.count)
        let fileVersion = try reader.uint32() ?? { throw fail("truncated") }()
        guard fileVersion <= version else {
            throw fail("model format version \(fileVersion) is newer than this digit reads (\(version)); update digit")
        }
        guard bytes.count >= magic.count + 8 else { throw fail("truncated") }
        let body = bytes.count - 4
        var tail = ByteReader(bytes: bytes, position: body)
        let stored = tail.uint32()!
        let computed = bytes.withUnsafeBytes { crc32(UnsafeRawBufferPointer(rebasing: $0[0..<body])) }
        guard stored == computed else { throw fail("corrupted or truncated (checksum mismatch)") }
        reader.limit = body

        guard let metadataLength = reader.uint32(), let metadata = reader.bytes(Int(metadataLength)) else {
            throw fail("truncated metadata")
        }
        let info: ModelInfo
        do {
            info = try JSONDecoder().decode(ModelInfo.self, from: Data(metadata))
        } catch {
            throw fail("unreadable metadata (\(error))")
        }
        let architecture: Architecture
        do {
            architecture = try Architecture(parsing: info.training.architecture, activation: info.training.activation,
                                        classes: info.training.classes)
        } catch {
            throw fail("\(error)")
        }
        // The tensor table is checked against the architecture before the network is built:
        // building allocates and initialises every parameter, and a few bytes of JSON can ask
        // for billions. Only a table that holds them all gets that far, so what is allocated
        // stays bounded by the file's size.
        let expected = architecture.tensors
        guard let tensorCount = reader.uint32() else { throw fail("truncated tensor table") }
        // A checkpoint carries extra tensors (optimizer state) after the network's own.
        let isCheckpoint = info.checkpoint != nil
        guard Int(tensorCount) == expected.count || (isCheckpoint && Int(tensorCount) > expected.count) else {
            throw fail("holds \(tensorCount) tensors but architecture \(architecture) has \(expected.count)")
        }
        var tensors: [[Float]] = []
        for tensor in expected {
            guard let nameLength = reader.uint16(), let nameBytes = reader.bytes(Int(nameLength)),
                  let count = reader.uint32() else { throw fail("truncated tensor header") }
            let name = String(decoding: nameBytes, as: UTF8.self)
            guard name == tensor.name, Int(count) == tensor.count else {
                throw fail("tensor \(name) with \(count) values does not match \(tensor.name) with \(tensor.count) in \(architecture)")
            }
            guard let values = reader.floats(Int(count)) else { throw fail("truncated tensor \(name)") }
            tensors.append(values)
        }
        let network = Network(architecture: architecture, tensors: tensors)
        var extras: [String: [Float]] = [:]
        for _ in expected.count..<Int(tensorCount) {
            guard let nameLength = reader.uint16(), let nameBytes = reader.bytes(Int(nameLength)),
                  let count = reader.uint32(), let values = reader.floats(Int(count)) else { throw fail("truncated tensor") }
            extras[String(decoding: nameBytes, as: UTF8.self)] = values
        }
        guard reader.position == body else { throw fail("\(body - reader.position) unexpected bytes after the tensors") }
        return Model(network: network, info: info, extraTensors: extras)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
}

/// Bounds-checked little-endian reads; every read returns nil past `limit`.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    var limit: Int

    init(bytes: [UInt8], position: Int) {
        self.bytes = bytes
        self.position = position
        self.limit = bytes.count
    }

    mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, count <= limit - position else { return nil }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func uint16() -> UInt16? {
        bytes(2).map { UInt16($0[$0.startIndex]) | UInt16($0[$0.startIndex + 1]) << 8 }
    }

    mutating func uint32() -> UInt32? {
        bytes(4).map { s in (0..<4).reduce(UInt32(0)) { $0 | UInt32(s[s.startIndex + $1]) << (8 * $1) } }
    }

    mutating func floats(_ count: Int) -> [Float]? {
        guard count >= 0, count <= (limit - position) / 4 else { return nil }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position + 4 * i, as: UInt32.self)))
            }
        }
        position += 4 * count
        return values
    }
}
