import DigitFormats
import Foundation

/// How `classify` prints its readings.
enum ReadingFormat {
    case text(top: Int)
    case json
    case csv

    static let csvHeader = "file,digit,confidence,error"

    /// The line for one reading (text errors are returned as nil: they go to stderr).
    func line(for reading: Reading, minimumConfidence: Float) -> String? {
        switch (self, reading.outcome) {
        case (.text(let top), .success(let p)):
            let unsure = p.confidence < minimumConfidence
            let whole = p.wholePicture ? " [no distinct ink: read the whole picture]" : ""
            if top > 1 {
                let list = p.top(top).map { "\($0.digit) \(percent($0.probability, decimals: 1))" }.joined(separator: ", ")
                return "\(reading.path): \(unsure ? "unsure; " : "")\(list)\(whole)"
            }
            return unsure
                ? "\(reading.path): unsure (best guess \(p.digit) at \(percent(p.confidence, decimals: 1)))\(whole)"
                : "\(reading.path): \(p.digit) (\(percent(p.confidence, decimals: 1)))\(whole)"
        case (.text, .failure):
            return nil
        case (.json, .success(let p)):
            return ReadingJSON.classification(p, file: reading.path, minimumConfidence: minimumConfidence)
        case (.json, .failure(let error)):
            return ReadingJSON.classificationError(error.description, file: reading.path)
        case (.csv, .success(let p)):
            let digit = p.confidence < minimumConfidence ? "" : String(p.digit)
            return "\(csvField(reading.path)),\(digit),\(shortestFloatText(p.confidence)),"
        case (.csv, .failure(let error)):
            return "\(csvField(reading.path)),,,\(csvField(error.description))"
        }
    }
}

func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
