import DigitJPEG
import DigitKit
import DigitPNG

/// Reads the picture file named by raw bytes, PNG or JPEG, and returns it as 8-bit gray, upright.
///
/// The format comes from the file's first bytes, never its name. Throws `FileError` when the
/// file cannot be read (missing, a directory, not a regular file, unreadable, larger than the
/// formats' file limits) and `PNGError`, `JPEGError` or `PictureFormatError` naming the file
/// when its contents cannot be decoded. Never blocks waiting for a writer (`readFile` opens
/// without waiting on a FIFO and refuses anything but a regular file).
func decodePicture(file: RawPath) throws -> GrayImage {
    let limit = max(PNGLimits.maxFileBytes, JPEGLimits.maxFileBytes)
    return try decodePicture(bytes: readFile(file, limit: limit), name: file.displayName)
}

/// Decodes a whole PNG or JPEG held in memory; see `decodePNG(bytes:name:)` and
/// `decodeJPEG(bytes:name:minimumLongerSide:)`.
///
/// A first byte of 0x89 (the PNG signature's, chosen by PNG to be no text character) goes to
/// the PNG decoder and FF D8 (a JPEG's start-of-image marker) to the JPEG decoder, so a file
/// of either kind damaged after those bytes gets its own decoder's reason ("PNG file corrupted
/// by ASCII conversion"). Anything else, empty data included, is a `PictureFormatError`
/// naming `name`.
func decodePicture(bytes: [UInt8], name: String) throws -> GrayImage {
    if bytes.starts(with: [0xFF, 0xD8]) { return try decodeJPEG(bytes: bytes, name: name) }
    if bytes.first == 0x89 { return try decodePNG(bytes: bytes, name: name) }
    throw PictureFormatError(name: name, isEmpty: bytes.isEmpty)
}

/// A file that is neither PNG nor JPEG: `x.jpg: not a PNG or JPEG file`.
struct PictureFormatError: Error, CustomStringConvertible {
    let name: String
    let isEmpty: Bool

    var description: String { "\(name): \(isEmpty ? "empty file, " : "")not a PNG or JPEG file" }
}
