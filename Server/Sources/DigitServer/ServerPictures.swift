import DigitFiles
import DigitImage
import DigitKit
import DigitPNG

/// The one way the server turns uploaded bytes into a picture, whatever route they came by.
package enum ServerPictures {
    /// Decodes `bytes` to 8-bit gray, the format told by the bytes themselves (not by the
    /// request's Content-Type). `name` names the picture in errors.
    ///
    /// Throws `ServerError` 413 for a PNG whose header declares more than
    /// `ServerLimits.maxPixels` pixels (checked before anything is decoded), and 400 with the
    /// decoder's message for anything else that is not a decodable PNG or JPEG. A JPEG is
    /// downscaled while it decodes (`decodeJPEG`), so it has only the decoder's own limit
    /// (40 megapixels, from its header): a phone's 12 MP photo is welcome.
    package static func decode(bytes: [UInt8], name: String) throws -> GrayImage {
        if let size = pngHeaderSize(bytes), size.width * size.height > ServerLimits.maxPixels {
            let refusal = PNGError(name: name, reason: .tooManyPixels(width: size.width, height: size.height, limit: ServerLimits.maxPixels))
            throw ServerError(.contentTooLarge, refusal.description)
        }
        do {
            return try decodePicture(bytes: bytes, name: name)
        } catch let error as FileError {
            throw ServerError.badRequest(error.description)
        }
    }

    private static let pngStart: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]

    /// The width and height an IHDR chunk declares, when `bytes` start with the PNG signature
    /// and an IHDR of the right length; nil otherwise (the decoder then says what is wrong).
    private static func pngHeaderSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard bytes.count >= 24, bytes.starts(with: pngStart) else { return nil }
        func bigEndian(at offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        return (bigEndian(at: 16), bigEndian(at: 20))
    }
}
