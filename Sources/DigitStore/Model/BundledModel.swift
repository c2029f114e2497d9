import DigitCompute
import DigitFiles
import Foundation

/// The trained model that ships inside the package, so `digit classify` works on a
/// fresh clone with no dataset (`scripts/train-default` reproduces it).
package enum BundledModel {
    package static let resourceName = "default"
    package static let resourceExtension = "digitmodel"

    /// Path of the bundled model file.
    package static var path: String {
        get throws {
            guard let url = Bundle.module.url(forResource: resourceName, withExtension: resourceExtension) else {
                throw FileError(path: "\(resourceName).\(resourceExtension)", reason: "the bundled model is missing from this build")
            }
            return url.path
        }
    }

    package static func load() throws -> Model {
        try ModelFile.load(path: try path)
    }
}
