import DigitFiles
import DigitImage
import DigitJPEG
import DigitPNG

/// Reads the picture file named by raw bytes, PNG or JPEG, and returns it as 8-bit gray, upright.
///
/// The format comes from the file's first bytes, never its name. Throws `FileError` naming the
/// file when it cannot be read (missing, a directory, not a regular file, unreadable, larger
/// than the formats' file limits) or its contents cannot be decoded. Never blocks waiting for a writer (`readFile` opens
/// without waiting on a FIFO and refuses anything but a regular file).
package func decodePicture(file: RawPath) throws -> GrayImage {
    let limit = max(PNGLimits.maxFileBytes, JPEGLimits.maxFileBytes)
    return try decodePicture(bytes: readFile(file, limit: limit), name: file.displayName)
}

/// Decodes a whole PNG or JPEG held in memory; see `decodePNG(bytes:name:)` and
/// `decodeJPEG(bytes:name:minimumLongerSide:)`.
///
/// A first byte of 0x89 (the PNG signature's, chosen by PNG to be no text character) goes to
/// the PNG decoder and FF D8 (a JPEG's start-of-image marker) to the JPEG decoder, so a file
/// of either kind damaged after those bytes gets its own decoder's reason ("PNG file corrupted
/// by ASCII conversion"). Anything else, empty data included, is refused. Every error is a `FileError` naming `name`, e.g. `x.jpg: not a PNG or JPEG file`.
package func decodePicture(bytes: [UInt8], name: String) throws -> GrayImage {
    do {
        if bytes.starts(with: [0xFF, 0xD8]) { return try decodeJPEG(bytes: bytes, name: name) }
        if bytes.first == 0x89 { return try decodePNG(bytes: bytes, name: name) }
    } catch let error as JPEGError {
        throw FileError(path: error.name, reason: error.explanation)
    } catch let error as PNGError {
        throw FileError(path: error.name, reason: error.explanation)
    }
    throw FileError(path: name, reason: bytes.isEmpty ? "empty file, not a PNG or JPEG file" : "not a PNG or JPEG file")
}
