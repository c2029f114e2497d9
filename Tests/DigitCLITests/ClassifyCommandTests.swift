import Foundation
import Testing

@Suite struct ClassifyCommandTests {
    /// The single-digit samples: PNGs whose names start with the digit they show.
    static let samples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot + "/samples")) ?? []
        return names.filter { $0.hasSuffix(".png") && $0.first?.isNumber == true }.sorted()
    }()

    @Test func thereAreAtLeastTwentySamplesCoveringEveryDigit() {
        #expect(Self.samples.count >= 20)
        #expect(Set(Self.samples.compactMap { $0.first.flatMap { Int(String($0)) } }) == Set(0...9))
    }

    @Test func everySampleIsReadAsTheDigitItsNameStartsWith() throws {
        let result = try CLI.run(["classify", "--json"] + Self.samples.map { "samples/\($0)" })
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdoutLines
        #expect(lines.count == Self.samples.count)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let file = try #require(object["file"] as? String)
            let expected = Int(String(file.split(separator: "/").last!.first!))
            #expect(object["digit"] as? Int == expected, "\(file) read as \(object["digit"] ?? "nil")")
        }
    }

    @Test func textOutputNamesTheFileTheDigitAndItsConfidence() throws {
        let result = try CLI.run(["classify", "samples/3-chalk.png"])
        #expect(result.status == 0)
        let line = try #require(result.stdoutLines.first)
        #expect(line.hasPrefix("samples/3-chalk.png: 3 ("))
        #expect(line.hasSuffix("%)"))
    }

    @Test func topKListsKDigitsBestFirst() throws {
        let result = try CLI.run(["classify", "--top", "3", "samples/3-chalk.png"])
        let line = try #require(result.stdoutLines.first)
        let entries = line.split(separator: ":")[1].split(separator: ",")
        #expect(entries.count == 3)
        #expect(entries[0].trimmingCharacters(in: .whitespaces).hasPrefix("3 "))
    }

    @Test func aBadFileIsReportedAndTheRestAreStillClassified() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: folder + "/a-broken.png"))
        try FileManager.default.copyItem(atPath: CLI.packageRoot + "/samples/3-chalk.png", toPath: folder + "/b-good.png")
        let result = try CLI.run(["classify", "--json", folder])
        #expect(result.status == 1)
        #expect(result.stdoutLines.count == 2)
        #expect(result.stdoutLines[0].contains("\"error\":\""))
        #expect(result.stdoutLines[0].contains("a-broken.png: not a PNG or JPEG file"))
        #expect(result.stdoutLines[1].contains("\"digit\":3"))

        let text = try CLI.run(["classify", folder])
        #expect(text.status == 1)
        #expect(text.stderrLines == ["Error: \(folder)/a-broken.png: not a PNG or JPEG file"])
        #expect(text.stdoutLines.count == 1)
    }

    @Test func csvHasAHeaderAndOneRowPerFile() throws {
        let result = try CLI.run(["classify", "--csv", "samples/3-chalk.png", "samples/5-red-ink.png", "missing.png"])
        #expect(result.status == 1)
        #expect(result.stdoutLines.first == "file,digit,confidence,error")
        #expect(result.stdoutLines.count == 4)
        #expect(result.stdoutLines.contains { $0.hasPrefix("missing.png,,,missing.png: cannot open") })
    }

    @Test func outputFileIsWrittenInsteadOfStdout() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["classify", "--json", "--output", folder + "/out.jsonl", "samples/3-chalk.png"])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        let written = try String(contentsOfFile: folder + "/out.jsonl", encoding: .utf8)
        #expect(written.hasPrefix("{\"file\":\"samples/3-chalk.png\",\"digit\":3,"))
    }

    @Test func shardsPartitionTheSortedInputs() throws {
        var union: [String] = []
        for k in 1...3 {
            let result = try CLI.run(["classify", "--shard", "\(k)/3", "samples"])
            #expect(result.status == 0)
            union += result.stdoutLines.map { String($0.split(separator: ":")[0]) }
        }
        let all = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot + "/samples").filter { $0.hasSuffix(".png") }
        #expect(union.sorted() == all.sorted().map { "samples/\($0)" })
    }

    @Test func savePreprocessedWritesTheNetworkInput() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["classify", "--save-preprocessed", folder + "/seen", "samples/3-chalk.png"])
        #expect(result.status == 0)
        let saved = try FileManager.default.contentsOfDirectory(atPath: folder + "/seen").sorted()
        #expect(saved == ["samples_3-chalk.png", "samples_3-chalk.x8.png"])
    }

    @Test func minConfidenceAnswersUnsureBelowTheThresholdOnly() throws {
        // The least confident sample, asked for just more confidence than it has.
        let readings = try CLI.run(["classify", "--json"] + Self.samples.map { "samples/\($0)" }).stdoutLines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let least = try #require(readings.min { ($0["confidence"] as? Double ?? 1) < ($1["confidence"] as? Double ?? 1) })
        let file = try #require(least["file"] as? String)
        let confidence = try #require(least["confidence"] as? Double)
        try #require(confidence < 1, "every sample is read with confidence 1")
        let digit = try #require(least["digit"] as? Int)

        let unsure = try CLI.run(["classify", "--json", "--min-confidence", String(Float(confidence).nextUp), file])
        let line = try #require(unsure.stdoutLines.first)
        #expect(line.contains("\"digit\":null"))
        #expect(line.contains("\"best_guess\":\(digit)"))
        #expect(unsure.status == 0)

        let sure = try CLI.run(["classify", "--json", "--min-confidence", String(Float(confidence)), file])
        #expect(sure.stdoutLines.first?.contains("\"digit\":\(digit)") == true)
    }

    @Test func everyValidPngSuiteFileIsAnsweredOrCalledBlank() throws {
        let folder = CLI.fixtures + "/pngsuite/valid"
        let result = try CLI.run(["classify", "--json", folder])
        let lines = result.stdoutLines
        #expect(lines.count == 161)
        let errors = lines.filter { $0.contains("\"error\"") }
        // Only the single-colour 1x1 and 2x2 pictures (s01*, s02*) have nothing to read.
        #expect(errors.count == 4)
        #expect(errors.allSatisfy { $0.contains("/s0") && $0.contains("no digit found: the picture has no ink that stands out from its background") })
        #expect(lines.filter { $0.contains("\"whole_picture\":true") }.count > 0)
    }

    @Test func invalidPngSuiteFilesEachGiveOneErrorLine() throws {
        let folder = CLI.fixtures + "/pngsuite/invalid"
        let result = try CLI.run(["classify", folder])
        #expect(result.status == 1)
        #expect(result.stdoutLines.isEmpty)
        #expect(result.stderrLines.count == 14)
        #expect(result.stderrLines.allSatisfy { $0.hasPrefix("Error: \(folder)/x") })
    }

    @Test func noPicturesIsAnError() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["classify", folder])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no PNG or JPEG files found"))
    }
}
