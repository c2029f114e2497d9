
/// The EXIF Orientation tag (0x0112): how to turn the picture as stored into the picture as
/// the camera's user saw it. Each case names that transformation; raw values are the tag's.
package enum ExifOrientation: UInt16, CaseIterable, Sendable {
    /// 1: stored upright.
    case identity = 1
    /// 2: mirror left to right.
    case flippedHorizontally = 2
    /// 3: turn half a turn.
    case rotated180 = 3
    /// 4: mirror top to bottom.
    case flippedVertically = 4
    /// 5: mirror across the main diagonal (row r becomes column r).
    case transposed = 5
    /// 6: turn a quarter turn clockwise (a phone held upright, home button or bottom edge right).
    case rotated90Clockwise = 6
    /// 7: mirror across the anti-diagonal.
    case transversed = 7
    /// 8: turn a quarter turn counter-clockwise.
    case rotated90CounterClockwise = 8

    /// The orientation in a JPEG's first EXIF block (an APP1 segment starting "Exif\0\0", before
    /// the first scan), or nil when there is none or it cannot be read: a segment running past
    /// the data, a bad TIFF header, an IFD0 outside the block, no Orientation entry in it, or a
    /// value other than 1...8. Never traps, whatever the bytes.
    package init?(jpeg bytes: [UInt8]) {
        guard let tiff = Self.exifBlock(in: bytes), let orientation = Self(tiff: tiff) else { return nil }
        self = orientation
    }

    /// The orientation in a TIFF block (the part of an EXIF segment after "Exif\0\0": byte
    /// order "II" or "MM", 42, the offset of IFD0, then IFD0's entries), or nil as for
    /// `init?(jpeg:)`. Offsets are from the block's first byte.
    package init?(tiff: ArraySlice<UInt8>) {
        let reader = TIFFReader(tiff)
        guard let reader, let ifd = reader.uint32(at: 4), let count = reader.uint16(at: Int(ifd)) else { return nil }
        let orientationTag: UInt16 = 0x0112
        let shortType: UInt16 = 3
        for index in 0..<Int(count) {
            let entry = Int(ifd) + 2 + 12 * index
            // An entry past the block's end ends the directory: it was cut short.
            guard let tag = reader.uint16(at: entry), let type = reader.uint16(at: entry + 2),
                  let values = reader.uint32(at: entry + 4), let value = reader.uint16(at: entry + 8)
            else { return nil }
            if tag == orientationTag {
                guard type == shortType, values >= 1, let orientation = Self(rawValue: value) else { return nil }
                self = orientation
                return
            }
        }
        return nil
    }

    /// The TIFF block of the first APP1 "Exif\0\0" segment among the marker segments that
    /// precede the first scan, or nil.
    static func exifBlock(in bytes: [UInt8]) -> ArraySlice<UInt8>? {
        guard bytes.starts(with: [0xFF, 0xD8]) else { return nil }
        let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            // Fill bytes: any number of FF may precede a marker.
            if marker == 0xFF {
                offset += 1
                continue
            }
            let startOfScan: UInt8 = 0xDA, endOfImage: UInt8 = 0xD9
            if marker == startOfScan || marker == endOfImage { return nil }
            // Markers without a length: TEM and the restart markers.
            if marker == 0x01 || (0xD0...0xD7).contains(marker) {
                offset += 2
                continue
            }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let payloadStart = offset + 4
            let end = offset + 2 + length
            guard length >= 2, end <= bytes.count else { return nil }
            let app1: UInt8 = 0xE1
            if marker == app1, bytes[payloadStart..<end].starts(with: exifHeader) {
                return bytes[(payloadStart + exifHeader.count)..<end]
            }
            offset = end
        }
        return nil
    }
}

/// Bounds-checked reads of 16- and 32-bit integers from a TIFF block in its byte order.
private struct TIFFReader {
    let bytes: ArraySlice<UInt8>
    let littleEndian: Bool

    /// nil unless `bytes` starts with a TIFF header: "II" or "MM", then 42 in that order.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count >= 8 else { return nil }
        let start = bytes.startIndex
        switch (bytes[start], bytes[start + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        self.bytes = bytes
        guard uint16(at: 2) == 42 else { return nil }
    }

    /// The `size`-byte unsigned integer at `offset` from the block's start, or nil when any of
    /// its bytes lies outside the block.
    private func integer(at offset: Int, size: Int) -> UInt32? {
        guard offset >= 0, offset <= bytes.count - size else { return nil }
        let start = bytes.startIndex + offset
        let field = bytes[start..<(start + size)]
        let ordered = littleEndian ? Array(field.reversed()) : Array(field)
        return ordered.reduce(0) { $0 << 8 | UInt32($1) }
    }

    func uint16(at offset: Int) -> UInt16? { integer(at: offset, size: 2).map { UInt16($0) } }
    func uint32(at offset: Int) -> UInt32? { integer(at: offset, size: 4) }
}
