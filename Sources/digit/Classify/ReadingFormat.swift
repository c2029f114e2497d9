import DigitKit
import Foundation

/// How `classify` prints its readings.
enum ReadingFormat {
    case text(top: Int)
    case json
    case csv

    static let csvHeader = "file,digit,confidence,error"

    /// The line for one reading (text errors are returned as nil: they go to stderr).
    func line(for reading: PictureReading, minimumConfidence: Float) -> String? {
        switch (self, reading.outcome) {
        case (.text(let top), .success(let p)):
            let unsure = p.confidence < minimumConfidence
            let whole = p.wholePicture ? " [no distinct ink: read the whole picture]" : ""
            if top > 1 {
                let list = p.top(top).map { "\($0.digit) \(percent($0.probability, decimals: 1))" }.joined(separator: ", ")
                return "\(reading.name): \(unsure ? "unsure; " : "")\(list)\(whole)"
            }
            return unsure
                ? "\(reading.name): unsure (best guess \(p.digit) at \(percent(p.confidence, decimals: 1)))\(whole)"
                : "\(reading.name): \(p.digit) (\(percent(p.confidence, decimals: 1)))\(whole)"
        case (.text, .failure):
            return nil
        case (.json, .success(let p)):
            return jsonRecord(ClassificationRecord(p, file: reading.name, minimumConfidence: minimumConfidence))
        case (.json, .failure(let error)):
            return jsonRecord(ErrorRecord(error.description, file: reading.name))
        case (.csv, .success(let p)):
            let digit = p.confidence < minimumConfidence ? "" : String(p.digit)
            return "\(csvField(reading.name)),\(digit),\(p.confidence),"
        case (.csv, .failure(let error)):
            return "\(csvField(reading.name)),,,\(csvField(error.description))"
        }
    }
}

/// One JSON line for a reading record (`JSONLineEncoder`: fields in the record's order); a
/// record that cannot be JSON (a damaged model's NaN probabilities) becomes `{"error":...}`.
func jsonRecord(_ record: some Encodable) -> String {
    do {
        return try JSONLineEncoder().encode(record)
    } catch {
        // A record of strings only always encodes.
        return try! JSONLineEncoder().encode(ErrorRecord("cannot write the reading as JSON: \(error)"))
    }
}

func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
