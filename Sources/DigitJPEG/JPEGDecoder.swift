import CJPEGShim
import DigitFiles
import DigitImage


/// The most the decoder agrees to read and allocate, so a hostile or broken file fails
/// with an error instead of exhausting memory; the same limits as for PNG.
package enum JPEGLimits {
    /// Largest JPEG file read, in bytes (64 MiB), checked before reading.
    package static let maxFileBytes = 64 << 20
    /// Largest width x height decoded (40 megapixels), checked from the frame header before
    /// anything is allocated.
    package static let maxPixels = 40_000_000
    /// Most bytes libjpeg itself may allocate while decoding (256 MiB). A progressive file
    /// keeps every DCT coefficient until its last scan: 2 bytes per sample, so 240 MB for a
    /// 40-megapixel colour file without chroma subsampling, 36 MB for a 12-megapixel photo.
    package static let maxDecoderBytes = 256 << 20
}

/// How large a JPEG is decoded.
package enum JPEGScaling {
    /// The least longer side, in pixels, of a decoded picture (when the file is that large).
    ///
    /// libjpeg decodes at N/8 of full size (N in 1...8) for little more than the cost of
    /// reading the coefficients, and its reduced inverse DCT averages each block's area, as the
    /// preprocessing's own downscaling does. The smallest N keeping the longer side at least
    /// 1024 px is taken: `read` segments numbers on a 1024 px grid and `classify` analyses a
    /// digit on a 512 px one, so neither is handed fewer pixels than it would use, and a digit
    /// a tenth of a photo's height is still some 75 px tall. A 12-megapixel photo
    /// (4000x3000) decodes at 3/8, to 1500x1125 (1.7 megapixels).
    package static let minimumLongerSide = 1024
}

/// What a JPEG's headers say, read without decoding the picture.
package struct JPEGHeader: Equatable, Sendable {
    package enum ColourSpace: Equatable, Sendable {
        case gray, rgb, yCbCr, cmyk, ycck, unknown
    }

    /// Full-size dimensions in pixels, as stored (before the EXIF orientation).
    package let width: Int
    package let height: Int
    package let components: Int
    package let colourSpace: ColourSpace
    package let isProgressive: Bool
    package let isArithmeticCoded: Bool
    /// How to turn the stored picture upright (`.identity` without a readable EXIF tag).
    package let orientation: ExifOrientation
}

/// Reads the JPEG file at `path` and returns it upright as 8-bit gray, as a person would see it.
///
/// See `decodeJPEG(bytes:name:minimumLongerSide:)`. Throws `FileError` when the file cannot be
/// read (missing, a directory, not a regular file, unreadable, over `JPEGLimits.maxFileBytes`)
/// and `JPEGError` naming `path` when its contents are not a decodable JPEG.
package func decodeJPEG(file path: String) throws -> GrayImage {
    try decodeJPEG(file: RawPath(path))
}

/// Reads the JPEG file named by raw bytes (which need not be UTF-8); errors name
/// `file.displayName`.
package func decodeJPEG(file: RawPath) throws -> GrayImage {
    try decodeJPEG(bytes: readFile(file, limit: JPEGLimits.maxFileBytes), name: file.displayName)
}

/// Decodes a whole JPEG held in memory to upright 8-bit gray (0 black, 255 white).
///
/// Accepts baseline, extended, progressive and arithmetic-coded 8-bit JPEGs: gray, YCbCr, RGB,
/// and CMYK or YCCK (Adobe-inverted when an Adobe marker says so). Colour becomes luma
/// (0.299 R + 0.587 G + 0.114 B of the sRGB-encoded values, which is a YCbCr file's own Y).
/// The picture is downscaled while decoding by N/8 to the smallest size whose longer side is at
/// least `minimumLongerSide` pixels (nil: full size; see `JPEGScaling`), then turned upright by
/// its EXIF orientation; a missing or damaged EXIF block leaves it as stored.
///
/// Throws `JPEGError` naming `name`: empty data, no start-of-image marker, more than
/// `JPEGLimits.maxPixels` pixels, data ending before the picture (a file missing only its
/// end-of-image marker decodes), more than
/// `DIGIT_JPEG_MAX_SCANS` progressive scans, or libjpeg's message for anything else it
/// rejects (12-bit samples: "Unsupported JPEG data precision 12").
package func decodeJPEG(bytes: [UInt8], name: String,
                       minimumLongerSide: Int? = JPEGScaling.minimumLongerSide) throws -> GrayImage {
    try checkSignature(bytes, name: name)
    var pixels: UnsafeMutablePointer<UInt8>?
    var width: UInt32 = 0
    var height: UInt32 = 0
    var info = digit_jpeg_info()
    let longerSide = UInt32(clamping: max(0, minimumLongerSide ?? 0))
    let status = withMessageBuffer { message in
        bytes.withUnsafeBufferPointer { data in
            digit_jpeg_decode_gray(data.baseAddress, data.count, UInt64(JPEGLimits.maxPixels), longerSide,
                                   JPEGLimits.maxDecoderBytes, &pixels, &width, &height, &info, message)
        }
    }
    guard status.code == DIGIT_JPEG_OK, let pixels else {
        throw JPEGError(name: name, reason: reason(for: status, info: info))
    }
    defer { digit_jpeg_free(pixels) }
    let stored = GrayImage(width: Int(width), height: Int(height),
                           pixels: Array(UnsafeBufferPointer(start: pixels, count: Int(width) * Int(height))))
    return stored.oriented(ExifOrientation(jpeg: bytes) ?? .identity)
}

/// Reads a JPEG's headers (up to its first scan) without decoding the picture. Throws
/// `JPEGError` naming `name` as `decodeJPEG` does for a bad header.
package func readJPEGHeader(bytes: [UInt8], name: String) throws -> JPEGHeader {
    try checkSignature(bytes, name: name)
    var info = digit_jpeg_info()
    let status = withMessageBuffer { message in
        bytes.withUnsafeBufferPointer { digit_jpeg_read_info($0.baseAddress, $0.count, &info, message) }
    }
    guard status.code == DIGIT_JPEG_OK else { throw JPEGError(name: name, reason: reason(for: status, info: info)) }
    let colourSpace: JPEGHeader.ColourSpace
    switch info.colour {
    case DIGIT_JPEG_COLOUR_GRAY: colourSpace = .gray
    case DIGIT_JPEG_COLOUR_RGB: colourSpace = .rgb
    case DIGIT_JPEG_COLOUR_YCBCR: colourSpace = .yCbCr
    case DIGIT_JPEG_COLOUR_CMYK: colourSpace = .cmyk
    case DIGIT_JPEG_COLOUR_YCCK: colourSpace = .ycck
    default: colourSpace = .unknown
    }
    return JPEGHeader(width: Int(info.width), height: Int(info.height), components: Int(info.components),
                      colourSpace: colourSpace, isProgressive: info.progressive != 0,
                      isArithmeticCoded: info.arithmetic != 0,
                      orientation: ExifOrientation(jpeg: bytes) ?? .identity)
}

/// The start-of-image marker every JPEG begins with, and the first byte of the next marker.
let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]

private func checkSignature(_ bytes: [UInt8], name: String) throws {
    guard !bytes.isEmpty else { throw JPEGError(name: name, reason: .emptyFile) }
    guard bytes.starts(with: jpegSignature) else { throw JPEGError(name: name, reason: .badSignature) }
}

/// A shim status with the message the shim wrote beside it.
struct ShimResult {
    let code: digit_jpeg_status
    let message: String
}

/// Calls `body` with a message buffer of `DIGIT_JPEG_MESSAGE_CAPACITY` bytes and returns its
/// status with the NUL-terminated message.
func withMessageBuffer(_ body: (UnsafeMutablePointer<CChar>) -> digit_jpeg_status) -> ShimResult {
    var buffer = [CChar](repeating: 0, count: Int(DIGIT_JPEG_MESSAGE_CAPACITY))
    let code = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    buffer[buffer.count - 1] = 0
    let message = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return ShimResult(code: code, message: String(decoding: message, as: UTF8.self))
}

func reason(for result: ShimResult, info: digit_jpeg_info) -> JPEGError.Reason {
    switch result.code {
    case DIGIT_JPEG_TOO_MANY_PIXELS:
        return .tooManyPixels(width: Int(info.width), height: Int(info.height), limit: JPEGLimits.maxPixels)
    case DIGIT_JPEG_TRUNCATED: return .truncated
    case DIGIT_JPEG_TOO_MANY_SCANS: return .tooManyScans(limit: Int(DIGIT_JPEG_MAX_SCANS))
    case DIGIT_JPEG_OUT_OF_MEMORY: return .outOfMemory
    default: return .libjpeg(result.message)
    }
}
