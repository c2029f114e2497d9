import DigitCompute
import DigitJPEG
import DigitPNG
import Foundation
import Testing

/// JPEG pictures through every command that reads pictures: classify (files, folders,
/// --save-preprocessed), read and evaluate --pictures; damaged JPEGs in bulk.
@Suite struct JPEGCommandTests {
    /// A sample PNG written as a JPEG (4:2:0 YCbCr, as cameras write), optionally stored turned
    /// with an EXIF orientation: the stored pixels are the upright ones turned back.
    static func jpeg(ofSample name: String, quality: Int = 85, progressive: Bool = false,
                     orientation: ExifOrientation = .identity) throws -> [UInt8] {
        let upright = try decodePNG(file: CLI.packageRoot + "/samples/" + name)
        let undo: [ExifOrientation: ExifOrientation] = [.rotated90Clockwise: .rotated90CounterClockwise,
                                                        .rotated90CounterClockwise: .rotated90Clockwise]
        let stored = upright.oriented(undo[orientation] ?? orientation)
        let rgb = stored.pixels.flatMap { [$0, $0, $0] }
        return try encodeJPEG(rgb: rgb, width: stored.width, height: stored.height,
                              JPEGEncoding(quality: quality, isProgressive: progressive,
                                           app1: orientation == .identity ? nil : orientation.exifSegment(littleEndian: true)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func digits(_ result: CLIResult) throws -> [String: Int] {
        var digits: [String: Int] = [:]
        for line in result.stdoutLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            digits[try #require(object["file"] as? String)] = object["digit"] as? Int
        }
        return digits
    }

    /// Every single-digit sample as a JPEG (baseline, progressive, and stored sideways or upside
    /// down with its EXIF tag) is read as the same digit as the PNG.
    @Test func samplesAsJPEGReadAsTheirDigits() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let kinds: [(String, Int, Bool, ExifOrientation)] = [
            ("baseline", 85, false, .identity), ("progressive", 70, true, .identity),
            ("exif6", 85, false, .rotated90Clockwise), ("exif8", 85, false, .rotated90CounterClockwise),
            ("exif3", 85, false, .rotated180),
        ]
        for sample in ClassifyCommandTests.samples {
            for (kind, quality, progressive, orientation) in kinds {
                try Self.write(Self.jpeg(ofSample: sample, quality: quality, progressive: progressive, orientation: orientation),
                               to: "\(folder)/\(kind)-\(sample).jpg")
            }
        }
        let result = try CLI.run(["classify", "--json", folder])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let digits = try Self.digits(result)
        #expect(digits.count == kinds.count * ClassifyCommandTests.samples.count)
        for (file, digit) in digits {
            let sample = String(file.split(separator: "/").last!.split(separator: "-", maxSplits: 1)[1])
            #expect(digit == Int(String(sample.first!)), "\(file) read as \(digit)")
        }
    }

    /// The format comes from the bytes: a PNG named .jpg reads, a text file named .jpg is one
    /// error naming it; a folder walk takes .png, .jpg and .jpeg in any case, nothing else.
    @Test func theFormatComesFromTheBytesAndTheWalkFromTheSuffix() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sample = CLI.packageRoot + "/samples/3-chalk.png"
        try FileManager.default.copyItem(atPath: sample, toPath: folder + "/a-png-named.jpg")
        let jpeg = try Self.jpeg(ofSample: "3-chalk.png")
        for name in ["b.JPG", "c.jpeg", "d.JPEG", "e.Jpg", "f.jpg.bak", "g.gif"] {
            try Self.write(jpeg, to: "\(folder)/\(name)")
        }
        let result = try CLI.run(["classify", "--json", folder])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let digits = try Self.digits(result)
        #expect(digits.keys.sorted() == ["a-png-named.jpg", "b.JPG", "c.jpeg", "d.JPEG", "e.Jpg"].map { "\(folder)/\($0)" })
        #expect(Set(digits.values) == [3])

        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: folder + "/text.jpg"))
        let text = try CLI.run(["classify", folder + "/text.jpg"])
        #expect(text.status == 1)
        #expect(text.stderrLines == ["Error: \(folder)/text.jpg: not a PNG or JPEG file"])
    }

    @Test func savePreprocessedReadAndEvaluateTakeJPEG() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/in", withIntermediateDirectories: false)
        try Self.write(Self.jpeg(ofSample: "3-chalk.png"), to: folder + "/in/3-chalk.jpg")
        try Self.write(Self.jpeg(ofSample: "7-bar-sticky-note.png", orientation: .rotated90Clockwise),
                       to: folder + "/in/7-sticky.jpeg")
        try FileManager.default.copyItem(atPath: CLI.packageRoot + "/samples/number-451-sticky-note.png",
                                         toPath: folder + "/451.png")
        let number = try decodePNG(file: folder + "/451.png")
        try Self.write(encodeJPEG(number, JPEGEncoding(quality: 85)), to: folder + "/451.jpg")

        let classify = try CLI.run(["classify", "--save-preprocessed", folder + "/seen", folder + "/in/3-chalk.jpg"])
        #expect(classify.status == 0, "stderr: \(classify.stderr)")
        let prefix = folder.replacingOccurrences(of: "/", with: "_") + "_in_3-chalk.jpg"
        let saved = try FileManager.default.contentsOfDirectory(atPath: folder + "/seen").sorted()
        #expect(saved == [prefix + ".png", prefix + ".x8.png"])

        let read = try CLI.run(["read", "--save-preprocessed", folder + "/boxes", folder + "/451.jpg"])
        #expect(read.status == 0, "stderr: \(read.stderr)")
        #expect(read.stdout.contains("451"), "\(read.stdout)")
        let boxes = try FileManager.default.contentsOfDirectory(atPath: folder + "/boxes").filter { $0.hasSuffix(".boxes.png") }
        #expect(boxes.count == 1)

        let evaluate = try CLI.run(["evaluate", "--pictures", folder + "/in", "--json"])
        #expect(evaluate.status == 0, "stderr: \(evaluate.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == 2)
        #expect(object["correct"] as? Int == 2, "\(evaluate.stdout)")
    }

    /// 300 damaged JPEGs in one folder: one answer or one error line each, exit status 0 or 1,
    /// no crash and no hang.
    @Test func threeHundredDamagedJPEGsGetOneLineEach() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let damaged = try DamagedJPEGs.make(count: 300, from: [
            Self.jpeg(ofSample: "4-open-marker.png", orientation: .rotated90Clockwise),
            Self.jpeg(ofSample: "2-blue-ink.png", progressive: true),
        ])
        #expect(damaged.count == 300)
        for (index, bytes) in damaged.enumerated() {
            try Self.write(bytes, to: String(format: "%@/damaged-%03d.jpg", folder, index))
        }
        let result = try #require(try BoundedRun.digit(["classify", folder]))
        #expect([0, 1].contains(result.status), "status \(result.status): \(result.stderr)")
        let lines = result.stdoutLines + result.stderrLines
        #expect(lines.count == 300)
        for index in 0..<300 {
            let name = String(format: "%@/damaged-%03d.jpg: ", folder, index)
            let matching = lines.filter { $0.hasPrefix(name) || $0.hasPrefix("Error: " + name) }
            #expect(matching.count == 1, "\(name): \(matching)")
        }
    }
}

/// Damaged copies of valid JPEGs, deterministic: cuts, bit flips, broken markers and segment
/// lengths, and frame headers claiming huge or zero sizes.
enum DamagedJPEGs {
    static func make(count: Int, from originals: [[UInt8]]) throws -> [[UInt8]] {
        var random = SeededRandom(seed: 16)
        var damaged: [[UInt8]] = []
        while damaged.count < count {
            let original = originals[damaged.count % originals.count]
            let markers = original.indices.dropLast().filter { original[$0] == 0xFF && original[$0 + 1] != 0 && original[$0 + 1] != 0xFF }
            var bytes = original
            switch damaged.count % 6 {
            case 0:  // cut anywhere, the header included
                bytes = Array(original.prefix(random.integer(below: original.count)))
            case 1:  // one to eight bits flipped
                for _ in 0...random.integer(below: 8) {
                    bytes[random.integer(below: bytes.count)] ^= UInt8(1 << random.integer(below: 8))
                }
            case 2:  // a marker turned into another
                bytes[markers[random.integer(below: markers.count)] + 1] = UInt8(random.integer(below: 256))
            case 3:  // a segment length of 0, 1, 2, or past the end
                let marker = markers[random.integer(below: min(markers.count, 8))]
                if marker + 3 < bytes.count {
                    let length = [0, 1, 2, 0xFFFF][random.integer(below: 4)]
                    bytes[marker + 2] = UInt8(length >> 8)
                    bytes[marker + 3] = UInt8(length & 0xFF)
                }
            case 4:  // a frame claiming another size
                if let frame = markers.first(where: { [0xC0, 0xC2].contains(original[$0 + 1]) }) {
                    let sides = [(65_535, 65_535), (0, 100), (100, 0), (7_000, 6_000), (1, 65_535), (6_400, 6_250)]
                    let (width, height) = sides[random.integer(below: sides.count)]
                    bytes.replaceSubrange((frame + 5)..<(frame + 9),
                                          with: [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)])
                }
            default:  // a run of random bytes over the entropy-coded data or the headers
                let start = random.integer(below: bytes.count)
                for offset in start..<min(bytes.count, start + 1 + random.integer(below: 64)) {
                    bytes[offset] = UInt8(random.integer(below: 256))
                }
            }
            damaged.append(bytes)
        }
        return damaged
    }
}
