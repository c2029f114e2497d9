import DigitCompute
import DigitFiles
import Foundation

/// The trained model that ships inside the package, so `digit classify` works on a
/// fresh clone with no dataset (`scripts/train-default` reproduces it).
package enum BundledModel {
    package static let resourceName = "default"
    package static let resourceExtension = "digitmodel"

    /// The whole-digit scorer's resource name (`scripts/train-whole-digit` reproduces it).
    package static let wholeDigitResourceName = "whole-digit"

    /// Path of the bundled model file.
    package static var path: String {
        get throws { try resourcePath(resourceName) }
    }

    package static func load() throws -> Model {
        try ModelFile.load(path: try path)
    }

    /// The two-class network `NumberReader` asks whether a candidate is one whole digit; it does
    /// not depend on which digit model reads, so every model (a tuned one too) reads numbers with
    /// it. Loaded once, on first use.
    package static func wholeDigitScorer() throws -> Classifier {
        try loadedWholeDigitScorer.get()
    }

    private static let loadedWholeDigitScorer = Result<Classifier, any Error> {
        try ModelFile.load(path: try resourcePath(wholeDigitResourceName)).classifier
    }

    private static func resourcePath(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: resourceExtension) else {
            throw FileError(path: "\(name).\(resourceExtension)", reason: "the bundled model is missing from this build")
        }
        return url.path
    }
}
