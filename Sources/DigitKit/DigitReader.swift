@_exported import DigitFiles
@_exported import DigitImage
@_exported import DigitPNG
@_exported import DigitVision
import DigitCompute
import DigitStore

/// Reads handwritten digits in people's pictures with a trained model: the library's API, and
/// the engine behind `digit classify`, `digit read`, `digit evaluate --pictures` and `digit serve`.
///
/// ```swift
/// let reader = try DigitReader()                        // the bundled model
/// let prediction = try reader.classify(pictureFile: "my_digit.png")   // PNG or JPEG
/// print(prediction.digit, prediction.confidence)        // e.g. 7 0.998
/// ```
///
/// A picture of one digit becomes an MNIST-style 28x28 first (background removed, ink found in
/// either polarity, scaled into a 20-pixel box, centred by mass: see `DigitPrediction.input`),
/// exactly as `digit classify` reads it; a picture of a number is cut into its digits first, as
/// `digit read` does. Lists of files and folders are read as an ordered pipeline on every core
/// (`classify(_:progress:batch:)`, `readNumbers(_:progress:batch:)`). A reader holds no mutable
/// state: one may serve many threads at once.
public struct DigitReader: @unchecked Sendable {
    /// The model this reader reads with.
    public let model: ModelChoice
    private let load: ModelLoad

    /// A reader with the model that ships inside the package (99.6% on the MNIST test set).
    /// Throws `FileError` if the build lost the model resource.
    public init() throws {
        try self.init(model: .bundled)
    }

    /// A reader with the model file at `path` (one `digit train` wrote). Throws `FileError`
    /// naming `path` when it is missing, unreadable, or not an intact model file.
    public init(modelAt path: String) throws {
        try self.init(model: .file(path))
    }

    /// A reader with `model`, loaded now. Throws `FileError` as `init(modelAt:)` does.
    public init(model: ModelChoice) throws {
        self.model = model
        load = ModelLoad(loading: model)
        _ = try load.get()
    }

    /// A reader with `loaded`, a model in memory (one just tuned), named as `model` is.
    package init(model: ModelChoice, loaded: Model) {
        self.model = model
        load = ModelLoad(holding: loaded)
    }

    /// A reader whose model loads on a thread of its own while the caller goes on (decoding its
    /// first pictures, say): every reading waits for it, and throws its `FileError` when it
    /// cannot be loaded.
    public init(loadingInBackground model: ModelChoice) {
        self.model = model
        load = ModelLoad(startLoading: model)
    }

    /// The model's accuracy on the MNIST test set when it was trained, if recorded (0...1).
    public func testAccuracy() throws -> Float? {
        try load.get().info.testAccuracy
    }

    /// The loaded model, for the commands that inspect or draw it.
    package func loadedModel() throws -> Model {
        try load.get()
    }

    package func classifier() throws -> Classifier {
        try load.get().classifier
    }

    /// The number reader over this reader's model and the bundled whole-digit scorer.
    package func numberReader() throws -> NumberReader {
        NumberReader(classifier: try classifier(), wholeDigitScorer: try BundledModel.wholeDigitScorer())
    }

    /// The digit in `picture` (8-bit gray, 0 black to 255 white, any size, dark ink on light
    /// paper or light on dark). Throws `PreprocessingError.noInk` only for a blank picture: a
    /// picture without a distinct digit is still read whole (`DigitPrediction.wholePicture`).
    public func classify(_ picture: GrayImage) throws -> DigitPrediction {
        try SingleDigitReader(classifier: classifier()).read([picture])[0].get()
    }

    /// The digit in a PNG held in memory (any bit depth and colour type; transparency counts
    /// as white paper); `name` only names it in errors. Throws `PNGError` for data that is not
    /// a decodable PNG (or is over 40 megapixels), and as `classify(_:)` does.
    public func classify(png bytes: [UInt8], name: String = "picture") throws -> DigitPrediction {
        try classify(decodePNG(bytes: bytes, name: name))
    }

    /// The digit in the PNG file at `path`. Throws `FileError` when it cannot be read (missing,
    /// a folder, over 64 MiB), and as `classify(png:name:)` does.
    public func classify(pngFile path: String) throws -> DigitPrediction {
        try classify(decodePNG(file: path))
    }

    /// The digit in a PNG or JPEG held in memory, the format told by its first bytes (never by
    /// `name`, which only names it in errors); a JPEG is turned upright by its EXIF orientation
    /// and downscaled while it decodes. A PNG declaring more than `maxPNGPixels` pixels is
    /// refused before it is decoded. Throws `FileError` naming `name` for data that is neither
    /// or cannot be decoded (e.g. `photo.jpg: not a PNG or JPEG file`; `isOverLimit` when
    /// refused for its size), and as `classify(_:)` does.
    public func classify(picture bytes: [UInt8], name: String = "picture",
                         maxPNGPixels: Int = PictureLimits.maxPixels) throws -> DigitPrediction {
        try classify(decodePicture(bytes: bytes, name: name, maxPNGPixels: maxPNGPixels))
    }

    /// The digit in the PNG or JPEG file at `path`, as `digit classify` reads it. Throws
    /// `FileError` naming `path` when it cannot be read or decoded, and as `classify(_:)` does.
    public func classify(pictureFile path: String) throws -> DigitPrediction {
        try classify(decodePicture(file: RawPath(path)))
    }

    /// The whole number in `picture`: its digits found and read left to right, several lines
    /// top to bottom. With `digits`, only readings of that many digits (all lines together) are
    /// considered, unless the picture allows none. Throws `SegmentationError.noDigits` when no
    /// ink stands out.
    public func readNumber(_ picture: GrayImage, digits: Int? = nil) throws -> NumberReading {
        try numberReader().read(picture, digits: digits)
    }

    /// The whole number in a PNG held in memory; errors as `classify(png:name:)` and `readNumber(_:)`.
    public func readNumber(png bytes: [UInt8], name: String = "picture", digits: Int? = nil) throws -> NumberReading {
        try readNumber(decodePNG(bytes: bytes, name: name), digits: digits)
    }

    /// The whole number in the PNG file at `path`; errors as `classify(pngFile:)` and `readNumber(_:)`.
    public func readNumber(pngFile path: String, digits: Int? = nil) throws -> NumberReading {
        try readNumber(decodePNG(file: path), digits: digits)
    }

    /// The whole number in a PNG or JPEG held in memory; errors as
    /// `classify(picture:name:maxPNGPixels:)` and `readNumber(_:)`.
    public func readNumber(picture bytes: [UInt8], name: String = "picture",
                           maxPNGPixels: Int = PictureLimits.maxPixels, digits: Int? = nil) throws -> NumberReading {
        try readNumber(decodePicture(bytes: bytes, name: name, maxPNGPixels: maxPNGPixels), digits: digits)
    }

    /// The whole number in the PNG or JPEG file at `path`; errors as `classify(pictureFile:)` and
    /// `readNumber(_:)`.
    public func readNumber(pictureFile path: String, digits: Int? = nil) throws -> NumberReading {
        try readNumber(decodePicture(file: RawPath(path)), digits: digits)
    }
}
