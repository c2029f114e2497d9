import DigitCompute
import DigitEnvironment
import DigitImage
import DigitStore
import DigitVision
import Foundation
import Testing

/// Test helpers: temporary folders, picture measures, MNIST, and reading a picture as
/// `digit classify` does.
enum JPEGSupport {
    static func temporaryDirectory(_ label: String = "jpeg") -> String {
        let path = NSTemporaryDirectory() + "digit-\(label)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Mean absolute difference of two same-sized pictures, in gray levels.
    static func meanAbsoluteDifference(_ a: GrayImage, _ b: GrayImage) -> Double {
        precondition(a.width == b.width && a.height == b.height, "\(a.width)x\(a.height) vs \(b.width)x\(b.height)")
        return zip(a.pixels, b.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.pixels.count)
    }

    /// The package root, found from this file's path (Tests/DigitJPEGTests/<file>).
    static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    /// The real MNIST folder, found as the other suites find it: where the command-line tools
    /// look (`DataFolder`: `$DIGIT_DATA`, else `~/.digit/mnist`), else, when `$DIGIT_DATA` is
    /// unset and that folder does not exist, `../shared/data/mnist` next to the package.
    static let mnistDirectory = DataFolder.resolveDirectory(
        environment: ProcessInfo.processInfo.environment,
        fallback: URL(fileURLWithPath: packageRoot + "/../shared/data/mnist").standardizedFileURL.path,
        exists: { FileManager.default.fileExists(atPath: $0) })

    static let noMNIST: Comment = "needs the MNIST test set: run scripts/download-mnist (to ~/.digit/mnist) or set DIGIT_DATA"

    static var mnistAvailable: Bool {
        ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"].allSatisfy { name in
            FileManager.default.fileExists(atPath: "\(mnistDirectory)/\(name).gz")
                || FileManager.default.fileExists(atPath: "\(mnistDirectory)/\(name)")
        }
    }

    static func mnistTest() throws -> Dataset { try MNIST.load(split: .test, from: mnistDirectory) }

    /// MNIST test digit `index` as a person's picture: dark ink (0) on white paper (255).
    static func darkOnLight(_ test: Dataset, _ index: Int) -> GrayImage {
        let digit = test.image(index)
        return GrayImage(width: digit.width, height: digit.height, pixels: digit.pixels.map { 255 - $0 })
    }

    static let classifier: Classifier = {
        do {
            return try BundledModel.load().classifier
        } catch {
            fatalError("cannot load the bundled model: \(error)")
        }
    }()

    /// The digits `classify` reads in `pictures` (nil for a picture it cannot read): the same
    /// network inputs and choice among them as the command.
    static func readings(_ pictures: [GrayImage]) -> [Int?] {
        let preprocessor = DigitPreprocessor()
        let inputs = pictures.map { try? preprocessor.networkInputs(for: $0).map(\.image) }
        var answers = classifier.mostConfident(inputs.compactMap { $0 }).makeIterator()
        return inputs.map { candidates in
            guard candidates != nil, let probabilities = answers.next()?.probabilities else { return nil }
            return probabilities.indices.max { probabilities[$0] < probabilities[$1] }
        }
    }

    /// The share of `pictures` read as `labels`, in percent.
    static func accuracy(_ pictures: [GrayImage], labels: [Int]) -> Double {
        let read = readings(pictures)
        return 100 * Double(zip(read, labels).filter { $0.0 == $0.1 }.count) / Double(labels.count)
    }
}
