import DigitFiles
import DigitImage
import DigitPNG
import DigitStore
import Foundation
import Testing

/// Decoding pictures a person draws, and refusing clearly whatever is not a decodable PNG.
struct PNGDecoderTests {
    @Test func builderMatchesKnownCRC() {
        #expect(PNGBuilder.crc32(Array("IEND".utf8)) == 0xAE42_6082)
    }

    /// A drawing on a transparent canvas: transparent pixels must come out white (libpng
    /// would composite onto black, or whatever the buffer held, without a background).
    @Test func transparentCanvasWithBlackStrokesBecomesWhitePageWithDarkStrokes() throws {
        let width = 8, height = 6
        var rgba = [UInt8](repeating: 0, count: 4 * width * height)  // transparent black
        func paint(_ x: Int, _ y: Int, alpha: UInt8) {
            rgba.replaceSubrange((4 * (y * width + x))..<(4 * (y * width + x) + 4), with: [0, 0, 0, alpha])
        }
        for x in 1..<7 { paint(x, 2, alpha: 255) }  // an opaque black stroke
        paint(3, 4, alpha: 128)  // an anti-aliased edge
        let image = try decodePNG(bytes: PNGBuilder.rgba(width: width, height: height, pixels: rgba), name: "canvas.png")

        #expect(image.width == width && image.height == height)
        #expect(image[0, 0] == 255)
        #expect(image[7, 5] == 255)
        #expect((1..<7).allSatisfy { image[$0, 2] == 0 })
        #expect((100...220).contains(image[3, 4]), "half-covered black over white is mid gray, got \(image[3, 4])")
    }

    @Test func sixteenBitTransparencyIsAlsoCompositedOverWhite() throws {
        // 2x1 gray+alpha, 16-bit: transparent black, then opaque black.
        let scanlines: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        let png = PNGBuilder.png(width: 2, height: 1, bitDepth: 16, colorType: 4, scanlines: scanlines)
        let image = try decodePNG(bytes: png, name: "ga16.png")
        #expect(image.pixels == [255, 0])
    }

    @Test func emptyFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("x.png")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(throws: PNGError(name: path, reason: .emptyFile)) { try decodePNG(file: path) }
        #expect(PNGError(name: path, reason: .emptyFile).description == "\(path): empty file, not a PNG")
    }

    @Test func textFileNamedPNGIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("x.png")
        try "just some text\n".write(toFile: path, atomically: false, encoding: .utf8)
        let error = try #require(throws: PNGError.self) { try decodePNG(file: path) }
        #expect(error == PNGError(name: path, reason: .badSignature))
        #expect(error.description == "\(path): not a PNG file (bad signature)")
    }

    @Test func truncatedSignatureIsRefused() {
        #expect(throws: PNGError(name: "short", reason: .badSignature)) { try decodePNG(bytes: [0x89, 0x50, 0x00], name: "short") }
        #expect(throws: PNGError.self) { try decodePNG(bytes: [0x89, 0x50, 0x4E], name: "short") }
    }

    @Test func directoryNamedPNGIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("x.png")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let error = try #require(throws: FileError.self) { try decodePNG(file: path) }
        #expect(error.path == path)
        #expect(error.reason.contains("directory"))
    }

    @Test func missingFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("missing.png")
        let error = try #require(throws: FileError.self) { try decodePNG(file: path) }
        #expect(error.path == path)
        #expect(error.description.contains("No such file"))
    }

    @Test(.enabled(if: getuid() != 0, "root can read files whatever their permissions"))
    func unreadableFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("locked.png")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(PNGBuilder.signature)))
        #expect(chmod(path, 0) == 0)
        let error = try #require(throws: FileError.self) { try decodePNG(file: path) }
        #expect(error.description.contains("Permission denied"))
    }

    /// A sparse file one byte over the cap: refused from its size, without reading it.
    @Test func fileOverTheSizeCapIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("big.png")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(PNGBuilder.signature)))
        #expect(truncate(path, off_t(PNGLimits.maxFileBytes + 1)) == 0)
        let error = try #require(throws: FileError.self) { try decodePNG(file: path) }
        #expect(error.path == path)
        #expect(error.reason.contains("\(PNGLimits.maxFileBytes + 1) bytes"))
    }

    /// A valid 21-byte-IDAT file whose header claims 100000 x 100000 pixels is refused after
    /// reading the header, before 10 GB are allocated.
    @Test func hugeDimensionsAreRefusedBeforeAllocating() throws {
        let png = PNGBuilder.png(width: 100_000, height: 100_000, bitDepth: 8, colorType: 0, scanlines: [0, 0])
        let error = try #require(throws: PNGError.self) { try decodePNG(bytes: png, name: "x.png") }
        #expect(error.reason == .tooManyPixels(width: 100_000, height: 100_000, limit: PNGLimits.maxPixels))
        #expect(error.description == "x.png: image is 100000x100000 pixels, more than the 40-megapixel limit")
    }

    @Test func imageAtThePixelCapDecodes() throws {
        var picture = GrayImage(width: 8000, height: 5000, filledWith: 0)
        picture[0, 0] = 255
        let image = try decodePNG(bytes: encodePNG(picture), name: "cap.png")
        #expect(image.width * image.height == PNGLimits.maxPixels)
        #expect(image == picture)
    }

    @Test func chunkRunningPastTheEndIsRefused() throws {
        var png = PNGBuilder.png(width: 1, height: 1, bitDepth: 8, colorType: 0, scanlines: [0, 0])
        png.removeLast(20)  // cut into the IDAT chunk
        let error = try #require(throws: PNGError.self) { try decodePNG(bytes: png, name: "cut.png") }
        guard case let .chunkOverrunsFile(type, _, _) = error.reason else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(type == "IDAT")
    }

    /// Damaged compressed data inside a chunk whose CRC matches it: only inflating finds it.
    @Test func corruptPixelDataGivesLibpngsMessage() throws {
        var idat = PNGBuilder.zlibStored([0, 0])
        idat[3] ^= 0xFF  // the stored block's length no longer matches its complement
        let png = PNGBuilder.signature
            + PNGBuilder.chunk("IHDR", PNGBuilder.ihdr(width: 1, height: 1, bitDepth: 8, colorType: 0))
            + PNGBuilder.chunk("IDAT", idat)
            + PNGBuilder.chunk("IEND", [])
        #expect(throws: PNGError(name: "z.png", reason: .libpng("IDAT: invalid stored block lengths"))) {
            try decodePNG(bytes: png, name: "z.png")
        }
    }
}
