import DigitImage
import DigitPNG
import DigitStore
import Foundation
import Testing

@Suite struct ExportCommandTests {
    // MARK: export-samples

    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func sampleGridHoldsEachDigitScaledWithItsCaptionUnderneath() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/new/pictures"
        let result = try CLI.run(["export-samples", out, "--split", "test", "--per-class", "3", "--scale", "3"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdoutLines.count == 2)
        #expect(result.stdoutLines.first?.hasPrefix("wrote \(out)/samples-test.png (30 digits") == true)
        #expect(result.stdoutLines.last?.hasPrefix("wrote \(out)/index.html") == true)
        #expect(try String(contentsOfFile: out + "/index.html", encoding: .utf8).contains("<img src=\"samples-test.png\""))

        let grid = try decodePNG(file: out + "/samples-test.png")
        let test = try MNIST.load(split: .test, from: CLI.dataDirectory)
        var rowTops: [Int] = []
        for digit in 0..<10 {
            let indices = Array((0..<test.count).filter { test.labels[$0] == digit }.prefix(3))
            var lefts: [Int] = []
            for index in indices {
                let cell = try #require(locate(test.image(index), scale: 3, in: grid),
                                        "test digit #\(index) not found scaled 3x in the grid")
                if lefts.isEmpty { rowTops.append(cell.y) }
                #expect(cell.y == rowTops.last, "digit \(digit): all its samples share one row")
                lefts.append(cell.x)
                let caption = try #require(captionInk(under: cell, width: 28 * 3, in: grid),
                                           "no caption under test digit #\(index)")
                let text = "\(digit) #\(index)"
                // The 5x7 glyphs' ink spans the text box (6 pixels a character) to within a column or two.
                #expect(abs(caption.width - (6 * text.count - 1)) <= 4, "caption ink of #\(index) is \(caption.width) wide")
                #expect(abs(caption.centreX - (cell.x + 28 * 3 / 2)) <= 3, "caption of #\(index) is centred under it")
            }
            #expect(lefts == lefts.sorted() && Set(lefts).count == lefts.count, "digit \(digit): samples left to right")
        }
        #expect(rowTops == rowTops.sorted() && Set(rowTops).count == 10, "one row per digit, 0 at the top")
    }

    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func samplesAreByteIdenticalForTheSameSeedAndLeaveUnrelatedFilesAlone() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (first, second, other) = (folder + "/first", folder + "/second", folder + "/other")
        try FileManager.default.createDirectory(atPath: first, withIntermediateDirectories: true)
        let notes = Data("my notes\n".utf8)
        try notes.write(to: URL(fileURLWithPath: first + "/notes.txt"))
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: first + "/samples-train.png"))

        for (out, seed) in [(first, "7"), (second, "7"), (other, "8")] {
            let result = try CLI.run(["export-samples", out, "--per-class", "4", "--seed", seed])
            #expect(result.status == 0, "stderr: \(result.stderr)")
        }
        let picture = try Data(contentsOf: URL(fileURLWithPath: first + "/samples-train.png"))
        #expect(picture == (try Data(contentsOf: URL(fileURLWithPath: second + "/samples-train.png"))))
        #expect(picture != (try Data(contentsOf: URL(fileURLWithPath: other + "/samples-train.png"))))
        #expect(try decodePNG(file: first + "/samples-train.png").width > 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first + "/notes.txt")) == notes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: first).sorted()
                == ["index.html", "notes.txt", "samples-train.png"])
    }

    // MARK: export-errors

    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func errorTablesAndPagesAgreeWithEvaluate() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let evaluate = try CLI.run(["evaluate", "--json"])
        #expect(evaluate.status == 0, "stderr: \(evaluate.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        let total = try #require(report["total"] as? Int)
        let correct = try #require(report["correct"] as? Int)
        let confusion = try #require(report["confusion"] as? [[Int]])

        let result = try CLI.run(["export-errors", folder])
        #expect(result.status == 0, "stderr: \(result.stderr)")

        // errors.csv: one row per mistake, most confident first, consistent probabilities.
        let table = try csv(folder + "/errors.csv")
        #expect(table.first == ["index", "true", "predicted", "confidence"] + (0..<10).map { "p\($0)" })
        let rows = Array(table.dropFirst())
        #expect(rows.count == total - correct)
        var counted = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        var confidences: [Double] = []
        for row in rows {
            try #require(row.count == 14)
            let truth = try #require(Int(row[1])), predicted = try #require(Int(row[2]))
            let confidence = try #require(Double(row[3]))
            let probabilities = row[4...].compactMap(Double.init)
            #expect(truth != predicted)
            #expect(confidence == probabilities[predicted] && confidence == probabilities.max())
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)
            confidences.append(confidence)
            counted[truth][predicted] += 1
        }
        #expect(confidences == confidences.sorted(by: >), "most confident mistakes first")
        let offDiagonal = { (m: [[Int]]) in (0..<10).map { t in (0..<10).map { p in t == p ? 0 : m[t][p] } } }
        #expect(counted == offDiagonal(confusion), "errors.csv tallies to evaluate's confusion matrix")
        #expect(try csv(folder + "/confusion.csv") == [["true"] + (0..<10).map(String.init)]
                + confusion.enumerated().map { [String($0)] + $1.map(String.init) })

        // Pages of 100, the most confident mistake first, rows of 10 left to right.
        let pages = (rows.count + 99) / 100
        let pageNames = (1...pages).map { String(format: "errors-%02d.png", $0) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == (pageNames + [
            "confusion.csv", "confusion.png", "errors.csv", "index.html", "training-curves.png", "weights.png",
        ]).sorted())
        #expect(result.stdoutLines.count == pages + 6, "one line per file written")
        let test = try MNIST.load(split: .test, from: CLI.dataDirectory)
        let firstPage = try decodePNG(file: folder + "/errors-01.png")
        let placed = try [0, 1, 10].filter { $0 < rows.count }.map { position in
            try #require(locate(test.image(Int(rows[position][0])!), scale: 2, in: firstPage),
                         "mistake \(position + 1) is not on the first page")
        }
        if placed.count > 1 { #expect(placed[1].y == placed[0].y && placed[1].x > placed[0].x) }
        if placed.count > 2 { #expect(placed[2].x == placed[0].x && placed[2].y > placed[0].y) }

        let html = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        for picture in pageNames + ["confusion.png", "training-curves.png", "weights.png"] {
            #expect(html.contains("<img src=\"\(picture)\""), "index.html shows \(picture)")
            #expect(try decodePNG(file: folder + "/" + picture).width > 100)
        }
    }

    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func errorExportIsByteIdenticalAndDropsPagesAnEarlierRunLeft() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (first, second) = (folder + "/first", folder + "/second")
        try FileManager.default.createDirectory(atPath: first, withIntermediateDirectories: true)
        // Pages 2 and 3 of an earlier run that drew more mistakes; page 5 is not part of that run.
        for page in ["errors-02.png", "errors-03.png", "errors-05.png"] {
            try Data("old page".utf8).write(to: URL(fileURLWithPath: first + "/" + page))
        }
        let run = try CLI.run(["export-errors", first, "--limit", "1", "--scale", "1"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdoutLines.filter { $0.hasPrefix("removed ") }
                == ["errors-02.png", "errors-03.png"].map { "removed \(first)/\($0) (left from an earlier run)" })
        #expect(try CLI.run(["export-errors", second, "--limit", "1", "--scale", "1"]).status == 0)

        var names = try FileManager.default.contentsOfDirectory(atPath: first).sorted()
        #expect(names.contains("errors-01.png") && names.contains("errors-05.png"))
        names.removeAll { $0 == "errors-05.png" }
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: second).sorted()))
        for name in names {
            let a = try Data(contentsOf: URL(fileURLWithPath: first + "/" + name))
            #expect(a == (try Data(contentsOf: URL(fileURLWithPath: second + "/" + name))), "\(name) differs between runs")
        }
    }

    // MARK: show

    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func showPrintsThePredictionAndWritesACardWithTheDigit() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["show", "0"], in: folder)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // Test image 0 is a 7 that any trained model reads.
        #expect(result.stdoutLines.first?.hasPrefix("test #0: label 7, predicted 7 (") == true)
        #expect(result.stdoutLines.last == "wrote digit-0.png")
        let card = try decodePNG(file: folder + "/digit-0.png")
        let test = try MNIST.load(split: .test, from: CLI.dataDirectory)
        #expect(locate(test.image(0), scale: 6, in: card) != nil, "the card shows test digit 0 enlarged 6x")

        let train = try CLI.run(["show", "0", "--split", "train", "--output", "cards/first.png"], in: folder)
        #expect(train.status != 0, "the folder cards/ does not exist")
        #expect(train.stderrLines.count == 1 && train.stderrLines[0].hasPrefix("Error: cards/first.png: "))
        try FileManager.default.createDirectory(atPath: folder + "/cards", withIntermediateDirectories: false)
        let retry = try CLI.run(["show", "0", "--split", "train", "--output", "cards/first.png"], in: folder)
        #expect(retry.stdoutLines.first?.hasPrefix("train #0: label 5, ") == true)
        #expect(retry.stdoutLines.last == "wrote cards/first.png")
    }

    // MARK: failures

    @Test func invalidArgumentsOrMissingInputsWriteNothing() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/out"
        let missingModel = "/nonexistent/model.digitmodel"
        let cases: [[String]] = [
            ["export-samples", out, "--scale", "0"],
            ["export-samples", out, "--per-class", "0"],
            ["export-samples", out, "--split", "validation"],
            ["export-samples", out, "--data", "/nonexistent"],
            ["export-errors", out, "--scale", "0"],
            ["export-errors", out, "--limit", "0"],
            ["export-errors", out, "--model", missingModel],
            ["export-errors", out, "--data", "/nonexistent"],
            ["show", "3", "--model", missingModel, "--output", out + "/card.png"],
            ["show", "3", "--data", "/nonexistent", "--output", out + "/card.png"],
        ]
        for arguments in cases {
            let result = try CLI.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderrLines.first?.hasPrefix("Error: ") == true, "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(arguments) created \(out)")
        }
        let noModel = try CLI.run(["export-errors", out, "--model", missingModel])
        #expect(noModel.stderrLines == ["Error: \(missingModel): cannot open: No such file or directory"])
    }

    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func unwritableOutputOrIndexPastTheEndFailsWithOneLine() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/a-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        for arguments in [["export-samples", file + "/out"], ["export-samples", file]] {
            let result = try CLI.run(arguments)
            #expect(result.status != 0)
            #expect(result.stderrLines.count == 1 && result.stderrLines[0].hasPrefix("Error: \(arguments[1]): "),
                    "\(result.stderr)")
        }
        let pastTheEnd = try CLI.run(["show", "10000", "--output", folder + "/card.png"])
        #expect(pastTheEnd.status != 0)
        #expect(pastTheEnd.stderrLines == ["Error: INDEX 10000 is past the end of the test set, which holds 10000 digits (0...9999)"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["a-file"])
    }
}

// MARK: - Helpers

/// Top-left corner of the first place (row by row) where `picture` holds `digit` with
/// every pixel repeated `scale` x `scale` times, or nil when it holds it nowhere.
private func locate(_ digit: GrayImage, scale: Int, in picture: GrayImage) -> (x: Int, y: Int)? {
    let width = digit.width * scale, height = digit.height * scale
    guard picture.width >= width, picture.height >= height else { return nil }
    // Compare the brightest pixels first: most wrong positions fail on the first one.
    let order = digit.pixels.indices.sorted { (digit.pixels[$0], $1) > (digit.pixels[$1], $0) }
    for y in 0...(picture.height - height) {
        positions: for x in 0...(picture.width - width) {
            for i in order {
                let sx = i % digit.width, sy = i / digit.width
                for dy in 0..<scale {
                    for dx in 0..<scale where picture[x + sx * scale + dx, y + sy * scale + dy] != digit.pixels[i] {
                        continue positions
                    }
                }
            }
            return (x, y)
        }
    }
    return nil
}

/// The caption ink in the 12-pixel strip right under the cell at `cell`, `width` wide: its
/// horizontal extent and centre. Nil when the strip has no dark pixels, or is not mostly
/// white page (then it is not a caption strip).
private func captionInk(under cell: (x: Int, y: Int), width: Int, in picture: GrayImage)
    -> (width: Int, centreX: Int)? {
    let top = cell.y + width  // Cells are square.
    var dark: [Int] = [], white = 0
    for y in top..<min(top + 12, picture.height) {
        for x in cell.x..<(cell.x + width) {
            if picture[x, y] < 128 { dark.append(x) }
            if picture[x, y] == 255 { white += 1 }
        }
    }
    guard let left = dark.min(), let right = dark.max(), white > 12 * width / 2 else { return nil }
    return (right - left + 1, (left + right + 1) / 2)
}

/// The cells of a CSV file without quoting (the export tables need none).
private func csv(_ path: String) throws -> [[String]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}
