import ArgumentParser
import DigitKit

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model's accuracy on the test set, with the confusion matrix.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let model = try modelOptions.load()
        let test = try dataOptions.load(.test)
        let evaluation = Evaluation(classifier: model.classifier, data: test)
        let rawECE = evaluation.calibrationError(temperature: 1)
        let calibratedECE = evaluation.calibrationError(temperature: evaluation.temperature)
        if json {
            print(jsonLine(Report(accuracy: evaluation.accuracy, correct: evaluation.correct,
                                  total: evaluation.total, confusion: evaluation.confusion,
                                  temperature: evaluation.temperature, eceUncalibrated: rawECE, eceCalibrated: calibratedECE)))
            return
        }
        print("\(modelOptions.displayName) on \(dataOptions.directory) test set: "
              + "\(percent(evaluation.accuracy)) (\(evaluation.correct)/\(evaluation.total) correct)")
        print(String(format: "expected calibration error: %.2f%% before temperature scaling, %.2f%% after (T = %.3f)",
                     Double(rawECE) * 100, Double(calibratedECE) * 100, Double(evaluation.temperature)))
        print("confusion matrix (rows: true digit, columns: predicted):")
        print("      " + (0..<evaluation.classes).map { pad($0, 6) }.joined())
        for (label, row) in evaluation.confusion.enumerated() {
            print(pad(label, 6) + row.map { pad($0, 6) }.joined())
        }
    }

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

        enum CodingKeys: String, CodingKey {
            case accuracy, correct, total, confusion, temperature
            case eceUncalibrated = "ece_uncalibrated"
            case eceCalibrated = "ece_calibrated"
        }
    }
}
