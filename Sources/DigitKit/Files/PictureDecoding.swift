import DigitFiles
import DigitImage
import DigitJPEG
import DigitPNG

/// Reads the picture file named by raw bytes, PNG or JPEG, and returns it as 8-bit gray, upright.
///
/// The format comes from the file's first bytes, never its name. Throws `FileError` naming the
/// file when it cannot be read (missing, a directory, not a regular file, unreadable, larger
/// than the formats' file limits) or its contents cannot be decoded. Never blocks waiting for a
/// writer (`readFile` opens without waiting on a FIFO and refuses anything but a regular file).
package func decodePicture(file: RawPath) throws -> GrayImage {
    let limit = max(PNGLimits.maxFileBytes, JPEGLimits.maxFileBytes)
    return try decodePicture(bytes: readFile(file, limit: limit), name: file.displayName)
}

/// Decodes a whole PNG or JPEG held in memory; see `decodePNG(bytes:name:maxPixels:)` and
/// `decodeJPEG(bytes:name:minimumLongerSide:)`.
///
/// A first byte of 0x89 (the PNG signature's, chosen by PNG to be no text character) goes to
/// the PNG decoder and FF D8 (a JPEG's start-of-image marker) to the JPEG decoder, so a file
/// of either kind damaged after those bytes gets its own decoder's reason ("PNG file corrupted
/// by ASCII conversion"). Anything else, empty data included, is refused. A PNG whose header
/// declares more than `maxPNGPixels` pixels is refused before it is decoded; a JPEG, downscaled
/// while it decodes, has only its decoder's own limit (40 megapixels). Every error is a
/// `FileError` naming `name`, e.g. `x.jpg: not a PNG or JPEG file`; a refusal for size alone
/// has `isOverLimit` set.
package func decodePicture(bytes: [UInt8], name: String, maxPNGPixels: Int = PNGLimits.maxPixels) throws -> GrayImage {
    do {
        if bytes.starts(with: [0xFF, 0xD8]) { return try decodeJPEG(bytes: bytes, name: name) }
        if bytes.first == 0x89 { return try decodePNG(bytes: bytes, name: name, maxPixels: maxPNGPixels) }
    } catch let error as DecodingFailure {
        throw error.fileError
    }
    throw FileError(path: name, reason: bytes.isEmpty ? "empty file, not a PNG or JPEG file" : "not a PNG or JPEG file")
}

/// The most a picture may be, for callers that set a lower limit of their own.
public enum PictureLimits {
    /// The most pixels a PNG may declare (40 megapixels); a JPEG may declare as many.
    public static let maxPixels = PNGLimits.maxPixels
}

extension GrayImage {
    /// The picture as an 8-bit gray PNG file's bytes. Throws `PNGError` only for a picture with a
    /// side of 0 or over 2^31 - 1 pixels.
    public func pngData() throws -> [UInt8] {
        try encodePNG(self)
    }
}

extension GrayImage {
    /// The PNG or JPEG in `bytes`, upright, as 8-bit gray (see `DigitReader.classify(picture:name:maxPNGPixels:)`
    /// for what is read). Throws `FileError` naming `name` when it is neither or cannot be decoded.
    public init(pictureData bytes: [UInt8], name: String = "picture") throws {
        self = try decodePicture(bytes: bytes, name: name)
    }
}
