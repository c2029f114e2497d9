import DigitFiles
import DigitImage
import DigitJPEG
import Foundation
import Testing

/// Decoding the kinds of JPEG files cameras, scanners and editors write, and the errors.
struct JPEGDecoderTests {
    /// A smooth 64x48 picture with a dark disc: what JPEG keeps well.
    static let picture = GrayImage(width: 64, height: 48, pixels: (0..<(64 * 48)).map { i in
        let (x, y) = (i % 64, i / 64)
        let inDisc = (x - 40) * (x - 40) + (y - 20) * (y - 20) < 100
        return inDisc ? 30 : UInt8(100 + 2 * x)
    })

    static let codings: [JPEGEncoding] = [
        JPEGEncoding(quality: 95),
        JPEGEncoding(quality: 95, isProgressive: true),
        JPEGEncoding(quality: 95, isArithmeticCoded: true),
        JPEGEncoding(quality: 95, isProgressive: true, isArithmeticCoded: true),
    ]

    @Test(arguments: codings.indices)
    func grayBaselineProgressiveAndArithmeticFilesDecodeToTheirPixels(_ index: Int) throws {
        let options = Self.codings[index]
        let jpeg = try encodeJPEG(Self.picture, options)
        let header = try readJPEGHeader(bytes: jpeg, name: "gray.jpg")
        #expect(header.width == 64 && header.height == 48 && header.components == 1 && header.colourSpace == .gray)
        #expect(header.isProgressive == options.isProgressive && header.isArithmeticCoded == options.isArithmeticCoded)
        #expect(header.orientation == .identity)
        let decoded = try decodeJPEG(bytes: jpeg, name: "gray.jpg")
        #expect(decoded.width == 64 && decoded.height == 48)
        #expect(JPEGSupport.meanAbsoluteDifference(decoded, Self.picture) < 1.5)
    }

    /// Flat colour patches decode to their luma, 0.299 R + 0.587 G + 0.114 B, whether the file
    /// holds YCbCr (as cameras write) or RGB (Adobe transform 0).
    @Test(arguments: [false, true])
    func colourBecomesLuma(keepsRGB: Bool) throws {
        let colours: [(rgb: [UInt8], luma: Double)] = [
            ([255, 0, 0], 76.2), ([0, 255, 0], 149.7), ([0, 0, 255], 29.1), ([200, 180, 40], 169.9),
        ]
        for (rgb, luma) in colours {
            let pixels = (0..<(32 * 32)).flatMap { _ in rgb }
            let jpeg = try encodeJPEG(rgb: pixels, width: 32, height: 32, JPEGEncoding(quality: 98, keepsColourSpace: keepsRGB))
            #expect(try readJPEGHeader(bytes: jpeg, name: "c.jpg").colourSpace == (keepsRGB ? .rgb : .yCbCr))
            let decoded = try decodeJPEG(bytes: jpeg, name: "c.jpg")
            let mean = decoded.pixels.reduce(0.0) { $0 + Double($1) } / Double(decoded.pixels.count)
            #expect(abs(mean - luma) < 3, "\(rgb) decoded to \(mean), not \(luma)")
        }
    }

    /// Adobe CMYK and YCCK files (255 meaning no ink): the gray is the luma of the light the
    /// inks leave.
    @Test(arguments: [false, true])
    func cmykAndYCCKFilesDecodeToTheLightTheInksLeave(keepsCMYK: Bool) throws {
        let inks: [(cmyk: [UInt8], luma: Double)] = [
            ([255, 255, 255, 255], 255),  // no ink
            ([255, 255, 255, 128], 128),  // half black
            ([0, 255, 255, 255], 178.8),  // full cyan: no red
            ([255, 0, 255, 255], 105.3),  // full magenta: no green
            ([255, 255, 255, 0], 0),      // full black
        ]
        for (cmyk, luma) in inks {
            let pixels = (0..<(32 * 32)).flatMap { _ in cmyk }
            let jpeg = try encodeJPEG(cmyk: pixels, width: 32, height: 32, JPEGEncoding(quality: 98, keepsColourSpace: keepsCMYK))
            #expect(try readJPEGHeader(bytes: jpeg, name: "k.jpg").colourSpace == (keepsCMYK ? .cmyk : .ycck))
            let decoded = try decodeJPEG(bytes: jpeg, name: "k.jpg")
            let mean = decoded.pixels.reduce(0.0) { $0 + Double($1) } / Double(decoded.pixels.count)
            #expect(abs(mean - luma) < 4, "\(cmyk) decoded to \(mean), not \(luma)")
        }
    }

    /// The fixture made by libjpeg-turbo's own cjpeg (see Tests/Fixtures/README.md).
    @Test func aFileFromAnotherEncoderDecodes() throws {
        let path = JPEGSupport.packageRoot + "/Tests/Fixtures/jpeg/gradient-arithmetic-progressive.jpg"
        let header = try readJPEGHeader(bytes: readFile(path), name: path)
        #expect(header.isArithmeticCoded && header.isProgressive)
        let decoded = try decodeJPEG(file: path)
        #expect(decoded.width == header.width && decoded.height == header.height)
    }

    /// libjpeg-turbo here reads 8-bit samples only: a 12-bit file is one clear error.
    @Test func twelveBitSamplesAreAClearError() throws {
        var jpeg = try encodeJPEG(Self.picture)
        let frame = try #require(Self.offset(ofMarker: 0xC0, in: jpeg))
        jpeg[frame + 1] = 0xC1  // extended sequential, which allows 12 bits
        jpeg[frame + 4] = 12
        let error = try #require(throws: JPEGError.self) { try decodeJPEG(bytes: jpeg, name: "deep.jpg") }
        #expect(error.description == "deep.jpg: Unsupported JPEG data precision 12")
    }

    @Test func hugeDimensionsAreRefusedFromTheHeader() throws {
        var jpeg = try encodeJPEG(Self.picture)
        let frame = try #require(Self.offset(ofMarker: 0xC0, in: jpeg))
        jpeg.replaceSubrange((frame + 5)..<(frame + 9), with: [0xFD, 0xE8, 0xFD, 0xE8])  // 65000 x 65000
        let error = try #require(throws: JPEGError.self) { try decodeJPEG(bytes: jpeg, name: "huge.jpg") }
        #expect(error == JPEGError(name: "huge.jpg", reason: .tooManyPixels(width: 65_000, height: 65_000, limit: 40_000_000)))
        #expect(error.description == "huge.jpg: image is 65000x65000 pixels, more than the 40-megapixel limit")
    }

    @Test(arguments: [false, true])
    func aTruncatedFileIsAnError(progressive: Bool) throws {
        let jpeg = try encodeJPEG(Self.picture, JPEGEncoding(isProgressive: progressive))
        let error = try #require(throws: JPEGError.self) {
            try decodeJPEG(bytes: Array(jpeg.prefix(jpeg.count * 2 / 3)), name: "cut.jpg")
        }
        #expect(error == JPEGError(name: "cut.jpg", reason: .truncated))
        // Only the end-of-image marker missing: every row is there.
        #expect(try decodeJPEG(bytes: Array(jpeg.dropLast(2)), name: "no-eoi.jpg").height == 48)
    }

    /// A progressive file whose second scan (a first pass over some AC coefficients, which reads
    /// the same bits whatever came before) is repeated 120 times: each repeat is only a bogus
    /// progression (a warning), so without the limit libjpeg would read them all, a pass over
    /// every block each.
    @Test func moreThanAHundredScansAreRefused() throws {
        let jpeg = try encodeJPEG(Self.picture, JPEGEncoding(isProgressive: true))
        // Each scan with its own Huffman tables: from the first DHT or SOS after one scan's
        // header to the next's.
        let tablesOrScans = (0..<(jpeg.count - 1)).filter { jpeg[$0] == 0xFF && [0xC4, 0xDA].contains(jpeg[$0 + 1]) }
        let scans = (0..<(jpeg.count - 1)).filter { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xDA }
        let start = try #require(tablesOrScans.first { $0 > scans[0] })
        let end = try #require(tablesOrScans.first { $0 > scans[1] })
        let repeated = Array(jpeg[..<end]) + (0..<120).flatMap { _ in jpeg[start..<end] } + Array(jpeg[end...])
        #expect(throws: JPEGError(name: "scans.jpg", reason: .tooManyScans(limit: 100))) {
            try decodeJPEG(bytes: repeated, name: "scans.jpg")
        }
        #expect(try decodeJPEG(bytes: Array(jpeg[..<end]) + Array(jpeg[start..<end]) + Array(jpeg[end...]), name: "one-more.jpg")
                .width == 64, "one repeat is read")
    }

    @Test func emptyAndForeignDataAreErrorsNamingTheFile() throws {
        #expect(throws: JPEGError(name: "e.jpg", reason: .emptyFile)) { try decodeJPEG(bytes: [], name: "e.jpg") }
        #expect(throws: JPEGError(name: "p.jpg", reason: .badSignature)) {
            try decodeJPEG(bytes: [0x89, 0x50, 0x4E, 0x47], name: "p.jpg")
        }
        let error = try #require(throws: JPEGError.self) { try decodeJPEG(bytes: [0xFF, 0xD8, 0xFF, 0xD9], name: "x.jpg") }
        #expect(error.description.hasPrefix("x.jpg: "))
        let missing = "/nonexistent/x.jpg"
        #expect(throws: FileError.self) { try decodeJPEG(file: missing) }
    }

    /// Large photos decode at N/8 of full size, the smallest keeping the longer side ≥ 1024 px.
    @Test func largePicturesAreDownscaledWhileDecoding() throws {
        let large = GrayImage(width: 2400, height: 1800, pixels: (0..<(2400 * 1800)).map { UInt8(truncatingIfNeeded: $0 % 2400 / 10) })
        let jpeg = try encodeJPEG(large, JPEGEncoding(quality: 80))
        let scaled = try decodeJPEG(bytes: jpeg, name: "large.jpg")
        #expect(scaled.width == 1200 && scaled.height == 900, "4/8: 900 px would be under 1024")
        let full = try decodeJPEG(bytes: jpeg, name: "large.jpg", minimumLongerSide: nil)
        #expect(full.width == 2400 && full.height == 1800)
        let small = GrayImage(width: 1000, height: 700, filledWith: 200)
        let unscaled = try decodeJPEG(bytes: encodeJPEG(small), name: "small.jpg")
        #expect(unscaled.width == 1000 && unscaled.height == 700)
    }

    @Test func unencodableSizesAreErrors() {
        #expect(throws: JPEGError(name: "encoding a 0x5 gray image", reason: .unencodableSize(width: 0, height: 5))) {
            try encodeJPEG(GrayImage(width: 0, height: 5, pixels: []))
        }
    }

    /// The offset of the first `FF marker` segment.
    static func offset(ofMarker marker: UInt8, in jpeg: [UInt8]) -> Int? {
        (0..<(jpeg.count - 1)).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == marker }
    }
}
