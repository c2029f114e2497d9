import DigitImage
import DigitPNG
import Foundation
import Testing

@Suite struct ReadCommandTests {
    /// The multi-digit samples, `number-<text>-<style>.png`, "_" separating lines in the text.
    static let numberSamples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot + "/samples")) ?? []
        return names.filter { $0.hasPrefix("number-") && $0.hasSuffix(".png") }.sorted()
    }()

    /// The text a sample's name says it holds, lines joined with "\n".
    static func expectedText(_ name: String) -> String {
        String(name.dropFirst("number-".count).prefix { $0 != "-" }).replacingOccurrences(of: "_", with: "\n")
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func thereAreMultiDigitSamplesIncludingTwoLines() {
        #expect(Self.numberSamples.count >= 4)
        #expect(Self.numberSamples.contains { Self.expectedText($0).contains("\n") })
    }

    @Test func everyNumberSampleIsReadAsTheNumberInItsName() throws {
        let result = try CLI.run(["read", "--json"] + Self.numberSamples.map { "samples/" + $0 })
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdoutLines.count == Self.numberSamples.count)
        for line in result.stdoutLines {
            let object = try Self.object(line)
            let file = try #require(object["file"] as? String)
            let expected = Self.expectedText(String(file.split(separator: "/").last!))
            #expect(object["text"] as? String == expected, "\(file) read as \(object["text"] ?? "nil")")
            let digits = try #require(object["digits"] as? [[String: Any]])
            #expect(digits.count == expected.filter(\.isNumber).count)
        }
    }

    @Test func theNumbersConfidenceIsTheProductOfItsDigitsAndComesLast() throws {
        let result = try CLI.run(["read", "--json", "samples/number-3605-marker.png"])
        let line = try #require(result.stdoutLines.first)
        #expect(line.hasSuffix("]}],\"confidence\":" + line.split(separator: ":").last!))
        let object = try Self.object(line)
        let digits = try #require(object["digits"] as? [[String: Any]])
        let product = digits.compactMap { $0["confidence"] as? Double }.reduce(1, *)
        let confidence = try #require(object["confidence"] as? Double)
        #expect(abs(confidence - product) < 1e-5, "\(confidence) vs \(product)")
    }

    @Test func aKnownDigitCountOnlyConsidersReadingsOfThatManyDigits() throws {
        let path = "samples/number-2026-pen.png"
        let four = try Self.object(try #require(try CLI.run(["read", "--json", "--digits", "4", path]).stdoutLines.first))
        #expect(four["text"] as? String == "2026")
        // Five digits only by cutting one of the four: a reading the network is less sure of.
        let five = try Self.object(try #require(try CLI.run(["read", "--json", "--digits", "5", path]).stdoutLines.first))
        #expect((five["digits"] as? [[String: Any]])?.count == 5, "\(five)")
        #expect(try #require(five["confidence"] as? Double) < (try #require(four["confidence"] as? Double)))
        let refused = try CLI.run(["read", "--digits", "0", path])
        #expect(refused.status != 0 && refused.stderr.contains("--digits"))
    }

    @Test func textOutputGivesTheNumberThenEachDigitWithItsConfidence() throws {
        let result = try CLI.run(["read", "samples/number-2026-pen.png", "samples/number-31_12-blue-ink.png"])
        #expect(result.status == 0)
        #expect(result.stdoutLines.count == 2)
        let line = try #require(result.stdoutLines.first)
        #expect(line.hasPrefix("samples/number-2026-pen.png: 2026 (2 "))
        #expect(line.hasSuffix("%)"))
        #expect(line.split(separator: "(")[1].split(separator: ",").count == 4)
        #expect(result.stdoutLines[1].hasPrefix("samples/number-31_12-blue-ink.png: 31 12 (3 "))
    }

    @Test func jsonBoxesLieInsideThePictureLeftToRight() throws {
        let path = "samples/number-2026-pen.png"
        let picture = try decodePNG(file: CLI.packageRoot + "/" + path)
        let result = try CLI.run(["read", "--json", path])
        let line = try #require(result.stdoutLines.first)
        let digits = try #require(try Self.object(line)["digits"] as? [[String: Any]])
        let boxes = digits.compactMap { $0["box"] as? [Int] }
        #expect(boxes.count == 4)
        for box in boxes {
            #expect(box.count == 4 && box[0] >= 0 && box[1] >= 0 && box[2] > 0 && box[3] > 0)
            #expect(box[0] + box[2] <= picture.width && box[1] + box[3] <= picture.height)
        }
        #expect(boxes.map { $0[0] } == boxes.map { $0[0] }.sorted())
        #expect(digits.allSatisfy { (($0["confidence"] as? Double) ?? -1) > 0.5 })
    }

    @Test func aPictureWithoutInkSaysNoDigitsFoundAndTheOthersAreStillRead() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try writePNG(GrayImage(width: 120, height: 60, filledWith: 250), to: folder + "/blank.png")
        let result = try CLI.run(["read", folder + "/blank.png", "samples/number-451-sticky-note.png", "missing.png"])
        #expect(result.status == 1)
        #expect(result.stdoutLines.count == 1)
        #expect(result.stdoutLines.first?.hasPrefix("samples/number-451-sticky-note.png: 451 (") == true)
        #expect(result.stderrLines.contains("Error: \(folder)/blank.png: no digits found: the picture has no ink that stands out from its background"))
        #expect(result.stderrLines.contains { $0.hasPrefix("Error: missing.png: cannot open") })

        let json = try CLI.run(["read", "--json", folder + "/blank.png"])
        #expect(json.status == 1)
        let line = try #require(json.stdoutLines.first)
        #expect(try Self.object(line)["error"] as? String
                    == "\(folder)/blank.png: no digits found: the picture has no ink that stands out from its background")
    }

    @Test func savePreprocessedWritesEachDigitAndThePictureWithBoxes() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "samples/number-451-sticky-note.png"
        let result = try CLI.run(["read", "--save-preprocessed", folder, path])
        #expect(result.status == 0)
        let name = "samples_number-451-sticky-note"
        for k in 1...3 {
            let digit = try decodePNG(file: "\(folder)/\(name).digit-\(k).png")
            #expect(digit.width == 28 && digit.height == 28)
            #expect(digit[0, 0] == 0 && digit.pixels.max()! > 200)
        }
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/\(name).digit-4.png"))
        let original = try decodePNG(file: CLI.packageRoot + "/" + path)
        let boxes = try decodePNG(file: "\(folder)/\(name).boxes.png")
        #expect(boxes.width >= original.width && boxes.height > original.height)
        var changed = 0
        for y in 0..<original.height {
            for x in 0..<original.width where boxes[x, y] != original[x, y] { changed += 1 }
        }
        #expect(changed > 100, "boxes drawn: \(changed) pixels differ")
    }
}
