import Foundation

/// The trained model that ships inside the package, so `digit classify` works on a
/// fresh clone with no dataset (`scripts/train-default` reproduces it).
public enum BundledModel {
    public static let resourceName = "default"
    public static let resourceExtension = "digitmodel"

    /// Path of the bundled model file.
    public static var path: String {
        get throws {
            guard let url = Bundle.module.url(forResource: resourceName, withExtension: resourceExtension) else {
                throw ModelFileError(path: "\(resourceName).\(resourceExtension)", reason: "the bundled model is missing from this build")
            }
            return url.path
        }
    }

    public static func load() throws -> Model {
        try ModelFile.load(path: try path)
    }
}
