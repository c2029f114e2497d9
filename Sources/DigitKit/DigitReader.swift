@_exported import DigitFiles
@_exported import DigitImage
@_exported import DigitPNG
@_exported import DigitVision
import DigitCompute
import DigitStore

/// Reads handwritten digits in people's pictures with a trained model: the library's API.
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
/// `digit read` does. A reader holds no mutable state: one may serve many threads at once.
public struct DigitReader: @unchecked Sendable {
    private let classifier: Classifier

    /// A reader with the model that ships inside the package (99.5% on the MNIST test set).
    /// Throws `FileError` if the build lost the model resource.
    public init() throws {
        classifier = try BundledModel.load().classifier
    }

    /// A reader with the model file at `path` (one `digit train` wrote). Throws `FileError`
    /// naming `path` when it is missing, unreadable, or not an intact model file.
    public init(modelAt path: String) throws {
        classifier = try ModelFile.load(path: path).classifier
    }

    /// The digit in `picture` (8-bit gray, 0 black to 255 white, any size, dark ink on light
    /// paper or light on dark). Throws `PreprocessingError.noInk` only for a blank picture: a
    /// picture without a distinct digit is still read whole (`DigitPrediction.wholePicture`).
    public func classify(_ picture: GrayImage) throws -> DigitPrediction {
        try SingleDigitReader(classifier: classifier).read([picture])[0].get()
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
    /// and downscaled while it decodes. Throws `FileError` naming `name` for data that is neither
    /// or cannot be decoded (e.g. `photo.jpg: not a PNG or JPEG file`), and as `classify(_:)` does.
    public func classify(picture bytes: [UInt8], name: String = "picture") throws -> DigitPrediction {
        try classify(decodePicture(bytes: bytes, name: name))
    }

    /// The digit in the PNG or JPEG file at `path`, as `digit classify` reads it. Throws
    /// `FileError` naming `path` when it cannot be read or decoded, and as `classify(_:)` does.
    public func classify(pictureFile path: String) throws -> DigitPrediction {
        try classify(decodePicture(file: RawPath(path)))
    }

    /// The whole number in `picture`: its digits found and read left to right, several lines
    /// top to bottom. Throws `SegmentationError.noDigits` when no ink stands out.
    public func readNumber(_ picture: GrayImage) throws -> NumberReading {
        try NumberReader(classifier: classifier).read(picture)
    }

    /// The whole number in a PNG held in memory; errors as `classify(png:name:)` and `readNumber(_:)`.
    public func readNumber(png bytes: [UInt8], name: String = "picture") throws -> NumberReading {
        try readNumber(decodePNG(bytes: bytes, name: name))
    }

    /// The whole number in the PNG file at `path`; errors as `classify(pngFile:)` and `readNumber(_:)`.
    public func readNumber(pngFile path: String) throws -> NumberReading {
        try readNumber(decodePNG(file: path))
    }

    /// The whole number in a PNG or JPEG held in memory; errors as `classify(picture:name:)` and
    /// `readNumber(_:)`.
    public func readNumber(picture bytes: [UInt8], name: String = "picture") throws -> NumberReading {
        try readNumber(decodePicture(bytes: bytes, name: name))
    }

    /// The whole number in the PNG or JPEG file at `path`; errors as `classify(pictureFile:)` and
    /// `readNumber(_:)`.
    public func readNumber(pictureFile path: String) throws -> NumberReading {
        try readNumber(decodePicture(file: RawPath(path)))
    }
}
