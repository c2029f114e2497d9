import Foundation
import Testing

/// `evaluate --pictures` and `export-errors --pictures`: a person's own labelled pictures.
@Suite struct PicturesEvaluationTests {
    /// The single-digit samples, copied into two subfolders of a new folder: `first/` under
    /// their own names (`7-bar-sticky-note.png`), `second/` renamed `000NN_D.png`. Returns the
    /// folder and the number of pictures.
    func labelledFolder() throws -> (folder: String, count: Int) {
        let folder = try CLI.temporaryFolder()
        let samples = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot + "/samples")
            .filter { $0.first?.isNumber == true }.sorted()
        for sub in ["first", "second"] {
            try FileManager.default.createDirectory(atPath: "\(folder)/\(sub)", withIntermediateDirectories: true)
        }
        for (i, name) in samples.enumerated() {
            let source = CLI.packageRoot + "/samples/" + name
            try FileManager.default.copyItem(atPath: source, toPath: "\(folder)/first/\(name)")
            try FileManager.default.copyItem(atPath: source, toPath: String(format: "%@/second/%05d_%@.png", folder, i, String(name.first!)))
        }
        return (folder, 2 * samples.count)
    }

    @Test func labelsFromNamesGiveAccuracyConfusionAndFolders() throws {
        let (folder, count) = try labelledFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["evaluate", "--pictures", folder, "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == count)
        #expect(object["unreadable"] as? Int == 0)
        let confusion = try #require(object["confusion"] as? [[Int]])
        let correct = try #require(object["correct"] as? Int)
        #expect((0..<10).map { confusion[$0][$0] }.reduce(0, +) == correct)
        // Every sample is read right by the bundled model (the README promises it).
        #expect(correct == count)
        let folders = try #require(object["folders"] as? [String: [String: Any]])
        #expect(Set(folders.keys) == ["first", "second"])
        #expect(folders["first"]?["total"] as? Int == count / 2)

        let text = try CLI.run(["evaluate", "--pictures", folder])
        #expect(text.status == 0)
        #expect(text.stdoutLines.first?.contains("on \(count) pictures in \(folder): 100.00% (\(count)/\(count) correct)") == true)
        #expect(text.stdout.contains("accuracy per folder:"))
        #expect(text.stdoutLines.contains { $0.contains("second") && $0.contains("100.00%") })
    }

    @Test func countsAgreeWithClassifyOnTheSameFiles() throws {
        let (folder, _) = try labelledFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Relabel every picture 3 so some readings are wrong, and compare with classify's answers.
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }
        try (["file,label"] + files.map { "\($0),3" }).joined(separator: "\n").write(toFile: folder + "/labels.csv",
                                                                                      atomically: true, encoding: .utf8)
        let evaluation = try CLI.run(["evaluate", "--pictures", folder, "--labels", folder + "/labels.csv", "--json"])
        #expect(evaluation.status == 0, "stderr: \(evaluation.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any])
        let classify = try CLI.run(["classify", "-r", "--json", folder])
        let threes = classify.stdoutLines.filter { $0.contains("\"digit\":3,") }.count
        #expect(threes > 0)
        #expect(object["correct"] as? Int == threes)
        #expect(object["total"] as? Int == classify.stdoutLines.count)
    }

    @Test func aPictureWithoutALabelIsAnErrorNamingIt() throws {
        let (folder, _) = try labelledFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: CLI.packageRoot + "/samples/number-2026-pen.png",
                                         toPath: folder + "/second/number.png")
        let result = try CLI.run(["evaluate", "--pictures", folder])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == ["Error: \(folder)/second/number.png: no label in its name (name it 7-....png or ..._7.png, or give --labels FILE.csv)"])

        try "first/0-pen.png,0\n".write(toFile: folder + "/partial.csv", atomically: true, encoding: .utf8)
        let partial = try CLI.run(["evaluate", "--pictures", folder, "--labels", folder + "/partial.csv"])
        #expect(partial.status != 0)
        #expect(partial.stderrLines.count == 1)
        #expect(partial.stderr.contains("not listed in \(folder)/partial.csv"))

        try "first/0-pen.png,zero\n".write(toFile: folder + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["evaluate", "--pictures", folder, "--labels", folder + "/bad.csv"])
        #expect(bad.status != 0)
        #expect(bad.stderrLines == ["Error: \(folder)/bad.csv: line 1 is not file,label with a label 0-9: first/0-pen.png,zero"])
    }

    @Test func namesThatGiveTwoLabelsAndQuotedCSVFields() throws {
        let (folder, count) = try labelledFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: CLI.packageRoot + "/samples/7-plain-fineliner.png",
                                         toPath: folder + "/first/3_7.png")
        let ambiguous = try CLI.run(["evaluate", "--pictures", folder])
        #expect(ambiguous.status != 0)
        #expect(ambiguous.stderr.contains("\(folder)/first/3_7.png: no label in its name"))
        // A labels file as spreadsheets write it: a byte-order mark, quotes, CRLF, spaces.
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }
        let rows = files.map { "\"\($0)\" , \(($0 as NSString).lastPathComponent == "3_7.png" ? 7 : 3)" }
        try ("\u{FEFF}file,label\r\n" + rows.joined(separator: "\r\n")).write(toFile: folder + "/labels.csv", atomically: true,
                                                                                 encoding: .utf8)
        let quoted = try CLI.run(["evaluate", "--pictures", folder, "--labels", folder + "/labels.csv", "--json"])
        #expect(quoted.status == 0, "stderr: \(quoted.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(quoted.stdout.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == count + 1)
        try (rows + [rows[0]]).joined(separator: "\n").write(toFile: folder + "/twice.csv", atomically: true, encoding: .utf8)
        let twice = try CLI.run(["evaluate", "--pictures", folder, "--labels", folder + "/twice.csv"])
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("a second time"))
    }

    @Test func unreadablePicturesAreReportedAndLeftOut() throws {
        let (folder, count) = try labelledFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: folder + "/first/5-broken.png"))
        let result = try CLI.run(["evaluate", "--pictures", folder, "--json"])
        #expect(result.status == 1)
        #expect(result.stderrLines == ["Error: \(folder)/first/5-broken.png: not a PNG or JPEG file"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == count)
        #expect(object["unreadable"] as? Int == 1)
    }

    @Test func aMissingFolderOrOneWithoutReadablePicturesIsOneError() throws {
        let missing = try CLI.run(["evaluate", "--pictures", "/nonexistent-digits"])
        #expect(missing.status != 0)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderrLines == ["Error: /nonexistent-digits: cannot open: no such folder"])
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: folder + "/5-broken.png"))
        let broken = try CLI.run(["export-errors", folder + "/out", "--pictures", folder])
        #expect(broken.status != 0)
        #expect(broken.stderrLines == ["Error: \(folder)/5-broken.png: not a PNG or JPEG file",
                                       "Error: \(folder): none of its 1 pictures could be read"])
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }

    @Test func exportErrorsDrawsEachMistakeAsMadeAndAsSeen() throws {
        let (folder, count) = try labelledFolder()
        let out = try CLI.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: out)
        }
        // Label everything 8: the mistakes are every picture not read as 8.
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }
        try files.map { "\($0),8" }.joined(separator: "\n").write(toFile: folder + "/labels.csv", atomically: true, encoding: .utf8)
        let result = try CLI.run(["export-errors", out, "--pictures", folder, "--labels", folder + "/labels.csv"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let table = try String(contentsOfFile: out + "/errors.csv", encoding: .utf8).split(separator: "\n")
        let eights = files.filter { ($0 as NSString).lastPathComponent.hasPrefix("8") || $0.hasSuffix("_8.png") }.count
        #expect(table.first?.hasPrefix("file,true,predicted,confidence,p0") == true)
        #expect(table.count - 1 == count - eights)
        #expect(table.dropFirst().allSatisfy { $0.hasPrefix("first/") || $0.hasPrefix("second/") })
        for name in ["errors-01.png", "confusion.png", "confusion.csv", "index.html"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name)"), "\(name) missing")
        }
    }
}
