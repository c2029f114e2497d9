import DigitCompute
import DigitFormats
import DigitPNG
import DigitStore
import DigitVision
import Foundation
import NIOPosix

/// The model the server reads with, shared by every request, and the threads it reads on.
///
/// The readers keep no mutable state, so one instance serves all requests at once; the
/// CPU-bound decoding and reading run on `pool` (`ServerLimits.concurrentReadings` threads),
/// never on the event loops, so a slow picture delays only the requests queued behind it.
package struct DigitReadings: @unchecked Sendable {
    /// What `/healthz` names: "bundled model" or the model file's name.
    package let modelName: String
    /// The model's accuracy on the MNIST test set when it was trained, if recorded.
    package let testAccuracy: Float?
    private let singleDigits: SingleDigitReader
    private let numbers: NumberReader

    /// Loads the model file at `modelPath`, or the bundled model when nil; throws `FileError`
    /// naming the file when it cannot be loaded.
    package init(modelPath: String?) throws {
        let model = try modelPath.map(ModelFile.load(path:)) ?? BundledModel.load()
        modelName = modelPath.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "bundled model"
        testAccuracy = model.info.testAccuracy
        singleDigits = SingleDigitReader(classifier: model.classifier)
        numbers = NumberReader(classifier: model.classifier)
    }

    /// The `classify --json` object (without `file`) for the picture in `bytes`, plus
    /// `"input"`: the 28x28 the network saw as a base64 PNG. Throws `ServerError`: as
    /// `ServerPictures.decode`, and 422 when the picture has no ink.
    package func classify(_ bytes: [UInt8]) async throws -> String {
        try await Self.pool.runIfActive { [singleDigits] in
            let picture = try ServerPictures.decode(bytes: bytes, name: "picture")
            switch singleDigits.read([picture])[0] {
            case .success(let prediction):
                let input = Data(try encodePNG(prediction.input)).base64EncodedString()
                return ReadingJSON.classification(prediction, extraFields: ["\"input\":\(jsonString(input))"])
            case .failure(let error):
                throw ServerError(.unprocessableContent, error.description)
            }
        }
    }

    /// The `read --json` object (without `file`) for the picture of a number in `bytes`.
    /// Throws `ServerError`: as `ServerPictures.decode`, and 422 when no digits stand out.
    package func readNumber(_ bytes: [UInt8]) async throws -> String {
        try await Self.pool.runIfActive { [numbers] in
            let picture = try ServerPictures.decode(bytes: bytes, name: "picture")
            do {
                return ReadingJSON.number(try numbers.read(picture))
            } catch let error as SegmentationError {
                throw ServerError(.unprocessableContent, error.description)
            }
        }
    }

    /// `{"model":"bundled model","test_accuracy":0.9953}` (`null` when not recorded).
    package var health: String {
        "{\"model\":\(jsonString(modelName)),\"test_accuracy\":\(testAccuracy.map(shortestFloatText) ?? "null")}"
    }

    /// One pool for the process: started on first use and kept until it exits.
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: ServerLimits.concurrentReadings)
        pool.start()
        return pool
    }()
}
