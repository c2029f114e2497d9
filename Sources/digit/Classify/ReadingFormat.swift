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
            let unsure = p.confidence < minimumConfidence
            let digit = unsure ? "null" : String(p.digit)
            var fields = ["\"file\":\(jsonString(reading.path))", "\"digit\":\(digit)",
                          "\"confidence\":\(number(p.confidence))",
                          "\"probabilities\":[\(p.probabilities.map(number).joined(separator: ","))]"]
            if unsure { fields.insert("\"best_guess\":\(p.digit)", at: 2) }
            if p.wholePicture { fields.append("\"whole_picture\":true") }
            return "{" + fields.joined(separator: ",") + "}"
        case (.json, .failure(let error)):
            return "{\"file\":\(jsonString(reading.path)),\"error\":\(jsonString(error.description))}"
        case (.csv, .success(let p)):
            let digit = p.confidence < minimumConfidence ? "" : String(p.digit)
            return "\(csvField(reading.path)),\(digit),\(number(p.confidence)),"
        case (.csv, .failure(let error)):
            return "\(csvField(reading.path)),,,\(csvField(error.description))"
        }
    }
}


/// Shortest text that reads back as the same Float (Swift's description), e.g. 0.9983.
private func number(_ value: Float) -> String { "\(value)" }

private func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
