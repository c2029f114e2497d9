@testable import DigitCompute
@testable import DigitFiles
@testable import DigitStore
import Foundation
import Testing

/// Hostile IDX and model files beyond the malformed ones in `IDXTests` and `ModelFileTests`:
/// declarations that would cost unbounded memory or time if believed, the bytes-based IDX
/// entry points the fuzzer drives, and gzip streams with more than one member.
@Suite("Hostile IDX, gzip and model data")
struct HostileDataTests {
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    static func imagesHeader(count: UInt32, rows: UInt32, columns: UInt32) -> [UInt8] {
        bigEndian(0x803) + bigEndian(count) + bigEndian(rows) + bigEndian(columns)
    }

    // MARK: IDX from bytes

    @Test("parseImages and parseLabels read raw and gzip bytes as the path readers do")
    func bytesEntryPoints() throws {
        let images = Self.imagesHeader(count: 2, rows: 1, columns: 3) + [1, 2, 3, 4, 5, 6]
        let labels = Self.bigEndian(0x801) + Self.bigEndian(2) + [4, 2]
        for (imageBytes, labelBytes) in [(images, labels), (CoreSupport.gzip(images), CoreSupport.gzip(labels))] {
            let parsed = try IDX.parseImages(imageBytes, name: "images")
            #expect(parsed.count == 2 && parsed.rows == 1 && parsed.columns == 3 && parsed.pixels == [1, 2, 3, 4, 5, 6])
            #expect(try IDX.parseLabels(labelBytes, name: "labels") == [4, 2])
        }
        let error = #expect(throws: FileError.self) { try IDX.parseLabels(images, name: "mixed-up") }
        #expect(error?.path == "mixed-up" && error?.reason.contains("not an IDX label file") == true)
    }

    /// The largest header the format allows: 2^32 - 1 images of 4096 x 4096 (7.2e16 bytes).
    /// The product must neither overflow nor be allocated.
    @Test("A header declaring exabytes of pixels is refused as truncated")
    func enormousDeclaredSize() {
        let bytes = Self.imagesHeader(count: 0xFFFF_FFFF, rows: 4096, columns: 4096) + [0, 0, 0]
        let error = #expect(throws: FileError.self) { try IDX.parseImages(bytes, name: "huge") }
        #expect(error?.reason.contains("truncated") == true && error?.reason.contains("only 3 follow") == true,
                "\(String(describing: error))")
        let oversized = Self.imagesHeader(count: 1, rows: 4097, columns: 1) + [0]
        #expect(throws: FileError(path: "wide", reason: "implausible image size 4097x1")) {
            try IDX.parseImages(oversized, name: "wide")
        }
    }

    @Test("A broken gzip stream is a FileError naming the file, as MNIST.load documents")
    func brokenGzipIsDataError() {
        let compressed = CoreSupport.gzip(Self.imagesHeader(count: 1, rows: 1, columns: 1) + [7])
        for broken in [Array(compressed.prefix(compressed.count / 2)), [0x1f, 0x8b, 0x08, 0xff, 0xff]] {
            let error = #expect(throws: FileError.self) { try IDX.parseImages(broken, name: "x.gz") }
            #expect(error?.path == "x.gz" && error?.reason.contains("gzip") == true, "\(String(describing: error))")
        }
    }

    // MARK: gzip members

    @Test("gunzip concatenates every member of a multi-member gzip file")
    func multipleMembers() throws {
        let joined = CoreSupport.gzip([1, 2, 3]) + CoreSupport.gzip([]) + CoreSupport.gzip([4, 5])
        #expect(try gunzip(joined, name: "x.gz") == [1, 2, 3, 4, 5])
    }

    @Test("gunzip refuses bytes after the last member, and a member cut short")
    func trailingBytes() {
        let member = CoreSupport.gzip([1, 2, 3])
        let trailing = #expect(throws: FileError.self) { try gunzip(member + [9, 9, 9], name: "x.gz") }
        #expect(trailing?.reason == "3 unexpected bytes after the gzip stream")
        let cut = #expect(throws: FileError.self) { try gunzip(member + [0x1f, 0x8b], name: "x.gz") }
        #expect(cut?.reason == "truncated gzip stream")
    }

    // MARK: model files

    /// A valid model file with architecture `architecture` (weights from seed 3).
    static func modelBytes(_ architecture: String) throws -> [UInt8] {
        var options = TrainingOptions()
        options.architecture = architecture
        let network = Network(architecture: try Architecture(parsing: architecture, activation: .relu), seed: 3)
        let info = ModelInfo(training: options, dataset: "mnist", trainingSamples: 1, validationSamples: 0,
                             history: [], testAccuracy: nil)
        return try ModelFile.encode(Model(network: network, info: info))
    }

    /// `bytes` with the architecture in its metadata replaced and the CRC recomputed, so only
    /// the parser can object.
    static func withArchitecture(_ bytes: [UInt8], from old: String, to new: String) -> [UInt8] {
        let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let json = String(decoding: bytes[16..<(16 + length)], as: UTF8.self)
        let edited = Array(json.replacingOccurrences(of: "\"architecture\":\"\(old)\"",
                                                     with: "\"architecture\":\"\(new)\"").utf8)
        precondition(edited.count != json.utf8.count || old == new, "architecture \(old) not in the metadata")
        var body = Array(bytes[..<12])
        withUnsafeBytes(of: UInt32(edited.count).littleEndian) { body.append(contentsOf: $0) }
        body += edited + bytes[(16 + length)..<(bytes.count - 4)]
        let crc = body.withUnsafeBytes { crc32($0) }
        withUnsafeBytes(of: crc.littleEndian) { body.append(contentsOf: $0) }
        return body
    }

    /// Architectures of billions of parameters, declared in a 5 KB file: decoding used to build
    /// (allocate and randomly initialise) the whole network before reading the tensor table.
    /// The refusal must come from the table, checked against `Architecture.tensors` (which
    /// allocates no weights). No clock: the conv architecture declares 54 GB of weights, one
    /// dense layer alone 52 GB, so a decoder that built the network first would not pass
    /// slowly but die allocating it, which the runner reports.
    @Test("A small file declaring a huge architecture is refused from its tensor table",
          arguments: ["mlp:16384,16384,16384,16384,16384,16384,16384,16384",
                      "conv:c1024k15s,c1024k15s,c1024k15s,d16384",
                      "mlp:16384"])
    func hugeArchitecture(architecture: String) throws {
        let bytes = Self.withArchitecture(try Self.modelBytes("mlp:1"), from: "mlp:1", to: architecture)
        let declared = try Architecture(parsing: architecture, activation: .relu).tensors.reduce(0) { $0 + $1.count }
        #expect(4 * declared > 10_000 * bytes.count, "\(declared) floats declared in \(bytes.count) bytes")
        let error = try #require(throws: FileError.self) { try ModelFile.decode(bytes, path: "huge.digitmodel") }
        #expect(error.path == "huge.digitmodel")
        // mlp:1 has 4 tensors: as many as mlp:16384 (the first one's size differs), fewer than the others.
        let expectedReason = architecture == "mlp:16384"
            ? "tensor dense1.weight with 784 values does not match dense1.weight with \(784 * 16384) in \(architecture)"
            : "holds 4 tensors but architecture \(architecture) has \(try Architecture(parsing: architecture, activation: .relu).tensors.count)"
        #expect(error.reason == expectedReason)
    }

    @Test("Architecture.tensors names and sizes the tensors exactly as a built network has them",
          arguments: ["mlp:1", "mlp:7,3", "cnn-small", "cnn", "conv:c3k5s,p2,c2k3,drop0.5,p2,d5,d4",
                      "conv:c1k15,c2k1s,p2,p2,p2"])
    func expectedTensorsMatchNetwork(architecture: String) throws {
        let parsed = try Architecture(parsing: architecture, activation: .tanh)
        let built = Network(architecture: parsed, seed: 1).parameters.map { "\($0.name):\($0.value.count)" }
        #expect(parsed.tensors.map { "\($0.name):\($0.count)" } == built)
        // Built from given tensors, without drawing weights, the same network.
        let tensors = parsed.tensors.enumerated().map { index, tensor in (0..<tensor.count).map { Float(index) + Float($0) / 1000 } }
        let given = Network(architecture: parsed, tensors: tensors)
        #expect(given.parameters.map { "\($0.name):\($0.value.count)" } == built)
        #expect(given.parameters.map(\.value) == tensors)
    }

    @Test("Files of 8 to 11 bytes with the right magic are called truncated")
    func cutInsideVersion() throws {
        let bytes = try Self.modelBytes("mlp:1")
        for length in 8..<12 {
            let error = #expect(throws: FileError.self) { try ModelFile.decode(Array(bytes.prefix(length)), path: "m") }
            #expect(error?.reason == "truncated", "length \(length): \(String(describing: error))")
        }
    }
}
