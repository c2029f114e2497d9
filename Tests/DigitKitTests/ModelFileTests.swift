@testable import DigitCompute
@testable import DigitFiles
@testable import DigitStore
import Foundation
import Testing

@Suite("Model file")
struct ModelFileTests {
    /// A small trained-looking model: `architecture` with seeded weights, random biases and full metadata.
    static func model(_ architecture: String = "mlp:5", activation: Activation = .tanh, seed: UInt64 = 3) throws -> Model {
        var options = TrainingOptions()
        options.architecture = architecture
        options.activation = activation
        options.optimizer = .adam
        options.learningRate = 0.001
        options.schedule = .cosine
        options.batchSize = nil
        options.epochs = 2
        options.steps = 17
        options.validationFraction = 0.1
        options.weightDecay = 1e-4
        options.seed = seed
        let network = Network(architecture: try Architecture(parsing: architecture, activation: activation), seed: seed)
        for (index, parameter) in network.parameters.enumerated() where !parameter.decays {
            parameter.value = CoreSupport.randomFloats(parameter.value.count, seed: seed &+ UInt64(index))
        }
        var info = ModelInfo(training: options, dataset: "fashion-mnist", trainingSamples: 54000, validationSamples: 6000,
                             history: [EpochRecord(epoch: 1, loss: 0.75, trainAccuracy: 0.8, validationAccuracy: 0.85),
                                       EpochRecord(epoch: 2, loss: 0.5, trainAccuracy: 0.875, validationAccuracy: nil)],
                             testAccuracy: 0.8125)
        info.temperature = 1.5
        return Model(network: network, info: info)
    }

    /// `bytes` with the trailing CRC recomputed over everything before it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var body = Array(bytes.dropLast(4))
        let crc = body.withUnsafeBytes { crc32($0) }
        withUnsafeBytes(of: crc.littleEndian) { body.append(contentsOf: $0) }
        return body
    }

    static func decodeError(_ bytes: [UInt8], path: String = "test.digitmodel",
                            sourceLocation: SourceLocation = #_sourceLocation) -> FileError? {
        let error = #expect(throws: FileError.self, sourceLocation: sourceLocation) {
            try ModelFile.decode(bytes, path: path)
        }
        if let error {
            #expect(error.path == path, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("\(path): ") && !error.reason.isEmpty, sourceLocation: sourceLocation)
        }
        return error
    }

    /// Offsets of the metadata JSON within an encoded file.
    static func metadataRange(_ bytes: [UInt8]) -> Range<Int> {
        let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        return 16..<(16 + length)
    }

    /// `bytes` with its metadata JSON replaced (length field updated, CRC recomputed).
    static func withMetadata(_ bytes: [UInt8], _ edit: (String) -> String) -> [UInt8] {
        let range = metadataRange(bytes)
        let json = Array(edit(String(decoding: bytes[range], as: UTF8.self)).utf8)
        var length = [UInt8]()
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { length.append(contentsOf: $0) }
        return resealed(Array(bytes[..<12]) + length + json + Array(bytes[range.upperBound...]))
    }

    @Test("Save then load gives identical parameters and info",
          arguments: [("mlp:5", Activation.tanh), ("mlp:7,3", .relu), ("conv:c2k3,p2,d4,drop0.25", .sigmoid)])
    func roundTrip(architecture: String, activation: Activation) throws {
        let original = try Self.model(architecture, activation: activation)
        let dir = CoreSupport.temporaryDirectory("model")
        defer { CoreSupport.removeTree(dir) }
        let path = "\(dir)/m.digitmodel"
        try ModelFile.save(original, to: path)
        let loaded = try ModelFile.load(path: path)
        #expect(loaded.info == original.info)
        #expect(loaded.network.architecture == original.network.architecture)
        #expect(loaded.network.parameters.map(\.name) == original.network.parameters.map(\.name))
        #expect(CoreSupport.parameterBits(loaded.network) == CoreSupport.parameterBits(original.network))
        #expect(loaded.classifier.temperature == 1.5)
        // The loaded network computes the same logits.
        let input = CoreSupport.randomFloats(2 * 784, seed: 5, in: 0...1)
        #expect(CoreSupport.bits(loaded.network.logits(input, batch: 2)) == CoreSupport.bits(original.network.logits(input, batch: 2)))
    }

    @Test("Encoding is deterministic and re-encoding a decoded file gives the same bytes")
    func deterministicEncoding() throws {
        let model = try Self.model()
        let first = try ModelFile.encode(model)
        #expect(try ModelFile.encode(model) == first)
        #expect(try ModelFile.encode(try Self.model()) == first)
        let decoded = try ModelFile.decode(first, path: "x")
        #expect(try ModelFile.encode(decoded) == first)
        #expect(Array(first.prefix(8)) == Array("DIGITNN\n".utf8))
        #expect(Array(first[8..<12]) == [1, 0, 0, 0])
        // The metadata is sorted-key JSON.
        let json = String(decoding: first[Self.metadataRange(first)], as: UTF8.self)
        #expect(json.hasPrefix("{\"dataset\":\"fashion-mnist\",\"history\":"))
        // Another seed gives other bytes.
        #expect(try ModelFile.encode(try Self.model(seed: 4)) != first)
    }

    @Test("The layout matches the documented format")
    func layout() throws {
        let model = try Self.model("mlp:1")
        let bytes = try ModelFile.encode(model)
        let metadata = Self.metadataRange(bytes)
        var offset = metadata.upperBound
        func u32() -> Int { defer { offset += 4 }; return (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) } }
        func u16() -> Int { defer { offset += 2 }; return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
        #expect(u32() == 4)
        for parameter in model.network.parameters {
            let nameLength = u16()
            #expect(String(decoding: bytes[offset..<(offset + nameLength)], as: UTF8.self) == parameter.name)
            offset += nameLength
            #expect(u32() == parameter.value.count)
            let first = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            #expect(first == parameter.value[0].bitPattern)
            offset += 4 * parameter.value.count
        }
        #expect(offset == bytes.count - 4)
        #expect(u32() == Int(bytes.dropLast(4).withUnsafeBytes { crc32($0) }))
    }

    @Test("Truncated files are refused with a clear reason")
    func truncated() throws {
        let bytes = try ModelFile.encode(try Self.model("mlp:2"))
        let lengths = [0, 1, 7, 8, 11, 12, 15, 16, 20, 100, bytes.count / 2, bytes.count - 5, bytes.count - 4, bytes.count - 1]
        for length in lengths {
            let error = Self.decodeError(Array(bytes.prefix(length)))
            let reason = error?.reason ?? ""
            #expect(reason.contains("bad magic") || reason.contains("truncated") || reason.contains("checksum"),
                    "length \(length): \(reason)")
        }
        #expect(Self.decodeError(Array(bytes.prefix(5)))?.reason.contains("bad magic") == true)
        #expect(Self.decodeError(Array(bytes.prefix(bytes.count - 1)))?.reason.contains("checksum") == true)
        // Truncated and resealed: the CRC passes, the parser must still notice.
        for length in [20, Self.metadataRange(bytes).upperBound + 2, bytes.count - 40, bytes.count - 5] {
            let cut = Self.resealed(Array(bytes.prefix(length)) + [0, 0, 0, 0])
            #expect(Self.decodeError(cut)?.reason.contains("truncated") == true, "resealed at \(length)")
        }
    }

    @Test("A file cut inside the version field is called truncated, not bad magic")
    func cutInVersion() throws {
        let bytes = try ModelFile.encode(try Self.model("mlp:2"))
        for length in 8..<12 {
            #expect(Self.decodeError(Array(bytes.prefix(length)))?.reason.contains("truncated") == true, "length \(length)")
        }
    }

    @Test("A flipped bit anywhere in the file is caught")
    func flippedBits() throws {
        let bytes = try ModelFile.encode(try Self.model("mlp:1"))
        var missed: [Int] = []
        for position in bytes.indices {
            var corrupt = bytes
            corrupt[position] ^= UInt8(1 << (position % 8))
            do {
                _ = try ModelFile.decode(corrupt, path: "flip")
                missed.append(position)
            } catch let error as FileError {
                if error.path != "flip" || error.reason.isEmpty { missed.append(position) }
            } catch {
                missed.append(position)
            }
        }
        #expect(missed == [], "flips not reported as FileError")
    }

    @Test("Wrong magic")
    func wrongMagic() throws {
        var bytes = try ModelFile.encode(try Self.model())
        bytes[0] = UInt8(ascii: "X")
        #expect(Self.decodeError(Self.resealed(bytes))?.reason.contains("bad magic") == true)
        #expect(Self.decodeError(Array("GIF89a".utf8))?.reason.contains("bad magic") == true)
    }

    @Test("A newer format version is refused with a request to update")
    func futureVersion() throws {
        var bytes = try ModelFile.encode(try Self.model())
        bytes[8] = 2
        let error = Self.decodeError(Self.resealed(bytes))
        #expect(error?.reason.contains("version 2") == true && error?.reason.contains("update") == true, "\(String(describing: error))")
        bytes[8] = 0
        bytes[11] = 0x80
        #expect(Self.decodeError(Self.resealed(bytes))?.reason.contains("newer") == true)
    }

    @Test("Tensor shapes that disagree with the recorded architecture are refused")
    func shapeMismatch() throws {
        let bytes = try ModelFile.encode(try Self.model("mlp:5"))
        // Same JSON length: the tensor count matches but dense1.weight has 784x5 values, not 784x6.
        let wider = Self.withMetadata(bytes) { $0.replacingOccurrences(of: "\"mlp:5\"", with: "\"mlp:6\"") }
        #expect(wider.count == bytes.count)
        let error = Self.decodeError(wider)
        #expect(error?.reason.contains("dense1.weight") == true && error?.reason.contains("3920") == true
                && error?.reason.contains("4704") == true, "\(String(describing: error))")
        // Another depth: the tensor count disagrees.
        let deeper = Self.withMetadata(bytes) { $0.replacingOccurrences(of: "\"mlp:5\"", with: "\"mlp:5,5\"") }
        let countError = Self.decodeError(deeper)
        #expect(countError?.reason.contains("holds 4 tensors") == true && countError?.reason.contains("has 6") == true,
                "\(String(describing: countError))")
        // A convolutional architecture with the same tensor count but other names.
        let conv = Self.withMetadata(bytes) { $0.replacingOccurrences(of: "\"mlp:5\"", with: "\"conv:c1k3\"") }
        #expect(Self.decodeError(conv)?.reason.contains("does not match") == true)
    }

    @Test("Unreadable metadata, a bad architecture and extra bytes are refused")
    func badContents() throws {
        let bytes = try ModelFile.encode(try Self.model("mlp:5"))
        let notJSON = Self.withMetadata(bytes) { "[" + $0 }
        #expect(Self.decodeError(notJSON)?.reason.contains("unreadable metadata") == true)
        let badArch = Self.withMetadata(bytes) { $0.replacingOccurrences(of: "\"mlp:5\"", with: "\"mlp:0\"") }
        #expect(Self.decodeError(badArch)?.reason.contains("invalid architecture 'mlp:0'") == true)
        let extra = Self.resealed(Array(bytes.dropLast(4)) + [1, 2, 3] + [0, 0, 0, 0])
        #expect(Self.decodeError(extra)?.reason.contains("3 unexpected bytes") == true)
        let hugeLength = Self.resealed(Array(bytes[..<12]) + [0xff, 0xff, 0xff, 0x7f] + Array(bytes[16...]))
        #expect(Self.decodeError(hugeLength)?.reason.contains("truncated metadata") == true)
    }

    @Test("A version-1 file written before TrainingOptions gained augmentation and keepBest still loads")
    func olderMetadataLoads() throws {
        let bytes = try ModelFile.encode(try Self.model("mlp:5"))
        let older = Self.withMetadata(bytes) { json in
            json.replacingOccurrences(of: #""augmentation":\{[^}]*\},"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #""keepBest":(true|false),"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #","chosenEpoch":[0-9]+"#, with: "", options: .regularExpression)
        }
        let olderJSON = String(decoding: older[Self.metadataRange(older)], as: UTF8.self)
        #expect(!olderJSON.contains("augmentation") && !olderJSON.contains("keepBest"))
        let model = try ModelFile.decode(older, path: "old.digitmodel")
        #expect(model.info.training.augmentation == Augmentation())
        #expect(CoreSupport.parameterBits(model.network) == CoreSupport.parameterBits(try Self.model("mlp:5").network))
    }

    @Test("Loading names the file; a missing file is a FileError")
    func loadErrors() throws {
        let dir = CoreSupport.temporaryDirectory("model")
        defer { CoreSupport.removeTree(dir) }
        let path = "\(dir)/broken.digitmodel"
        CoreSupport.write(Array("DIGITNN\n".utf8) + [1, 0, 0, 0, 9], to: path)
        let error = #expect(throws: FileError.self) { try ModelFile.load(path: path) }
        #expect(error?.path == path)
        let missing = #expect(throws: FileError.self) { try ModelFile.load(path: "\(dir)/absent.digitmodel") }
        #expect(missing?.path == "\(dir)/absent.digitmodel")
        #expect(missing?.reason.contains("No such file") == true)
    }

    @Test("The bundled model loads and describes itself")
    func bundledModel() throws {
        let model = try BundledModel.load()
        #expect(try BundledModel.path.hasSuffix("default.digitmodel"))
        #expect(model.network.inputSize == 784 && model.network.classes == 10)
        #expect(model.network.parameterCount > 0)
        #expect(model.info.dataset == "mnist")
        #expect(!model.info.history.isEmpty)
        #expect((model.info.testAccuracy ?? 0) > 0.9)
        #expect(model.network.parameters.allSatisfy { $0.value.allSatisfy(\.isFinite) })
        // Re-encoding keeps every weight (the metadata may gain keys as the format grows).
        let again = try ModelFile.decode(try ModelFile.encode(model), path: "again")
        #expect(CoreSupport.parameterBits(again.network) == CoreSupport.parameterBits(model.network))
        #expect(again.info == model.info)
    }

    @Test("The bundled model classifies real MNIST test digits",
          .enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func bundledModelAccuracy() throws {
        let model = try BundledModel.load()
        let test = try MNIST.load(split: .test, from: CoreSupport.mnistDirectory)
        // Few images when the shipped net is convolutional: this runs in debug builds too.
        let convolutional = model.network.layers.contains { $0 is Conv2D }
        let count = convolutional ? 20 : 300
        let subset = Dataset(images: Array(test.images.prefix(count * 784)), labels: Array(test.labels.prefix(count)),
                             rows: 28, columns: 28)
        let evaluation = Evaluation(classifier: model.classifier, data: subset)
        #expect(evaluation.accuracy > 0.9, "accuracy \(evaluation.accuracy)")
        #expect(evaluation.predictions.first == 7)
    }
}
