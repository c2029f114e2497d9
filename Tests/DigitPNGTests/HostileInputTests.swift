import CZlib
import DigitFiles
import DigitPNG
@testable import DigitVision
import Foundation
import Testing

/// Broken and hostile PNG files: each must end in one error naming the file (or, where the
/// picture is intact, an image), never a crash, a hang or unbounded memory.
/// Empty files, text or folders named `.png`, unreadable files and 100000 x 100000 headers
/// are covered in `PNGDecoderTests`.
struct HostileInputTests {
    /// PngSuite files with several chunk kinds: gamma + four IDATs, and gamma + cHRM + palette.
    static let truncationSubjects = ["oi4n2c16.png", "ccwn3p08.png"]

    /// The offsets at which each chunk starts, plus the file's length (the end of IEND).
    static func chunkBoundaries(_ png: [UInt8]) -> [Int] {
        var boundaries = [8]
        var offset = 8
        while offset + 8 <= png.count {
            let length = png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            offset += 12 + length
            boundaries.append(offset)
        }
        return boundaries
    }

    /// Every cut before IEND, at a chunk boundary or inside the next chunk's length, type or
    /// data, leaves the file incomplete and must say so. A cut that loses only IEND (or part
    /// of it) still holds the whole picture, which decodes as the complete file does: libpng's
    /// simplified reader stops after the image data, as viewers do.
    @Test(arguments: truncationSubjects)
    func truncatedAtEveryChunkBoundaryGivesAnErrorNamingTheFile(subject: String) throws {
        let full = Array(try Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.pngSuiteValid)/\(subject)")))
        let boundaries = Self.chunkBoundaries(full)
        #expect(boundaries.last == full.count, "\(subject) does not end at a chunk boundary")
        let whole = try decodePNG(bytes: full, name: subject)
        let iendStart = full.count - 12
        let dir = try TemporaryDirectory()
        let cuts = [0, 1, 4] + boundaries.dropLast().flatMap { [$0, $0 + 2, $0 + 4, $0 + 6, $0 + 8, $0 + 10] }
        for cut in Set(cuts).sorted() where cut < full.count {
            let path = dir.file("cut-\(cut).png")
            try Data(full.prefix(cut)).write(to: URL(fileURLWithPath: path))
            do {
                let image = try decodePNG(file: path)
                #expect(cut >= iendStart, "\(subject) cut at \(cut) of \(full.count) bytes decoded")
                #expect(image == whole, "\(subject) cut at \(cut) decoded to another picture")
            } catch let error as PNGError {
                #expect(cut < iendStart, "\(subject) cut at \(cut), inside IEND: \(error)")
                #expect(error.name == path)
                #expect(error.description.hasPrefix("\(path): ") && error.description.count > path.count + 2)
            }
        }
    }

    @Test func chunkCutInsideItsCRCSaysWhatIsMissing() throws {
        var png = PNGBuilder.png(width: 1, height: 1, bitDepth: 8, colorType: 0, scanlines: [0, 0])
        png.removeLast(12 + 2)  // IEND, and half of IDAT's CRC
        let error = try #require(throws: PNGError.self) { try decodePNG(bytes: png, name: "cut.png") }
        #expect(error.description == "cut.png: IDAT chunk claims 13 data bytes and a 4-byte CRC but only 15 bytes "
            + "follow its header (truncated or corrupt file)")
    }

    /// A chunk's CRC no longer matches its type and data: an error for the header and the
    /// pixel data. IEND carries nothing and is not read (see the truncation test), so a
    /// damaged IEND leaves the picture intact.
    @Test(arguments: ["IHDR", "IDAT", "IEND"])
    func badCRCInACriticalChunkIsAnErrorUnlessThePictureIsIntact(chunkType: String) throws {
        let intact = PNGBuilder.png(width: 2, height: 2, bitDepth: 8, colorType: 0, scanlines: [0, 9, 9, 0, 9, 9])
        var png = intact
        let typeOffset = try #require(Self.offset(of: chunkType, in: png))
        let length = png[(typeOffset - 4)..<typeOffset].reduce(0) { $0 << 8 | Int($1) }
        png[typeOffset + 4 + length] ^= 0x01
        guard chunkType != "IEND" else {
            #expect(try decodePNG(bytes: png, name: "crc.png") == decodePNG(bytes: intact, name: "intact.png"))
            return
        }
        let error = try #require(throws: PNGError.self) { try decodePNG(bytes: png, name: "crc.png") }
        #expect(error.name == "crc.png")
        #expect(error.description.contains("CRC"), "\(error)")
    }

    /// Offset of the first chunk type `type` (the byte after its length field).
    static func offset(of type: String, in png: [UInt8]) -> Int? {
        let pattern = Array(type.utf8)
        return (8..<(png.count - 3)).first { png[$0..<($0 + 4)].elementsEqual(pattern) }
    }

    @Test(arguments: [
        (width: UInt32(0x7FFF_FFFF), height: UInt32(0x7FFF_FFFF)),  // largest PNG allows
        (width: 8000, height: 5001),  // one row over the cap
        (width: 1, height: 40_000_001),  // a one-pixel-wide strip over the cap
        (width: 40_000_001, height: 1),
    ])
    func hugeDeclaredDimensionsAreRefusedFromTheHeader(size: (width: UInt32, height: UInt32)) throws {
        let png = PNGBuilder.png(width: size.width, height: size.height, bitDepth: 8, colorType: 0, scanlines: [0, 0])
        let error = try #require(throws: PNGError.self) { try decodePNG(bytes: png, name: "huge.png") }
        #expect(error.name == "huge.png")
        // libpng refuses sides over its own 1000000-pixel default; the decoder the area.
        if case .libpng(let message) = error.reason {
            #expect(message.contains("exceeds user limit") || message.contains("Invalid"), "\(error)")
        } else {
            #expect(error.reason == .tooManyPixels(width: Int(size.width), height: Int(size.height),
                                                   limit: PNGLimits.maxPixels))
        }
    }

    /// 20000 x 20000 zeros: 400 MB of pixels in a file of about 400 KB. The cap is checked on
    /// the header, before the pixels are allocated or inflated: the same header followed by a
    /// few bytes of image data, cut short, is refused with the same error, where a decoder that
    /// inflated first would report the missing data.
    @Test func decompressionBombIsRefusedByThePixelCapFromItsHeader() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("bomb.png")
        let bomb = ZeroPNG.gray(width: 20_000, height: 20_000)
        #expect(bomb.count < 1_000_000, "the bomb is \(bomb.count) bytes")
        try Data(bomb).write(to: URL(fileURLWithPath: path))
        let refusal = PNGError(name: path, reason: .tooManyPixels(width: 20_000, height: 20_000, limit: PNGLimits.maxPixels))
        #expect(throws: refusal) { try decodePNG(file: path) }

        /// A gray `side` x `side` header, then the first bytes of a zlib stream of zeros.
        func cutShort(side: UInt32) -> [UInt8] {
            PNGBuilder.signature
                + PNGBuilder.chunk("IHDR", PNGBuilder.ihdr(width: side, height: side, bitDepth: 8, colorType: 0))
                + PNGBuilder.chunk("IDAT", Array(ZeroPNG.zlibOfZeros(count: 100_000).prefix(16)))
                + PNGBuilder.chunk("IEND", [])
        }
        try Data(cutShort(side: 20_000)).write(to: URL(fileURLWithPath: path))
        #expect(throws: refusal) { try decodePNG(file: path) }
        // Within the cap, the same cut-short data is an error of the image data itself.
        let error = try #require(throws: PNGError.self) { try decodePNG(bytes: cutShort(side: 2_000), name: "small.png") }
        guard case .libpng = error.reason else {
            Issue.record("expected libpng's error for missing image data, got \(error)")
            return
        }
    }

    /// 6000 x 6000 (36 MP) is within the cap: it decodes, and preprocessing ends in the ordinary
    /// "no digit" error for an all-black picture. Its analysis runs on a plane averaged down to
    /// `analysisSide` on the longer side, which is what bounds the work per picture whatever the
    /// picture's size (a hang would be stopped by the test runner).
    @Test func largePictureWithinTheCapDecodesAndPreprocessesOnABoundedPlane() throws {
        let png = ZeroPNG.gray(width: 6000, height: 6000)
        let image = try decodePNG(bytes: png, name: "big.png")
        #expect(image.width == 6000 && image.height == 6000)
        #expect(image.pixels.allSatisfy { $0 == 0 })
        #expect(throws: PreprocessingError.noInk) { try preprocessDigit(image) }
        let preprocessor = DigitPreprocessor()
        let plane = DigitPreprocessor.analysisPlane(image, maximumSide: preprocessor.analysisSide)
        #expect(plane.width == preprocessor.analysisSide && plane.height == preprocessor.analysisSide)
    }

    @Test(arguments: [
        ("JPEG", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00]),
        ("GIF", Array("GIF89a\u{01}\u{00}\u{01}\u{00}".utf8)),
        ("ZIP", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]),
        ("UTF-16 text", [0xFF, 0xFE, 0x68, 0x00, 0x69, 0x00]),
        ("PNG signature then text", [0x89, 0x50, 0x4E, 0x47] + Array("not really".utf8)),
        ("full signature then nothing", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("single byte", [0x89]),
    ] as [(String, [UInt8])])
    func otherFilesNamedPNGGiveOneErrorNamingThem(kind: String, bytes: [UInt8]) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("photo.png")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: PNGError.self, "\(kind)") { try decodePNG(file: path) }
        #expect(error.name == path)
        #expect(!error.description.contains("\n"))
    }

    /// A FIFO named `x.png`: opening it for reading would wait for a writer forever, so it is
    /// refused as not a regular file. Should decoding block anyway, the test opens the FIFO for
    /// writing itself after 5 seconds, which releases the decoder, and records the hang.
    @Test func fifoNamedPNGIsRefusedWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("pipe.png")
        #expect(mkfifo(path, 0o644) == 0)
        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        Thread {
            do {
                _ = try decodePNG(file: path)
            } catch {
                outcome.error = error
            }
            finished.signal()
        }.start()
        if finished.wait(timeout: .now() + 5) == .timedOut {
            Issue.record("decodePNG blocked on a FIFO")
            let writer = open(path, O_WRONLY | O_NONBLOCK)
            finished.wait()
            close(writer)
        }
        let error = try #require(outcome.error as? FileError, "\(String(describing: outcome.error))")
        #expect(error.path == path)
        #expect(error.reason.contains("not a regular file"))
    }

    /// What a background decode threw; written before the semaphore is signalled, read after.
    final class Outcome: @unchecked Sendable {
        var error: Error?
    }
}

/// Gray 8-bit PNGs of all-zero pixels, built without holding the pixels in memory.
enum ZeroPNG {
    /// IHDR, IDAT chunks of at most 1 MiB holding the zlib stream of every row (filter byte 0
    /// and `width` zero samples), IEND.
    static func gray(width: Int, height: Int) -> [UInt8] {
        let stream = zlibOfZeros(count: (width + 1) * height)
        var png = PNGBuilder.signature
            + PNGBuilder.chunk("IHDR", PNGBuilder.ihdr(width: UInt32(width), height: UInt32(height), bitDepth: 8, colorType: 0))
        var start = 0
        while start < stream.count {
            let end = min(start + (1 << 20), stream.count)
            png += PNGBuilder.chunk("IDAT", Array(stream[start..<end]))
            start = end
        }
        return png + PNGBuilder.chunk("IEND", [])
    }

    /// A zlib stream of `count` zero bytes.
    ///
    /// Deflating hundreds of megabytes takes seconds, so one MiB is deflated (raw deflate) with
    /// `Z_FULL_FLUSH`, which resets the compressor: every further MiB of zeros compresses to
    /// the same bytes, which are repeated. The remainder is deflated to end the stream, and the
    /// zlib header and the Adler-32 of `count` zeros (a = 1, b = count mod 65521) wrap it.
    static func zlibOfZeros(count: Int) -> [UInt8] {
        let piece = 1 << 20
        var stream = z_stream()
        let started = deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY,
                                    ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK, "deflateInit2 failed: \(started)")
        defer { deflateEnd(&stream) }
        func deflateZeros(_ n: Int, flush: Int32) -> [UInt8] {
            var zeros = [UInt8](repeating: 0, count: n)
            var output = [UInt8](repeating: 0, count: n / 100 + 1024)
            let produced = zeros.withUnsafeMutableBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    stream.next_in = input.baseAddress
                    stream.avail_in = uInt(n)
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = deflate(&stream, flush)
                    precondition(status == Z_OK || status == Z_STREAM_END, "deflate failed: \(status)")
                    precondition(stream.avail_in == 0 && stream.avail_out > 0, "deflate output buffer too small")
                    return out.count - Int(stream.avail_out)
                }
            }
            return Array(output.prefix(produced))
        }
        let fullPiece = count >= piece ? deflateZeros(piece, flush: Z_FULL_FLUSH) : []
        let body = Array([[UInt8]](repeating: fullPiece, count: count / piece).joined())
            + deflateZeros(count % piece, flush: Z_FINISH)
        let adler = UInt32(count % 65_521) << 16 | 1
        return [0x78, 0xDA] + body + PNGBuilder.bigEndian(adler)
    }
}
