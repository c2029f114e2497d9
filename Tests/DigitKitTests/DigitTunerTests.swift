import DigitKit
import Foundation
import Testing

/// `DigitTuner`, the library call behind `digit tune`, and how it holds pictures out.
struct DigitTunerTests {
    /// The single-digit samples (`7-bar-sticky-note.png`...), copied into a new folder (the
    /// caller removes it: tuning reads the held-out pictures again) and read with the bundled model.
    static func readSampleDigits() throws -> (folder: String, DigitReader, LabelledPictures) {
        let folder = NSTemporaryDirectory() + "digit-tuner-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: DigitReaderTests.samples) where name.first?.isNumber == true {
            try FileManager.default.copyItem(atPath: DigitReaderTests.samples + "/" + name, toPath: folder + "/" + name)
        }
        let reader = try DigitReader()
        return (folder, reader, try LabelledPictures(folder: folder, reader: reader))
    }

    @Test("A tuned model is written atomically and read like a trained one")
    func tuneWriteAndReadBack() throws {
        let (folder, reader, pictures) = try Self.readSampleDigits()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = TuningOptions()
        options.steps = 3
        let tuned = try DigitTuner(reader: reader, options: options).tune(pictures)
        #expect(tuned.report.steps == 3)
        #expect(tuned.report.mnistPerEpoch == 0 && tuned.report.mnistTest == nil)
        let heldOut = try #require(tuned.report.heldOut)
        #expect(heldOut.before.total == tuned.report.heldOutPictures)
        #expect(tuned.report.trainingPictures + tuned.report.heldOutPictures == pictures.read.count)
        let path = NSTemporaryDirectory() + "digit-tuner-\(UUID().uuidString).digitmodel"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try tuned.write(to: path)
        let prediction = try DigitReader(modelAt: path).classify(pictureFile: DigitReaderTests.samples + "/7-bar-sticky-note.png")
        #expect(prediction.probabilities.count == 10)
    }

    @Test("An option outside its range names the option")
    func invalidOptions() throws {
        var options = TuningOptions()
        options.mnistShare = 1
        let error = #expect(throws: TuningOptionError.self) { try options.validate() }
        #expect(error?.description == "mnistShare must be in 0..<1")
    }

    @Test("Held out: a share of each digit, never a digit's only picture; whole subfolders when there are several")
    func heldOutSplit() {
        let flat = (0..<50).map { (subfolder: ".", label: $0 % 5) } + [(subfolder: ".", label: 9)]
        let held = HeldOutSplit.heldOut(flat, fraction: 0.2, seed: 1)
        #expect(held.count == 10)
        for digit in 0..<5 { #expect(held.filter { flat[$0].label == digit }.count == 2) }
        #expect(!held.contains(50))
        #expect(HeldOutSplit.heldOut(flat, fraction: 0, seed: 1).isEmpty)
        #expect(HeldOutSplit.heldOut(flat, fraction: 0.2, seed: 1) == held)

        let writers = (0..<60).map { (subfolder: "writer\($0 % 6)", label: $0 % 10) }
        let byWriter = HeldOutSplit.heldOut(writers, fraction: 0.2, seed: 1)
        #expect(Set(byWriter.map { writers[$0].subfolder }).count == 1)
        #expect(byWriter.count == 10)
        let two = (0..<4).map { (subfolder: "w\($0 % 2)", label: $0) }
        #expect(Set(HeldOutSplit.heldOut(two, fraction: 0.9, seed: 1).map { two[$0].subfolder }).count == 1)
    }
}
