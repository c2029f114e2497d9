import DigitFiles

/// A JPEG that cannot be decoded or encoded, with the file (or image) it concerns and why.
///
/// `description` reads `name: reason`, e.g. `x.jpg: not a JPEG file (no start-of-image marker)`
/// or `x.jpg: Unsupported JPEG data precision 12` (libjpeg's own words).
package struct JPEGError: DecodingFailure, CustomStringConvertible, Equatable, Sendable {
    package enum Reason: Equatable, Sendable {
        /// The file has no bytes at all.
        case emptyFile
        /// The first bytes are not a JPEG start-of-image marker (FF D8 FF).
        case badSignature
        /// The header declares more pixels than the decoder agrees to allocate.
        case tooManyPixels(width: Int, height: Int, limit: Int)
        /// The data, or an entropy-coded segment cut short by a marker, ends before the picture does.
        case truncated
        /// A progressive file has more scans than any encoder writes.
        case tooManyScans(limit: Int)
        /// Memory for the decoded or encoded picture could not be allocated.
        case outOfMemory
        /// An image to encode has a side JPEG cannot hold (0, or over 65,500 pixels).
        case unencodableSize(width: Int, height: Int)
        /// libjpeg refused the data; the payload is its message (possibly empty).
        case libjpeg(String)
    }

    /// The file path when there is one; otherwise a name the caller chose for the data.
    package let name: String
    package let reason: Reason

    package init(name: String, reason: Reason) {
        self.name = name
        self.reason = reason
    }

    package var description: String { "\(name): \(explanation)" }

    /// True for a header declaring more pixels than the decoder allocates: refused for its size alone.
    package var isOverLimit: Bool {
        if case .tooManyPixels = reason { return true }
        return false
    }

    /// The reason in words, without the name: `description` is `name: explanation`.
    package var explanation: String {
        switch reason {
        case .emptyFile:
            return "empty file, not a JPEG"
        case .badSignature:
            return "not a JPEG file (no start-of-image marker)"
        case let .tooManyPixels(width, height, limit):
            return "image is \(width)x\(height) pixels, more than the \(limit / 1_000_000)-megapixel limit"
        case .truncated:
            return "JPEG data ends before the picture does (truncated or corrupt file)"
        case let .tooManyScans(limit):
            return "progressive JPEG has more than \(limit) scans (corrupt or hostile file)"
        case .outOfMemory:
            return "not enough memory to decode the picture"
        case let .unencodableSize(width, height):
            return "a JPEG needs 1 to 65500 pixels a side, this image is \(width)x\(height)"
        case let .libjpeg(message):
            return message.isEmpty ? "libjpeg failed without a message" : message
        }
    }
}
