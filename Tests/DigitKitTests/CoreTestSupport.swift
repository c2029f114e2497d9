import CZlib
@testable import DigitCompute
import DigitEnvironment
@testable import DigitStore
import Foundation
import Testing

/// Helpers shared by the core test files (GEMM, layers, optimizers, IDX, model file,
/// trainer, atomic file). Namespaced so they cannot clash with other test helpers.
enum CoreSupport {
    /// A fresh, empty folder under the system temp folder; remove it with `removeTree`.
    static func temporaryDirectory(_ label: String = "core") -> String {
        var template = Array("/tmp/digit-\(label)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        return String(cString: template.map { UInt8(bitPattern: $0) })
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func write(_ bytes: [UInt8], to path: String) {
        let ok = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        precondition(ok, "could not write \(path)")
    }

    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    /// Names in `directory`, hidden ones included, sorted.
    static func entries(of directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// A gzip member (RFC 1952) holding `bytes`, made by zlib's deflate with windowBits 31.
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed")
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let produced: Int = input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = inp.baseAddress
                stream.avail_in = uInt(inp.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate did not finish")
                return out.count - Int(stream.avail_out)
            }
        }
        return Array(output[..<produced])
    }

    /// `count` floats uniform in `range`, reproducible from `seed`.
    static func randomFloats(_ count: Int, seed: UInt64, in range: ClosedRange<Float> = -1...1) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * random.uniform() }
    }

    /// The package root, found from this file's path (Tests/DigitKitTests/<file>).
    static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    /// The real MNIST folder: where the command-line tools look (`DataFolder`: `$DIGIT_DATA`, else
    /// `~/.digit/mnist`, where `scripts/download-mnist` puts it), else, when `$DIGIT_DATA` is unset
    /// and that folder does not exist, `../shared/data/mnist` next to the package.
    static let mnistDirectory = DataFolder.resolveDirectory(
        environment: ProcessInfo.processInfo.environment,
        fallback: URL(fileURLWithPath: packageRoot + "/../shared/data/mnist").standardizedFileURL.path,
        exists: { FileManager.default.fileExists(atPath: $0) })

    /// Why a test that needs the full MNIST is skipped, and how to get it.
    static let noMNIST: Comment = "needs the full MNIST: run scripts/download-mnist (to ~/.digit/mnist) or set DIGIT_DATA"

    static var mnistAvailable: Bool {
        Split.allCases.allSatisfy { split in
            [split.imagesFile, split.labelsFile].allSatisfy { name in
                FileManager.default.fileExists(atPath: "\(mnistDirectory)/\(name).gz")
                    || FileManager.default.fileExists(atPath: "\(mnistDirectory)/\(name)")
            }
        }
    }

    /// The bits of `values`, for bit-identical comparisons.
    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// Every parameter's bits, in order.
    static func parameterBits(_ network: Network) -> [[UInt32]] { network.parameters.map { bits($0.value) } }
}
