import DigitJPEG
import DigitKit
import Foundation
import Testing

/// The library's public API as an app sees it: nothing but `import DigitKit`.
struct DigitReaderTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("samples").path

    @Test("Every sample digit is read right from its file, and the same from its bytes")
    func samplesFromFilesAndBytes() throws {
        let reader = try DigitReader()
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.samples)
            .filter { $0.first!.isNumber && $0.hasSuffix(".png") }.sorted()
        #expect(names.count >= 20)
        for name in names {
            let path = "\(Self.samples)/\(name)"
            let prediction = try reader.classify(pngFile: path)
            #expect(prediction.digit == Int(String(name.first!)), "\(name)")
            #expect(prediction.input.width == 28 && prediction.input.height == 28)
            #expect(abs(prediction.probabilities.reduce(0, +) - 1) < 1e-4)
            #expect(prediction.confidence == prediction.probabilities.max())
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(try reader.classify(png: bytes, name: name) == prediction)
        }
    }

    @Test("A whole number is read digit by digit, with each digit's box")
    func wholeNumber() throws {
        let reading = try DigitReader().readNumber(pngFile: "\(Self.samples)/number-2026-pen.png")
        #expect(reading.text() == "2026")
        #expect(reading.digits.map(\.box.x) == reading.digits.map(\.box.x).sorted())
    }

    @Test("A picture made in memory is read as the same digit as its PNG")
    func grayImage() throws {
        let reader = try DigitReader()
        var picture = GrayImage(width: 40, height: 60, filledWith: 255)
        for y in 8..<52 { for x in 18..<23 { picture[x, y] = 20 } }  // a vertical stroke
        #expect(try reader.classify(picture).digit == 1)
    }

    @Test("Each kind of bad input is its own typed error naming what it concerns")
    func errors() throws {
        let reader = try DigitReader()
        #expect(throws: PreprocessingError.noInk) { try reader.classify(GrayImage(width: 30, height: 30, filledWith: 200)) }
        #expect(throws: SegmentationError.noDigits) { try reader.readNumber(GrayImage(width: 30, height: 30, filledWith: 200)) }
        let notPNG = #expect(throws: PNGError.self) { try reader.classify(png: Array("hello".utf8), name: "note.png") }
        #expect(notPNG?.reason == .badSignature && notPNG?.name == "note.png")
        let missing = #expect(throws: FileError.self) { try reader.classify(pngFile: "/nonexistent/x.png") }
        #expect(missing?.path == "/nonexistent/x.png")
        let badModel = #expect(throws: FileError.self) { try DigitReader(modelAt: "\(Self.samples)/3-chalk.png") }
        #expect(badModel?.description == "\(Self.samples)/3-chalk.png: not a digit model file (bad magic)")
    }
}

/// `classify(pictureFile:)` and friends: PNG or JPEG, told by the first bytes, as `digit classify` reads them.
struct DigitReaderPictureTests {
    @Test("A sample as a JPEG stored turned (EXIF orientation 6) reads as its PNG does, from bytes and from a file")
    func jpegReadsAsItsPNG() throws {
        let reader = try DigitReader()
        let path = "\(DigitReaderTests.samples)/4-open-marker.png"
        let png = try decodePNG(file: path)
        let fromPNG = try reader.classify(pictureFile: path)
        #expect(fromPNG.digit == 4)
        // Stored turned a quarter counter-clockwise, with the tag that says to turn it back.
        let jpeg = try encodeJPEG(png.oriented(.rotated90CounterClockwise),
                                  JPEGEncoding(quality: 92, app1: ExifOrientation.rotated90Clockwise.exifSegment(littleEndian: true)))
        let fromBytes = try reader.classify(picture: jpeg, name: "card.jpg")
        #expect(fromBytes.digit == 4)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("digit-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("card.photo").path  // the name's extension is not what counts
        try Data(jpeg).write(to: URL(fileURLWithPath: file))
        #expect(try reader.classify(pictureFile: file) == fromBytes)
        #expect(try reader.readNumber(picture: jpeg, name: "card.jpg").text() == "4")
    }

    @Test("Neither PNG nor JPEG, a damaged JPEG and a missing file are FileErrors naming them")
    func errors() throws {
        let reader = try DigitReader()
        let text = #expect(throws: FileError.self) { try reader.classify(picture: Array("hello".utf8), name: "note.jpg") }
        #expect(text?.description == "note.jpg: not a PNG or JPEG file")
        let truncated = #expect(throws: FileError.self) { try reader.classify(picture: [0xFF, 0xD8, 0xFF], name: "cut.jpg") }
        #expect(truncated?.path == "cut.jpg")
        let missing = #expect(throws: FileError.self) { try reader.readNumber(pictureFile: "/nonexistent/n.jpg") }
        #expect(missing?.path == "/nonexistent/n.jpg")
    }
}
