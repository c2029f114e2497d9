import DigitKit
import Foundation
import Testing

/// DigitKit's pipelines over files, as `digit classify`, `read` and `evaluate` use them.
struct FileReadingsTests {
    static let samples = CoreSupport.packageRoot + "/samples"

    @Test("A folder's pictures come back in sorted order, each read as its own file is, in batches")
    func folderInOrder() throws {
        let reader = try DigitReader()
        let files = PictureFiles(paths: [Self.samples], recursive: false).entries
        #expect(files.count >= 25)
        var batches = 0
        var readings: [PictureReading] = []
        try reader.classify(files) { batch in
            batches += 1
            readings += batch
        }
        #expect(readings.map(\.name) == files.map(\.name))
        #expect(readings.map(\.name) == readings.map(\.name).sorted())
        for reading in readings where reading.name.split(separator: "/").last!.first!.isNumber {
            let single = try reader.classify(pictureFile: reading.name)
            #expect(try reading.outcome.get().digit == single.digit, "\(reading.name)")
        }
        #expect(batches >= 1)
    }

    @Test("A missing file is an entry with its error, read as a failure naming it; the rest are read")
    func missingFile() throws {
        let files = PictureFiles(paths: [Self.samples + "/3-chalk.png", "/no/such/picture.png"], recursive: false).entries
        #expect(files.count == 2)
        let readings = try DigitReader().classify(files)
        #expect(try readings.first { $0.name.hasSuffix("3-chalk.png") }?.outcome.get().digit == 3)
        let failure = try #require(readings.first { $0.name == "/no/such/picture.png" })
        #expect(throws: FileError.self) { try failure.outcome.get() }
    }

    @Test("Numbers are read in order; a reader whose model cannot load reads nothing and says why")
    func numbersAndABadModel() throws {
        let files = PictureFiles(paths: [Self.samples + "/number-2026-pen.png"], recursive: false).entries
        var texts: [String] = []
        try DigitReader().readNumbers(files) { batch in texts += batch.map { (try? $0.outcome.get().text()) ?? "?" } }
        #expect(texts == ["2026"])
        let broken = DigitReader(loadingInBackground: .file("/no/such/model.digitmodel"))
        var called = false
        #expect(throws: FileError.self) { try broken.classify(files) { _ in called = true } }
        #expect(!called)
    }

    @Test("Labelled pictures are evaluated by their names, per subfolder")
    func labelledPictures() throws {
        let folder = CoreSupport.packageRoot + "/Tests/Fixtures/outputs/mnist-test-pictures"
        let reader = try DigitReader()
        let labelled = try LabelledPictures(folder: folder, reader: reader)
        let report = try reader.evaluate(labelled)
        #expect(report.total == 200)
        #expect(report.accuracy > 0.97)
        #expect(report.folders?.keys.sorted() == ["first", "second"])
        #expect(report.unreadable == 0)
        #expect(throws: FileError.self) { try LabelledPictures(folder: Self.samples, reader: reader) }
    }
}
