import CJPEGShim
import DigitImage


/// How `encodeJPEG` stores a picture.
package struct JPEGEncoding: Sendable {
    /// libjpeg's quality, 1 (smallest file) to 100 (least loss); 75 is libjpeg's default.
    package var quality = 90
    /// Progressive scans instead of one baseline scan.
    package var isProgressive = false
    /// Arithmetic entropy coding instead of Huffman.
    package var isArithmeticCoded = false
    /// RGB stored as RGB and CMYK as CMYK (with an Adobe marker), instead of as YCbCr and YCCK.
    package var keepsColourSpace = false
    /// An APP1 segment's payload written after the JFIF or Adobe marker (at most 65,533 bytes),
    /// e.g. `ExifOrientation.exifSegment(...)`; nil writes none.
    package var app1: [UInt8]?

    package init(quality: Int = 90, isProgressive: Bool = false, isArithmeticCoded: Bool = false,
                keepsColourSpace: Bool = false, app1: [UInt8]? = nil) {
        self.quality = quality
        self.isProgressive = isProgressive
        self.isArithmeticCoded = isArithmeticCoded
        self.keepsColourSpace = keepsColourSpace
        self.app1 = app1
    }
}

/// Encodes an 8-bit gray picture as a one-component JPEG. The output depends only on the
/// pixels and options. Throws `JPEGError` naming the image by size when a side is 0 or over
/// 65,500 pixels, or libjpeg refuses the options.
package func encodeJPEG(_ image: GrayImage, _ options: JPEGEncoding = JPEGEncoding()) throws -> [UInt8] {
    try encodeJPEG(pixels: image.pixels, components: 1, width: image.width, height: image.height,
                   options: options, kind: "gray")
}

/// Encodes 8-bit RGB pixels (3 bytes each, row-major, `3 * width * height` bytes) as a colour
/// JPEG; errors as for the gray encoder.
package func encodeJPEG(rgb pixels: [UInt8], width: Int, height: Int,
                       _ options: JPEGEncoding = JPEGEncoding()) throws -> [UInt8] {
    precondition(pixels.count == 3 * width * height, "\(pixels.count) bytes for \(width)x\(height) RGB")
    return try encodeJPEG(pixels: pixels, components: 3, width: width, height: height, options: options, kind: "RGB")
}

/// Encodes 8-bit CMYK pixels (4 bytes each, Adobe-inverted: 255 is no ink) as a CMYK or YCCK
/// JPEG with an Adobe marker, as Photoshop writes them; errors as for the gray encoder.
package func encodeJPEG(cmyk pixels: [UInt8], width: Int, height: Int,
                       _ options: JPEGEncoding = JPEGEncoding()) throws -> [UInt8] {
    precondition(pixels.count == 4 * width * height, "\(pixels.count) bytes for \(width)x\(height) CMYK")
    return try encodeJPEG(pixels: pixels, components: 4, width: width, height: height, options: options, kind: "CMYK")
}

extension ExifOrientation {
    /// An APP1 payload ("Exif\0\0" and a TIFF block) whose IFD0 holds only this orientation,
    /// in little-endian ("II") or big-endian ("MM") byte order.
    package func exifSegment(littleEndian: Bool) -> [UInt8] {
        func bytes(_ value: UInt32, count: Int) -> [UInt8] {
            let bigEndian = (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
            return littleEndian ? bigEndian.reversed() : bigEndian
        }
        let byteOrder: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        let header = byteOrder + bytes(42, count: 2) + bytes(8, count: 4)
        // One entry: tag 0x0112, type SHORT (3), one value, held in the first two value bytes.
        let entry = bytes(0x0112, count: 2) + bytes(3, count: 2) + bytes(1, count: 4)
            + bytes(UInt32(rawValue), count: 2) + [0, 0]
        let ifd0 = bytes(1, count: 2) + entry + bytes(0, count: 4)
        return Array("Exif".utf8) + [0, 0] + header + ifd0
    }
}

private func encodeJPEG(pixels: [UInt8], components: Int, width: Int, height: Int, options: JPEGEncoding,
                        kind: String) throws -> [UInt8] {
    let name = "encoding a \(width)x\(height) \(kind) image"
    let encodableSides = 1...65_500
    guard encodableSides.contains(width), encodableSides.contains(height) else {
        throw JPEGError(name: name, reason: .unencodableSize(width: width, height: height))
    }
    var jpeg: UnsafeMutablePointer<UInt8>?
    var size = 0
    let app1 = options.app1 ?? []
    let status = withMessageBuffer { message in
        pixels.withUnsafeBufferPointer { source in
            app1.withUnsafeBufferPointer { segment in
                var shimOptions = digit_jpeg_encode_options(
                    input_components: Int32(components), quality: Int32(min(max(options.quality, 1), 100)),
                    progressive: options.isProgressive ? 1 : 0, arithmetic: options.isArithmeticCoded ? 1 : 0,
                    keep_colour_space: options.keepsColourSpace ? 1 : 0,
                    app1: options.app1 == nil ? nil : segment.baseAddress, app1_size: segment.count)
                return digit_jpeg_encode(source.baseAddress, UInt32(width), UInt32(height), &shimOptions,
                                         &jpeg, &size, message)
            }
        }
    }
    guard status.code == DIGIT_JPEG_OK, let jpeg else {
        throw JPEGError(name: name, reason: reason(for: status, info: digit_jpeg_info()))
    }
    defer { digit_jpeg_free(jpeg) }
    return Array(UnsafeBufferPointer(start: jpeg, count: size))
}
