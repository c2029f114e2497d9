import DigitCompute
import DigitImage
import DigitPNG
import DigitStore
import Foundation
import Testing

/// `digit tune`: a model adapted to a source of pictures MNIST lacks reads that source much
/// better, still reads MNIST, and is refused bad folders without writing anything.
@Suite(.serialized) struct TuneCommandTests {
    /// A source of pictures unlike MNIST's, made from MNIST test digits: the digit doubled in
    /// size, turned 35° anticlockwise and written with a bold pen (binarised, then thickened by
    /// a pixel on every side), dark ink on white. The bundled model reads about 84% of them.
    static func picture(of digit: GrayImage) -> GrayImage {
        let side = 2 * digit.width
        let centre = Float(side - 1) / 2, angle = Float(35) * .pi / 180
        func ink(_ x: Float, _ y: Float) -> Float {
            // Bilinear in the doubled digit (each pixel a 2x2 block), background outside.
            let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
            let fx = x - Float(x0), fy = y - Float(y0)
            func at(_ xi: Int, _ yi: Int) -> Float {
                guard xi >= 0, yi >= 0, xi < side, yi < side else { return 0 }
                return Float(digit.pixels[(yi / 2) * digit.width + xi / 2]) / 255
            }
            return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy)
                + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
        }
        var pen = [Bool](repeating: false, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                let u = Float(x) - centre, v = Float(y) - centre
                pen[y * side + x] = ink(cos(angle) * u + sin(angle) * v + centre, -sin(angle) * u + cos(angle) * v + centre) > 0.4
            }
        }
        var pixels = [UInt8](repeating: 255, count: side * side)
        for y in 0..<side {
            for x in 0..<side where pen[y * side + x] {
                for dy in -1...1 where (0..<side).contains(y + dy) {
                    for dx in -1...1 where (0..<side).contains(x + dx) { pixels[(y + dy) * side + x + dx] = 0 }
                }
            }
        }
        return GrayImage(width: side, height: side, pixels: pixels)
    }

    /// A new folder of `perDigit` pictures of each digit from the source, made from the MNIST
    /// test digits from `first` on, named `INDEX_LABEL.png`.
    static func sourceFolder(perDigit: Int, from first: Int, test: Dataset) throws -> String {
        let folder = try CLI.temporaryFolder()
        var counts = [Int](repeating: 0, count: 10)
        var index = first
        while counts.contains(where: { $0 < perDigit }) {
            let label = Int(test.labels[index])
            if counts[label] < perDigit {
                try writePNG(picture(of: test.image(index)), to: String(format: "%@/%05d_%d.png", folder, index, label))
                counts[label] += 1
            }
            index += 1
        }
        return folder
    }

    static func accuracy(_ arguments: [String]) throws -> Double {
        let result = try CLI.run(["evaluate", "--json"] + arguments)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(object["accuracy"] as? Double)
    }

    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func twentyPicturesPerDigitTeachTheSourceAndKeepMNIST() throws {
        let test = try MNIST.load(split: .test, from: CLI.dataDirectory)
        let pictures = try Self.sourceFolder(perDigit: 20, from: 0, test: test)
        let unseen = try Self.sourceFolder(perDigit: 30, from: 5000, test: test)
        defer {
            try? FileManager.default.removeItem(atPath: pictures)
            try? FileManager.default.removeItem(atPath: unseen)
        }
        let model = pictures + ".digitmodel"
        defer { try? FileManager.default.removeItem(atPath: model) }
        let tune = try CLI.run(["tune", pictures, "--output", model, "--threads", "2"])
        #expect(tune.status == 0, "stderr: \(tune.stderr)")
        #expect(tune.stdout.contains("tuned bundled model on 160 pictures with 480 MNIST digits per epoch"))
        #expect(tune.stdout.contains("(40 held-out pictures)"))
        // Pictures of the source it never saw, read as `evaluate --pictures` reads them.
        let before = try Self.accuracy(["--pictures", unseen])
        let after = try Self.accuracy(["--pictures", unseen, "--model", model])
        #expect(after >= before + 0.06, "source: \(before) before, \(after) after")
        let mnistBefore = try Self.accuracy([])
        let mnistAfter = try Self.accuracy(["--model", model])
        #expect(mnistAfter >= mnistBefore - 0.003, "MNIST: \(mnistBefore) before, \(mnistAfter) after")

        let info = try CLI.run(["info", "--model", model])
        #expect(info.status == 0)
        #expect(info.stdout.contains("tuned:        from bundled model on 160 pictures in \(pictures) (+40 held out)"))
        #expect(info.stdout.contains("architecture: conv:c32k5,p2,c64k5,p2,d384,drop0.5"))
    }

    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func theSameSeedGivesTheSameBytesAndValidationZeroHoldsNothingOut() throws {
        let test = try MNIST.load(split: .test, from: CLI.dataDirectory)
        let pictures = try Self.sourceFolder(perDigit: 5, from: 0, test: test)
        defer { try? FileManager.default.removeItem(atPath: pictures) }
        var files: [Data] = []
        for (run, seed) in [(0, "3"), (1, "3"), (2, "4")] {
            let model = "\(pictures)-\(run).digitmodel"
            defer { try? FileManager.default.removeItem(atPath: model) }
            let result = try CLI.run(["tune", pictures, "-o", model, "--steps", "6", "--seed", seed,
                                      "--validation", "0", "--threads", "2", "--json"])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["held_out_pictures"] as? Int == 0)
            #expect(object["held_out"] == nil)
            #expect(object["steps"] as? Int == 6)
            files.append(try Data(contentsOf: URL(fileURLWithPath: model)))
        }
        #expect(files[0] == files[1])
        #expect(files[0] != files[2])
    }

    @Test func badFoldersAreOneErrorAndWriteNoModel() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = folder + ".digitmodel"
        func refused(_ expected: String, _ extra: [String] = []) throws {
            let result = try CLI.run(["tune", folder, "-o", model, "--steps", "2"] + extra)
            #expect(result.status != 0)
            // An invalid flag is followed by the usage; a bad folder is its one line alone.
            let lines = result.stderrLines.filter { !$0.hasPrefix("note:") }
            #expect(extra.isEmpty ? lines == ["Error: " + expected] : lines.first == "Error: " + expected)
            #expect(!FileManager.default.fileExists(atPath: model))
        }
        try refused("\(folder): no PNG or JPEG files found")
        let seven = GrayImage(width: 28, height: 28, pixels: (0..<784).map { $0 % 28 > 10 && $0 % 28 < 16 ? 0 : 255 })
        for i in 0..<4 { try writePNG(seven, to: String(format: "%@/%05d_7.png", folder, i)) }
        try refused("\(folder): its 4 pictures are all labelled 7; tuning needs pictures of at least two digits")
        try writePNG(seven, to: "\(folder)/unlabelled.png")
        try refused("\(folder)/unlabelled.png: no label in its name (name it 7-....png or ..._7.png, or give --labels FILE.csv)")
        try FileManager.default.removeItem(atPath: "\(folder)/unlabelled.png")
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: folder + "/1-broken.png"))
        try refused("\(folder)/1-broken.png: not a PNG or JPEG file")
        try refused("--validation must be in 0..<1", ["--validation", "1"])
    }
}
