import DigitFiles
import DigitImage
import DigitPNG
import Foundation
import Testing

/// Decoding the PngSuite reference images (http://www.schaik.com/pngsuite/): every valid
/// one decodes, known pixels have the values libpng's gray conversion must give, and
/// pictures stored two ways decode the same.
struct PNGSuiteValidTests {
    static let folder = Fixtures.pngSuiteValid

    func decode(_ name: String) throws -> GrayImage {
        try decodePNG(file: "\(Self.folder)/\(name).png")
    }

    @Test func allValidFilesDecode() throws {
        let files = try Fixtures.pngFiles(in: Self.folder)
        #expect(files.count == 161)
        for file in files {
            #expect(throws: Never.self, "\(file)") {
                let image = try decodePNG(file: file)
                // IHDR is the first chunk: width and height are big-endian at bytes 16 and 20.
                let header = try readFile(file).map(Int.init)
                let bigEndian = { (at: Int) in header[at..<(at + 4)].reduce(0) { $0 << 8 | $1 } }
                #expect(image.width == bigEndian(16) && image.height == bigEndian(20), "\(file)")
            }
        }
    }

    /// basn0g08 holds linear (gAMA 1.0) gray 32y + x in its first eight rows; the decoder
    /// must hand out the display-encoded code of each level.
    @Test func grayGradientIsGammaEncoded() throws {
        let image = try decode("basn0g08")
        #expect(image.width == 32 && image.height == 32)
        for y in 0..<8 {
            for x in 0..<32 {
                let expected = eightBitCode(linear: Double(32 * y + x) / 255)
                #expect(abs(Double(image[x, y]) - expected) <= 1, "(\(x), \(y))")
            }
        }
        #expect(image[0, 0] == 0)
        #expect(image[31, 7] == 255)
    }

    /// basn0g16 holds linear 16-bit gray 2304x + 512y (x < 28, y < 7). Its interlaced twin is
    /// checked too: the system libpng garbles every other row of interlaced 16-bit images
    /// when asked for 8 bits, which the decoder must work around.
    @Test(arguments: ["basn0g16", "basi0g16"])
    func sixteenBitGradientIsGammaEncoded(name: String) throws {
        let image = try decode(name)
        for y in 0..<7 {
            for x in 0..<28 {
                let expected = eightBitCode(linear: Double(2304 * x + 512 * y) / 65_535)
                #expect(abs(Double(image[x, y]) - expected) <= 1, "(\(x), \(y))")
            }
        }
    }

    /// Palette colours of basn3p08 (linear, gAMA 1.0) become the display code of their luminance.
    @Test(arguments: [
        (x: 0, y: 6, rgb: (102, 0, 0)),
        (x: 4, y: 6, rgb: (102, 50, 0)),
        (x: 8, y: 6, rgb: (102, 102, 0)),
        (x: 20, y: 6, rgb: (0, 102, 102)),
        (x: 16, y: 16, rgb: (1, 255, 1)),
        (x: 4, y: 1, rgb: (17, 10, 0)),
    ])
    func paletteColoursBecomeLuminance(pixel: (x: Int, y: Int, rgb: (Int, Int, Int))) throws {
        let expected = eightBitCode(linear: linearLuminance(pixel.rgb.0, pixel.rgb.1, pixel.rgb.2))
        for name in ["basn3p08", "basi3p08"] {
            let image = try decode(name)
            #expect(abs(Double(image[pixel.x, pixel.y]) - expected) <= 1.5, "\(name) (\(pixel.x), \(pixel.y))")
        }
    }

    /// basn2c08: row 16 fades red from 255 (x = 0) while green and blue stay 255; row 31 is
    /// gray 31 - x.
    @Test func rgbRowsBecomeLuminance() throws {
        let image = try decode("basn2c08")
        for x in 0..<32 {
            let fadingRed = eightBitCode(linear: linearLuminance(255 - x, 255, 255))
            #expect(abs(Double(image[x, 16]) - fadingRed) <= 1, "(\(x), 16)")
            let gray = eightBitCode(linear: Double(31 - x) / 255)
            #expect(abs(Double(image[x, 31]) - gray) <= 1, "(\(x), 31)")
        }
    }

    /// Every Adam7-interlaced file (`?i`) has a non-interlaced twin (`?n`) of the same
    /// picture; both must decode to identical pixels.
    @Test func interlacedMatchesNonInterlaced() throws {
        let names = Set(try Fixtures.pngFiles(in: Self.folder).map { ($0 as NSString).lastPathComponent })
        var pairs = 0
        for name in names where name.count == 12 && Array(name)[3] == "i" {
            var twin = Array(name)
            twin[3] = "n"
            let twinName = String(twin)
            guard names.contains(twinName) else { continue }
            #expect(try decodePNG(file: "\(Self.folder)/\(name)") == decodePNG(file: "\(Self.folder)/\(twinName)"),
                    "\(name) vs \(twinName)")
            pairs += 1
        }
        #expect(pairs == 33)
    }

    /// The same picture stored at another depth, in other chunk layouts, or with
    /// different backgrounds decodes the same (16-bit and 8-bit within rounding).
    @Test(arguments: [
        ("basn0g16", "oi9n0g16", 0), ("basn2c16", "pp0n2c16", 0), ("basn3p08", "ch2n3p08", 0),
        ("basn4a08", "bgbn4a08", 0), ("basn6a16", "bgyn6a16", 0), ("z00n2c08", "z09n2c08", 0),
        ("cs5n2c08", "cs5n3p08", 0), ("cs3n2c16", "cs8n2c08", 1), ("tbbn2c16", "tbrn2c08", 2),
    ])
    func samePictureDecodesTheSame(first: String, second: String, tolerance: Int) throws {
        let a = try decode(first)
        let b = try decode(second)
        #expect(a.width == b.width && a.height == b.height)
        let worst = zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(worst <= tolerance)
    }

    /// Transparent pixels (tRNS or alpha) come out white, whatever the file's bKGD says.
    @Test func transparencyIsCompositedOverWhite() throws {
        for name in ["tbbn3p08", "tbyn3p08", "tp1n3p08", "bgyn6a16"] {
            let image = try decode(name)
            #expect(image[0, 0] == 255, "\(name)")
        }
        let opaque = try decode("tp0n3p08")
        #expect(opaque[0, 0] != 255, "tp0n3p08 is the same picture without transparency")
    }
}

struct PNGSuiteInvalidTests {
    /// Each file and the failure it must report (libpng's own words, or ours where we
    /// check before libpng).
    static let expected: [String: PNGError.Reason] = [
        "xc1n0g08": .libpng("Invalid IHDR data"),
        "xc9n2c08": .libpng("Invalid IHDR data"),
        "xcrn0g04": .libpng("PNG file corrupted by ASCII conversion"),
        "xcsn0g01": .libpng("IDAT: CRC error"),
        "xd0n2c08": .libpng("Invalid IHDR data"),
        "xd3n2c08": .libpng("Invalid IHDR data"),
        "xd9n2c08": .libpng("Invalid IHDR data"),
        "xdtn0g01": .libpng("IEND: out of place"),
        "xhdn0g08": .libpng("IHDR: CRC error"),
        "xlfn0g04": .libpng("PNG file corrupted by ASCII conversion"),
        "xs1n0g01": .badSignature,
        "xs2n0g01": .badSignature,
        "xs4n0g01": .badSignature,
        "xs7n0g01": .libpng("PNG file corrupted by ASCII conversion"),
    ]

    @Test func everyInvalidFileGivesAPNGErrorNamingIt() throws {
        let files = try Fixtures.pngFiles(in: Fixtures.pngSuiteInvalid)
        #expect(files.count == Self.expected.count)
        for file in files {
            let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let error = try #require(throws: PNGError.self, "\(name)") { try decodePNG(file: file) }
            #expect(error.name == file)
            #expect(error.reason == Self.expected[name], "\(error)")
            #expect(error.description.hasPrefix("\(file): "))
        }
    }
}

struct PNGCrasherTests {
    enum Outcome: Equatable {
        case image(width: Int, height: Int)
        case error(PNGError.Reason)
    }

    /// Files that crashed or exhausted other decoders each end in their recorded outcome: an
    /// image of the recorded size or the recorded `PNGError`. Each `huge_*` file declares a chunk
    /// of 1 GiB in a file of under 100 bytes, which libpng would allocate and zero for some chunk
    /// types if the decoder let it: all are refused from the chunk table before libpng reads them.
    static let crasherOutcomes: [String: Outcome] = {
        var outcomes: [String: Outcome] = [
            "bad_iCCP": .error(.libpng("IHDR: CRC error")),
            "badadler": .error(.libpng("IDAT: incorrect data check")),
            "badcrc": .error(.libpng("IDAT: CRC error")),
            "empty_ancillary_chunks": .image(width: 1, height: 1),
            "huge_IDAT": .error(.chunkOverrunsFile(type: "IDAT", length: 0x3FFF_FFFF, available: 38)),
        ]
        for type in ["bKGD", "cHRM", "eXIf", "gAMA", "hIST", "iCCP", "iTXt", "pCAL", "pHYs", "sCAL", "sPLT", "sRGB",
                     "sTER", "tEXt", "tIME", "zTXt"] {
            outcomes["huge_\(type)_chunk"] = .error(.chunkOverrunsFile(type: type, length: 0x3FFF_FFFF, available: 16))
        }
        for name in ["juNK_unsafe_to_copy", "juNk_safe_to_copy"] {
            outcomes["huge_\(name)"] = .error(.chunkOverrunsFile(type: String(name.prefix(4)), length: 0x3FFF_FFFF,
                                                                     available: 16))
        }
        return outcomes
    }()

    @Test func everyCrasherEndsInItsRecordedOutcome() throws {
        let files = try Fixtures.pngFiles(in: Fixtures.crashers)
        let stem = { (file: String) in ((file as NSString).lastPathComponent as NSString).deletingPathExtension }
        #expect(files.count == 23)
        #expect(Set(files.map(stem)) == Set(Self.crasherOutcomes.keys))
        for file in files {
            let name = stem(file)
            let outcome: Outcome
            do {
                let image = try decodePNG(file: file)
                outcome = .image(width: image.width, height: image.height)
            } catch let error as PNGError {
                #expect(error.name == file)
                outcome = .error(error.reason)
            } catch {
                Issue.record("\(file): unexpected \(error)")
                continue
            }
            #expect(outcome == Self.crasherOutcomes[name], "\(name)")
        }
    }

    @Test func hugeChunkIsRefusedBeforeLibpngAllocatesIt() throws {
        let file = "\(Fixtures.crashers)/huge_iTXt_chunk.png"
        #expect(throws: PNGError(name: file, reason: .chunkOverrunsFile(type: "iTXt", length: 0x3FFF_FFFF, available: 16))) {
            try decodePNG(file: file)
        }
    }
}
