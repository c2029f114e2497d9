import CLibPNG
import DigitFiles
import DigitImage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The most the decoder agrees to read and allocate, so a hostile or broken file fails
/// with an error instead of exhausting memory.
package enum PNGLimits {
    /// Largest PNG file read, in bytes (64 MiB), checked before reading.
    package static let maxFileBytes = 64 << 20
    /// Largest width x height decoded (40 megapixels), checked before the pixels are allocated.
    package static let maxPixels = 40_000_000
}

/// Reads the PNG file at `path` and returns it as 8-bit gray, as a person would see it.
///
/// See `decodePNG(bytes:name:)` for what is decoded and how. Throws `FileError` when the
/// file cannot be read (missing, a directory, a FIFO, socket or device, unreadable, over
/// `PNGLimits.maxFileBytes`) and `PNGError` naming `path` when its contents are not a
/// decodable PNG. Never blocks waiting for a writer.
package func decodePNG(file path: String) throws -> GrayImage {
    try decodePNG(file: RawPath(path))
}

/// Reads the PNG file named by raw bytes (which need not be UTF-8); errors name
/// `file.displayName`.
package func decodePNG(file: RawPath) throws -> GrayImage {
    try refuseSpecialFile(file)
    let bytes = try readFile(file, limit: PNGLimits.maxFileBytes)
    return try decodePNG(bytes: bytes, name: file.displayName)
}

/// Throws `FileError` naming `file` when it is a FIFO, socket or device.
///
/// `readFile` checks the type only after `open`, and opening a FIFO for reading waits until
/// some process opens it for writing: a FIFO named `x.png` in a folder would hang `classify`
/// forever. Missing files and folders pass through for `readFile` to report.
private func refuseSpecialFile(_ file: RawPath) throws {
    var info = stat()
    guard file.withCString({ stat($0, &info) }) == 0 else { return }
    let type = info.st_mode & S_IFMT
    guard type == S_IFREG || type == S_IFDIR else {
        throw FileError(path: file.displayName, reason: "is not a regular file")
    }
}

/// Decodes a whole PNG held in memory to 8-bit gray (0 black, 255 white).
///
/// Accepts every valid PNG: any bit depth, gray, RGB, palette, with or without alpha or
/// tRNS, interlaced or not. Colour becomes luminance and the result is sRGB-encoded,
/// honouring gAMA/sRGB/iCCP; 16-bit samples without gamma information are taken as sRGB,
/// as image viewers show them. Transparency is composited over white, so a transparent
/// canvas with dark strokes stays a white page with dark strokes.
///
/// Throws `PNGError` naming `name`: empty data, a wrong signature, more than `maxPixels`
/// pixels (checked from the header, before anything is allocated), or libpng's message for
/// anything else it rejects.
package func decodePNG(bytes: [UInt8], name: String, maxPixels: Int = PNGLimits.maxPixels) throws -> GrayImage {
    guard !bytes.isEmpty else { throw PNGError(name: name, reason: .emptyFile) }
    // libpng calls a bad first four bytes just "Not a PNG file"; checking them here gives
    // the common case a clearer message and leaves the subtler ones (such as a signature
    // mangled by ASCII conversion) to libpng's own words.
    let magic = pngSignature.prefix(4)
    guard bytes.prefix(magic.count).elementsEqual(magic.prefix(bytes.count)) else {
        throw PNGError(name: name, reason: .badSignature)
    }
    if let overrun = firstChunkOverrunningData(bytes) {
        throw PNGError(name: name, reason: overrun)
    }
    // libpng keeps reading from `bytes` until finish_read, so both calls happen while
    // the buffer is pinned.
    return try bytes.withUnsafeBytes { raw in
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        // Frees libpng's state on every path; harmless when libpng already freed it.
        defer { png_image_free(&image) }

        guard png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0 else {
            throw PNGError(name: name, reason: .libpng(libpngMessage(of: &image)))
        }
        let width = Int(image.width)
        let height = Int(image.height)
        guard width * height <= maxPixels else {
            throw PNGError(name: name, reason: .tooManyPixels(width: width, height: height, limit: maxPixels))
        }

        image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        let pixels = image.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
            ? try finishReadingSixteenBit(&image, name: name)
            : try finishReadingEightBit(&image, name: name)
        return GrayImage(width: width, height: height, pixels: pixels)
    }
}

/// Lets libpng convert the whole image to 8-bit gray, compositing alpha over white.
private func finishReadingEightBit(_ image: inout png_image, name: String) throws -> [UInt8] {
    image.format = UInt32(PNG_FORMAT_GRAY)
    var white = png_color(red: 255, green: 255, blue: 255)
    let rowStride = png_int_32(image.width)
    var pixels = [UInt8](repeating: 255, count: Int(image.width) * Int(image.height))
    let finished = pixels.withUnsafeMutableBytes { buffer in
        png_image_finish_read(&image, &white, buffer.baseAddress, rowStride, nil)
    }
    guard finished != 0 else { throw PNGError(name: name, reason: .libpng(libpngMessage(of: &image))) }
    return pixels
}

/// Reads 16-bit files as linear 16-bit luminance (and premultiplied alpha), then
/// composites over white and encodes to 8 bits here.
///
/// libpng 1.6.39 as patched by Debian (1.6.39-2+deb12u4) scales Adam7-interlaced 16-bit
/// images to 8 bits wrongly, garbling every other row (pnggroup/libpng#853); its linear
/// output is right. All 16-bit files take this path, so an image decodes the same whether
/// or not it is interlaced.
private func finishReadingSixteenBit(_ image: inout png_image, name: String) throws -> [UInt8] {
    let hasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
    image.format = UInt32(hasAlpha ? PNG_FORMAT_LINEAR_Y_ALPHA : PNG_FORMAT_LINEAR_Y)
    let channels = hasAlpha ? 2 : 1
    let count = Int(image.width) * Int(image.height)
    let rowStride = png_int_32(channels * Int(image.width))
    var linear = [UInt16](repeating: 0, count: channels * count)
    let finished = linear.withUnsafeMutableBytes { buffer in
        png_image_finish_read(&image, nil, buffer.baseAddress, rowStride, nil)
    }
    guard finished != 0 else { throw PNGError(name: name, reason: .libpng(libpngMessage(of: &image))) }

    let encode = LinearToEightBit.table
    guard hasAlpha else { return linear.map { encode[Int($0)] } }
    return (0..<count).map { i in
        // Premultiplied: what shows through the uncovered (1 - alpha) part is white.
        let overWhite = Int(linear[2 * i]) + 65_535 - Int(linear[2 * i + 1])
        return encode[min(overWhite, 65_535)]
    }
}

/// 8-bit codes for 16-bit linear light levels, with the gamma 2.2 curve libpng itself
/// uses for 8-bit output (PNG_GAMMA_sRGB), so 16-bit and 8-bit files of one picture
/// decode within a level or two of each other.
private enum LinearToEightBit {
    static let table: [UInt8] = (0...65_535).map { level in
        UInt8((255 * pow(Double(level) / 65_535, 1 / 2.2)).rounded())
    }
}

private let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// The first chunk before IEND whose declared length runs past the end of `bytes`.
///
/// libpng allocates and zeroes a buffer of the declared length before it reads certain
/// chunks (text, sPLT, pCAL, sCAL), so a 57-byte file claiming a 1 GiB iTXt chunk costs a
/// gigabyte and seconds. Every chunk must lie inside the file anyway, so refusing such a
/// chunk here bounds libpng's allocations by the file size. Only runs when the whole
/// signature is intact: otherwise the chunk offsets mean nothing and libpng says why.
/// IEND itself is not checked: libpng's simplified reader stops after the image data and
/// never reads it, so a file cut inside IEND's CRC decodes like one that lost IEND whole.
private func firstChunkOverrunningData(_ bytes: [UInt8]) -> PNGError.Reason? {
    guard bytes.starts(with: pngSignature) else { return nil }
    var offset = pngSignature.count
    while bytes.count - offset >= 8 {
        let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        let type = bytes[(offset + 4)..<(offset + 8)]
        if type.elementsEqual("IEND".utf8) { return nil }
        let followingHeader = bytes.count - offset - 8
        guard length + 4 <= followingHeader else {
            return .chunkOverrunsFile(type: chunkTypeName(type), length: length, available: followingHeader)
        }
        offset += 12 + length
    }
    return nil
}

/// A chunk type as text when it is the four ASCII letters the format requires, else in hex.
private func chunkTypeName(_ type: ArraySlice<UInt8>) -> String {
    let isLetter = { (byte: UInt8) in (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
    if type.allSatisfy(isLetter) { return String(decoding: type, as: UTF8.self) }
    return "0x" + type.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// The NUL-terminated message libpng left in `image` after a failed call.
func libpngMessage(of image: inout png_image) -> String {
    withUnsafeBytes(of: &image.message) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
}
