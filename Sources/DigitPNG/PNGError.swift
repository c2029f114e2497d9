import DigitFiles

/// A PNG that cannot be decoded or encoded, with the file (or image) it concerns and why.
///
/// `description` reads `name: reason`, e.g. `x.png: not a PNG file (bad signature)` or
/// `x.png: PNG file corrupted by ASCII conversion` (libpng's own words).
public struct PNGError: DecodingFailure, CustomStringConvertible, Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        /// The file has no bytes at all.
        case emptyFile
        /// The first bytes are not the PNG signature, so this is some other kind of file.
        case badSignature
        /// The header declares more pixels than the decoder agrees to allocate.
        case tooManyPixels(width: Int, height: Int, limit: Int)
        /// A chunk declares `length` data bytes (plus its 4-byte CRC) but only `available`
        /// bytes follow its header in the file.
        case chunkOverrunsFile(type: String, length: Int, available: Int)
        /// An image to encode has a side PNG cannot hold (0, or over 2^31 - 1 pixels).
        case unencodableSize(width: Int, height: Int)
        /// libpng refused the data; the payload is its message (possibly empty).
        case libpng(String)
    }

    /// The file path when there is one; otherwise a name the caller chose for the data.
    public let name: String
    public let reason: Reason

    public init(name: String, reason: Reason) {
        self.name = name
        self.reason = reason
    }

    public var description: String { "\(name): \(explanation)" }

    /// True for a header declaring more pixels than the decoder allocates: refused for its size alone.
    package var isOverLimit: Bool {
        if case .tooManyPixels = reason { return true }
        return false
    }

    /// The reason in words, without the name: `description` is `name: explanation`.
    public var explanation: String {
        switch reason {
        case .emptyFile:
            return "empty file, not a PNG"
        case .badSignature:
            return "not a PNG file (bad signature)"
        case let .tooManyPixels(width, height, limit):
            return "image is \(width)x\(height) pixels, more than the \(limit / 1_000_000)-megapixel limit"
        case let .chunkOverrunsFile(type, length, available):
            return "\(type) chunk claims \(length) data bytes and a 4-byte CRC but only \(available) bytes follow its header (truncated or corrupt file)"
        case let .unencodableSize(width, height):
            return "a PNG needs 1 to \(Int32.max) pixels a side, this image is \(width)x\(height)"
        case let .libpng(message):
            return message.isEmpty ? "libpng failed without a message" : message
        }
    }
}
