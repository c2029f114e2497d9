import ArgumentParser
import DigitKit

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
        let reader = try DigitReader(model: modelOptions.choice)
        let report: EvaluationReport
        var failures: [String] = []
        let source: String
        if let labelled = try picturesOptions.read(with: reader) {
            failures = labelled.failures
            report = try reader.evaluate(labelled)
            source = "\(report.total) pictures in \(labelled.folder)"
        } else {
            report = try dataOptions.explainingMissingData { try reader.evaluate(mnistTestSetIn: dataOptions.directory) }
            source = "\(dataOptions.directory) test set"
        }
        if json {
            print(jsonLine(report))
        } else {
            printText(report, source: source, unreadable: failures.count)
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    private func printText(_ report: EvaluationReport, source: String, unreadable: Int) {
        print("\(modelOptions.displayName) on \(source): \(percent(report.accuracy)) (\(report.correct)/\(report.total) correct)")
        if unreadable > 0 { print("\(unreadable) pictures could not be read (listed on stderr) and are not counted") }
        print("expected calibration error: \(percent(report.eceUncalibrated)) before temperature scaling, "
              + "\(percent(report.eceCalibrated)) after (T = \(String(format: "%.3f", Double(report.temperature))))")
        print("confusion matrix (rows: true digit, columns: predicted):")
        print("      " + report.confusion.indices.map { pad($0, 6) }.joined())
        for (label, row) in report.confusion.enumerated() {
            print(pad(label, 6) + row.map { pad($0, 6) }.joined())
        }
        if let folders = report.folders, folders.count > 1 || folders.keys.first != "." {
            print("accuracy per folder:")
            let width = folders.keys.map(\.count).max() ?? 0
            for (folder, counts) in folders.sorted(by: { $0.key < $1.key }) {
                print("  " + folder.padding(toLength: width, withPad: " ", startingAt: 0)
                      + "  \(percent(counts.accuracy)) (\(counts.correct)/\(counts.total))")
            }
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
