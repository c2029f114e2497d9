import DigitFiles
import DigitImage
import DigitPNG
import Foundation
import Testing

/// Encoding pictures to PNG: exact round trips, stable bytes, atomic files, clear refusals.
struct PNGEncoderTests {
    /// Pseudo-random bytes from a fixed seed, so failures reproduce.
    static func noise(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test(arguments: [(1, 1), (28, 28), (3, 7), (301, 2), (1, 500)])
    func grayRoundTripsExactly(size: (width: Int, height: Int)) throws {
        let image = GrayImage(width: size.width, height: size.height,
                              pixels: Self.noise(count: size.width * size.height, seed: UInt64(size.width * 1000 + size.height)))
        let png = try encodePNG(image)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(try decodePNG(bytes: png, name: "gray") == image)
    }

    @Test func everyGrayLevelRoundTrips() throws {
        let image = GrayImage(width: 256, height: 1, pixels: (0...255).map { UInt8($0) })
        #expect(try decodePNG(bytes: encodePNG(image), name: "levels") == image)
    }

    /// RGB decodes to gray, so gray-valued RGB must come back as exactly those grays.
    @Test func grayValuedRGBRoundTripsExactly() throws {
        let levels = Self.noise(count: 40 * 30, seed: 7)
        let rgb = RGBImage(width: 40, height: 30, pixels: levels.flatMap { [$0, $0, $0] })
        #expect(try decodePNG(bytes: encodePNG(rgb), name: "rgb") == GrayImage(width: 40, height: 30, pixels: levels))
    }

    /// Colours come back as their luminance (sRGB in, linear-light Rec. 709 weights).
    @Test(arguments: [
        (RGB(255, 0, 0), 0.2126), (RGB(0, 255, 0), 0.7152), (RGB(0, 0, 255), 0.0722),
        (RGB.white, 1.0), (RGB.black, 0.0),
    ])
    func colourBecomesItsLuminance(colour: RGB, linearLuminance: Double) throws {
        let image = try decodePNG(bytes: encodePNG(RGBImage(width: 2, height: 2, filledWith: colour)), name: "colour")
        let expected = eightBitCode(linear: linearLuminance)
        #expect(image.pixels.allSatisfy { abs(Double($0) - expected) <= 1.5 }, "got \(image.pixels[0]), expected \(expected)")
    }

    @Test func sameImageGivesSameBytes() throws {
        let gray = GrayImage(width: 50, height: 20, pixels: Self.noise(count: 1000, seed: 3))
        #expect(try encodePNG(gray) == encodePNG(gray))
        let rgb = RGBImage(width: 10, height: 10, pixels: Self.noise(count: 300, seed: 4))
        #expect(try encodePNG(rgb) == encodePNG(rgb))
        var other = gray
        other[0, 0] &+= 1
        #expect(try encodePNG(other) != encodePNG(gray))
    }

    @Test func writePNGReplacesTheFileWithTheImage() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.png")
        try "old contents".write(toFile: path, atomically: false, encoding: .utf8)
        let image = GrayImage(width: 28, height: 28, pixels: Self.noise(count: 784, seed: 5))
        try writePNG(image, to: path)
        #expect(try decodePNG(file: path) == image)
        #expect(try readFile(path) == encodePNG(image))

        let rgb = RGBImage(width: 3, height: 2, filledWith: RGB(90, 90, 90))
        try writePNG(rgb, to: path)
        #expect(try decodePNG(file: path) == GrayImage(width: 3, height: 2, filledWith: 90))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.png"], "no temporary files left")
    }

    @Test func writePNGIntoAMissingFolderNamesThePath() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("no/such/folder/out.png")
        let error = try #require(throws: FileError.self) { try writePNG(GrayImage(width: 1, height: 1, filledWith: 0), to: path) }
        #expect(error.path == path)
    }

    @Test func emptyImageIsRefused() throws {
        let error = try #require(throws: PNGError.self) { try encodePNG(GrayImage(width: 0, height: 0, pixels: [])) }
        #expect(error.reason == .unencodableSize(width: 0, height: 0))
        #expect(error.description == "encoding a 0x0 gray image: a PNG needs 1 to 2147483647 pixels a side, this image is 0x0")

        let dir = try TemporaryDirectory()
        let path = dir.file("empty.png")
        #expect(throws: PNGError(name: path, reason: .unencodableSize(width: 5, height: 0))) {
            try writePNG(RGBImage(width: 5, height: 0, pixels: []), to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path), "a failed encode writes nothing")
    }

    @Test func imageLibpngRefusesGivesItsMessage() throws {
        let tooWide = GrayImage(width: 1_000_001, height: 1, filledWith: 255)
        let error = try #require(throws: PNGError.self) { try encodePNG(tooWide) }
        guard case let .libpng(message) = error.reason else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(!message.isEmpty)
        #expect(error.name == "encoding a 1000001x1 gray image")
    }
}
