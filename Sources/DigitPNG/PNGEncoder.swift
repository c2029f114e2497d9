import CLibPNG
import DigitFiles
import DigitImage

/// Encodes an 8-bit gray picture as an 8-bit grayscale PNG.
///
/// The output depends only on the pixels (no timestamps), so the same image always gives
/// the same bytes, and `decodePNG(bytes:name:)` gives the image back exactly.
/// Throws `PNGError` naming the image by size when it has no pixels (PNG cannot hold a
/// 0-pixel side) or libpng refuses it (e.g. more than a million pixels wide).
package func encodePNG(_ image: GrayImage) throws -> [UInt8] {
    try encodePNG(pixels: image.pixels, width: image.width, height: image.height,
                  format: UInt32(PNG_FORMAT_GRAY), kind: "gray")
}

/// Encodes an 8-bit RGB picture as a 24-bit sRGB PNG; deterministic like the gray encoder.
package func encodePNG(_ image: RGBImage) throws -> [UInt8] {
    try encodePNG(pixels: image.pixels, width: image.width, height: image.height,
                  format: UInt32(PNG_FORMAT_RGB), kind: "RGB")
}

/// Encodes `image` and replaces `path` with it atomically (a reader never sees half a
/// file, and a failure leaves the previous file intact). Throws `PNGError` or
/// `FileError` naming `path`.
package func writePNG(_ image: GrayImage, to path: String) throws {
    try AtomicFile.write(renamingErrors(to: path) { try encodePNG(image) }, to: path)
}

/// Encodes `image` and replaces `path` with it atomically, as the gray `writePNG` does.
package func writePNG(_ image: RGBImage, to path: String) throws {
    try AtomicFile.write(renamingErrors(to: path) { try encodePNG(image) }, to: path)
}

private func renamingErrors(to path: String, _ encode: () throws -> [UInt8]) throws -> [UInt8] {
    do {
        return try encode()
    } catch let error as PNGError {
        throw PNGError(name: path, reason: error.reason)
    }
}

private func encodePNG(pixels: [UInt8], width: Int, height: Int, format: UInt32,
                       kind: String) throws -> [UInt8] {
    let name = "encoding a \(width)x\(height) \(kind) image"
    let encodableSides = 1...Int(Int32.max)
    guard encodableSides.contains(width) && encodableSides.contains(height) else {
        throw PNGError(name: name, reason: .unencodableSize(width: width, height: height))
    }
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    image.width = UInt32(width)
    image.height = UInt32(height)
    image.format = format
    defer { png_image_free(&image) }

    // Uninitialised scratch space: the pages libpng does not write are never touched.
    let scratch = UnsafeMutableRawBufferPointer.allocate(
        byteCount: maximumPNGSize(dataBytes: (pixels.count / height + 1) * height), alignment: 1)
    defer { scratch.deallocate() }
    var size = png_alloc_size_t(scratch.count)
    let written = pixels.withUnsafeBytes { source in
        png_image_write_to_memory(&image, scratch.baseAddress, &size, 0, source.baseAddress, 0, nil)
    }
    guard written != 0 else { throw PNGError(name: name, reason: .libpng(libpngMessage(of: &image))) }
    return Array(scratch.prefix(Int(size)))
}

/// The most bytes libpng's simplified writer can produce for `dataBytes` bytes of filtered
/// rows (pixels plus one filter byte per row): libpng's own PNG_IMAGE_PNG_SIZE_MAX bound,
/// a function-like macro Swift cannot import. Writing into a buffer this large succeeds in
/// one pass instead of compressing twice to measure first.
private func maximumPNGSize(dataBytes: Int) -> Int {
    let zlibMaximum = dataBytes + (dataBytes + 7) / 8 + (dataBytes + 63) / 64 + 11
    let idatChunkHeaders = 12 * (zlibMaximum / Int(PNG_ZBUF_SIZE))
    let otherChunks = 8 + 25 + 16 + 44 + 12 + 12  // signature, IHDR, gAMA, cHRM, IEND, one IDAT
    return zlibMaximum + idatChunkHeaders + otherChunks
}
