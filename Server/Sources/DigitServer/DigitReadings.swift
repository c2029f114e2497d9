import DigitKit
import Foundation
import NIOPosix

/// The model the server reads with, shared by every request, and the threads it reads on.
///
/// A `DigitReader` keeps no mutable state, so one serves all requests at once; the CPU-bound
/// decoding and reading run on `pool` (`ServerLimits.concurrentReadings` threads), never on the
/// event loops, so a slow picture delays only the requests queued behind it.
package struct DigitReadings: Sendable {
    private let reader: DigitReader
    /// What `/healthz` answers.
    package let health: Health

    /// `{"model":"bundled model","test_accuracy":0.9953}`: the model file's name ("bundled
    /// model" for the bundled one) and its MNIST test accuracy when recorded (else `null`).
    package struct Health: Encodable, Sendable {
        let model: String
        let testAccuracy: Float?

        package func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(model, forKey: .model)
            try container.encode(testAccuracy, forKey: .testAccuracy)
        }

        enum CodingKeys: String, CodingKey {
            case model
            case testAccuracy = "test_accuracy"
        }
    }

    /// Loads `model`; throws `FileError` naming the file when it cannot be loaded.
    package init(model: ModelChoice) throws {
        reader = try DigitReader(model: model)
        let name = switch model {
        case .bundled: model.displayName
        case .file(let path): URL(fileURLWithPath: path).lastPathComponent
        }
        health = Health(model: name, testAccuracy: try reader.testAccuracy())
    }

    /// The `classify --json` record (without `file`) for the picture in `bytes`, with `input`:
    /// the 28x28 the network saw as a base64 PNG. Throws `ServerError`: as `refusal(for:)`,
    /// and 422 when the picture has no ink.
    package func classify(_ bytes: [UInt8]) async throws -> ClassificationRecord {
        try await Self.pool.runIfActive { [reader] in
            do {
                let prediction = try reader.classify(picture: bytes, maxPNGPixels: ServerLimits.maxPixels)
                return ClassificationRecord(prediction, input: Data(try prediction.input.pngData()).base64EncodedString())
            } catch {
                throw Self.refusal(for: error)
            }
        }
    }

    /// The `read --json` record (without `file`) for the picture of a number in `bytes`.
    /// Throws `ServerError`: as `refusal(for:)`, and 422 when no digits stand out.
    package func readNumber(_ bytes: [UInt8]) async throws -> NumberRecord {
        try await Self.pool.runIfActive { [reader] in
            do {
                return NumberRecord(try reader.readNumber(picture: bytes, maxPNGPixels: ServerLimits.maxPixels))
            } catch {
                throw Self.refusal(for: error)
            }
        }
    }

    /// 413 for a PNG declaring more than `ServerLimits.maxPixels` pixels (refused from its
    /// header, before it is decoded; a JPEG is downscaled while it decodes, so only its
    /// decoder's 40-megapixel limit applies), 400 with the decoder's message for anything else
    /// that is not a decodable PNG or JPEG, 422 for a picture without ink or digits.
    private static func refusal(for error: Error) -> Error {
        switch error {
        case let error as FileError: ServerError(error.isOverLimit ? .contentTooLarge : .badRequest, error.description)
        case let error as PreprocessingError: ServerError(.unprocessableContent, error.description)
        case let error as SegmentationError: ServerError(.unprocessableContent, error.description)
        default: error
        }
    }

    /// One pool for the process: started on first use and kept until it exits.
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: ServerLimits.concurrentReadings)
        pool.start()
        return pool
    }()
}
