import DigitVision

/// The JSON objects of readings, one line each: what `digit classify --json` and `digit read
/// --json` print per file and what `digit serve` answers per picture, so the two cannot drift.
/// `file` is the first field when given; the server leaves it out.
package enum ReadingJSON {
    /// `{"file":"a.png","digit":7,"confidence":0.998,"probabilities":[...]}`; below
    /// `minimumConfidence`, `"digit":null` and `"best_guess"` after it; `"whole_picture":true`
    /// when no distinct ink was found; then `extraFields` (each `"key":value`) in order.
    package static func classification(_ prediction: DigitPrediction, file: String? = nil, minimumConfidence: Float = 0,
                                       extraFields: [String] = []) -> String {
        let unsure = prediction.confidence < minimumConfidence
        var fields = ["\"digit\":\(unsure ? "null" : String(prediction.digit))"]
        if unsure { fields.append("\"best_guess\":\(prediction.digit)") }
        fields.append("\"confidence\":\(shortestFloatText(prediction.confidence))")
        fields.append("\"probabilities\":[\(prediction.probabilities.map(shortestFloatText).joined(separator: ","))]")
        if prediction.wholePicture { fields.append("\"whole_picture\":true") }
        return object(file.map { ["\"file\":\(jsonString($0))"] } ?? [], fields + extraFields)
    }

    /// `{"file":...,"error":"..."}` for a picture `classify` could not read.
    package static func classificationError(_ message: String, file: String? = nil) -> String {
        object(file.map { ["\"file\":\(jsonString($0))"] } ?? [], ["\"error\":\(jsonString(message))"])
    }

    /// `{"file":...,"text":"2026","digits":[{"digit":2,"confidence":0.998,"box":[x,y,w,h]},...]}`;
    /// `text` joins several lines with "\n"; boxes are in the picture's pixels. Its strings are
    /// written by `jsonLine` (JSONEncoder), as `read --json` always wrote them; `classify`'s by
    /// `jsonString`: the two differ only in how they escape U+0008 and U+000C.
    package static func number(_ reading: NumberReading, file: String? = nil) -> String {
        let digits = reading.digits.map { digit in
            let box = digit.box
            return "{\"digit\":\(digit.prediction.digit),\"confidence\":\(shortestFloatText(digit.prediction.confidence)),"
                + "\"box\":[\(box.x),\(box.y),\(box.width),\(box.height)]}"
        }
        return object(file.map { ["\"file\":\(jsonLine($0))"] } ?? [],
                      ["\"text\":\(jsonLine(reading.text()))", "\"digits\":[\(digits.joined(separator: ","))]"])
    }

    /// `{"file":...,"error":"..."}` for a picture `read` could not read.
    package static func numberError(_ message: String, file: String? = nil) -> String {
        object(file.map { ["\"file\":\(jsonLine($0))"] } ?? [], ["\"error\":\(jsonLine(message))"])
    }

    private static func object(_ fileField: [String], _ fields: [String]) -> String {
        "{" + (fileField + fields).joined(separator: ",") + "}"
    }
}
