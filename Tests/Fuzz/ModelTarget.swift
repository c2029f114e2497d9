import DigitCompute
import DigitFiles
import DigitStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer target: the model-file loader on one file's bytes.
///
/// Decodes the input as it is, then again with its trailing CRC-32 recomputed, so mutations
/// reach the metadata and tensor parsing behind the checksum. Either may be refused, but
/// only with a `FileError` naming the file; an accepted model must be a 784-input,
/// 10-class network.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    decodeChecked(bytes)
    if bytes.count >= 4 {
        var resealed = Array(bytes.dropLast(4))
        let checksum = resealed.withUnsafeBytes { crc32($0) }
        withUnsafeBytes(of: checksum.littleEndian) { resealed.append(contentsOf: $0) }
        decodeChecked(resealed)
    }
    return 0
}

private func decodeChecked(_ bytes: [UInt8]) {
    let name = "fuzz.digitmodel"
    do {
        let model = try ModelFile.decode(bytes, path: name)
        precondition(model.network.inputSize == 784 && model.network.classes == 10,
                     "decoded a \(model.network.inputSize)-input, \(model.network.classes)-class network")
    } catch let error as FileError {
        precondition(error.path == name && !error.reason.isEmpty, "\(error)")
    } catch {
        fatalError("ModelFile.decode threw an undocumented error: \(error)")
    }
}

/// With `$DIGIT_FUZZ_WRITE_SEEDS` set to a folder, writes small valid model files there
/// (the seed corpus `scripts/fuzz` starts from) and exits; otherwise does nothing.
@_cdecl("LLVMFuzzerInitialize")
public func writeSeedModelsIfAsked(_ argc: UnsafeMutableRawPointer, _ argv: UnsafeMutableRawPointer) -> CInt {
    guard let folder = getenv("DIGIT_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) else { return 0 }
    let seeds: [(file: String, architecture: String, activation: Activation, temperature: Float)] = [
        ("mlp-1.digitmodel", "mlp:1", .relu, 1),
        ("mlp-2-1.digitmodel", "mlp:2,1", .tanh, 1.5),
        ("conv-small.digitmodel", "conv:c1k3,p2,d2,drop0.5", .sigmoid, 0.75),
        ("conv-same.digitmodel", "conv:c1k3s,p2,p2,c2k5", .relu, 1),
    ]
    do {
        for seed in seeds {
            var options = TrainingOptions()
            options.architecture = seed.architecture
            options.activation = seed.activation
            let architecture = try Architecture(parsing: seed.architecture, activation: seed.activation)
            var info = ModelInfo(training: options, dataset: "mnist", trainingSamples: 10, validationSamples: 2,
                                 history: [], testAccuracy: 0.5)
            info.temperature = seed.temperature
            let model = Model(network: Network(architecture: architecture, seed: 1), info: info)
            try ModelFile.save(model, to: "\(folder)/\(seed.file)")
        }
    } catch {
        fatalError("cannot write the seed models: \(error)")
    }
    exit(0)
}
