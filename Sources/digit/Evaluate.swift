import ArgumentParser
import DigitCompute
import DigitFormats

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model's accuracy on the test set, or on your own labelled pictures, with the confusion matrix.",
        discussion: """
            With --pictures DIR, every PNG or JPEG in DIR and its subfolders is read as `classify` reads \
            it and compared with its label: from --labels FILE.csv (file,label rows), else from \
            its name, a leading digit (7-anything.png) or the last _-separated field \
            (00042_7.png). A picture without a label is an error naming it; pictures that \
            cannot be read are reported, left out of the counts, and make the exit status 1. \
            The text output adds the accuracy per subfolder, the JSON a "folders" object.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var picturesOptions: PicturesOptions

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        try threadOptions.apply()
        let model = try modelOptions.load()
        var folders: [(folder: String, correct: Int, total: Int)]?
        var failures: [String] = []
        let evaluation: Evaluation
        let source: String
        if let labelled = try picturesOptions.read(with: model) {
            failures = labelled.failures
            evaluation = labelled.evaluation(temperature: model.info.temperature)
            folders = labelled.folderCounts
            source = "\(evaluation.total) pictures in \(labelled.folder)"
        } else {
            evaluation = Evaluation(classifier: model.classifier, data: try dataOptions.load(.test))
            source = "\(dataOptions.directory) test set"
        }
        let rawECE = evaluation.calibrationError(temperature: 1)
        let calibratedECE = evaluation.calibrationError(temperature: evaluation.temperature)
        if json {
            print(jsonLine(Report(accuracy: evaluation.accuracy, correct: evaluation.correct,
                                  total: evaluation.total, confusion: evaluation.confusion,
                                  temperature: evaluation.temperature, eceUncalibrated: rawECE, eceCalibrated: calibratedECE,
                                  folders: folders.map { Dictionary(uniqueKeysWithValues: $0.map {
                                      ($0.folder, FolderReport(accuracy: fraction($0.correct, $0.total), correct: $0.correct, total: $0.total))
                                  }) },
                                  unreadable: folders == nil ? nil : failures.count)))
        } else {
            print("\(modelOptions.displayName) on \(source): "
                  + "\(percent(evaluation.accuracy)) (\(evaluation.correct)/\(evaluation.total) correct)")
            if !failures.isEmpty { print("\(failures.count) pictures could not be read (listed on stderr) and are not counted") }
            print(String(format: "expected calibration error: %.2f%% before temperature scaling, %.2f%% after (T = %.3f)",
                         Double(rawECE) * 100, Double(calibratedECE) * 100, Double(evaluation.temperature)))
            print("confusion matrix (rows: true digit, columns: predicted):")
            print("      " + (0..<evaluation.classes).map { pad($0, 6) }.joined())
            for (label, row) in evaluation.confusion.enumerated() {
                print(pad(label, 6) + row.map { pad($0, 6) }.joined())
            }
            if let folders, folders.count > 1 || folders.first?.folder != "." {
                print("accuracy per folder:")
                let width = folders.map(\.folder.count).max() ?? 0
                for entry in folders {
                    print("  " + entry.folder.padding(toLength: width, withPad: " ", startingAt: 0)
                          + "  \(percent(fraction(entry.correct, entry.total))) (\(entry.correct)/\(entry.total))")
                }
            }
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    private func fraction(_ correct: Int, _ total: Int) -> Float { total > 0 ? Float(correct) / Float(total) : 0 }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private struct Report: Encodable {
        let accuracy: Float
        let correct: Int
        let total: Int
        let confusion: [[Int]]
        let temperature: Float
        let eceUncalibrated: Float
        let eceCalibrated: Float
        /// With --pictures: each subfolder's counts, and how many pictures could not be read.
        let folders: [String: FolderReport]?
        let unreadable: Int?

        enum CodingKeys: String, CodingKey {
            case accuracy, correct, total, confusion, temperature, folders, unreadable
            case eceUncalibrated = "ece_uncalibrated"
            case eceCalibrated = "ece_calibrated"
        }
    }

    private struct FolderReport: Encodable {
        let accuracy: Float
        let correct: Int
        let total: Int
    }
}
