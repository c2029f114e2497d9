import DigitVision

/// One digit's reading as JSON: a line of `digit classify --json`, and what `digit serve`
/// answers at `/api/classify` (without `file`, with `input`).
///
/// `{"file":"a.png","digit":7,"confidence":0.998,"probabilities":[...]}`; below the minimum
/// confidence, `"digit":null` and `"best_guess"` after it; `"whole_picture":true` when no
/// distinct ink was found; `"input"` last when given. Encode it with `JSONLineEncoder` to keep
/// that order (JSONEncoder gives the same fields, its own order).
public struct ClassificationRecord: Codable, Sendable, Equatable {
    public var file: String?
    /// The digit read, 0...9; nil when the reading is below the minimum confidence asked for.
    public var digit: Int?
    /// The most probable digit when `digit` is nil.
    public var bestGuess: Int?
    public var confidence: Float
    public var probabilities: [Float]
    /// True when no distinct ink was found and the whole picture was read; nil otherwise.
    public var wholePicture: Bool?
    /// The 28x28 the network saw, as a base64 PNG (the server's answer carries it).
    public var input: String?

    public init(_ prediction: DigitPrediction, file: String? = nil, minimumConfidence: Float = 0, input: String? = nil) {
        let unsure = prediction.confidence < minimumConfidence
        self.file = file
        digit = unsure ? nil : prediction.digit
        bestGuess = unsure ? prediction.digit : nil
        confidence = prediction.confidence
        probabilities = prediction.probabilities
        wholePicture = prediction.wholePicture ? true : nil
        self.input = input
    }

    enum CodingKeys: String, CodingKey {
        case file, digit, confidence, probabilities, input
        case bestGuess = "best_guess"
        case wholePicture = "whole_picture"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(file, forKey: .file)
        // Always present: null says the reading was too unsure.
        try container.encode(digit, forKey: .digit)
        try container.encodeIfPresent(bestGuess, forKey: .bestGuess)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(probabilities, forKey: .probabilities)
        try container.encodeIfPresent(wholePicture, forKey: .wholePicture)
        try container.encodeIfPresent(input, forKey: .input)
    }
}

/// A whole number's reading as JSON: a line of `digit read --json`, and what `digit serve`
/// answers at `/api/read` (without `file`).
///
/// `{"file":"n.png","text":"2026","digits":[{"digit":2,"confidence":0.998,"box":[x,y,w,h]},...],"confidence":0.97}`:
/// `text` joins several lines of digits with "\n"; boxes are in the picture's pixels; the last
/// `confidence` is the whole number's (`NumberReading.confidence`).
public struct NumberRecord: Codable, Sendable, Equatable {
    public var file: String?
    public var text: String
    public var digits: [Digit]
    public var confidence: Float

    /// One digit of the number, in reading order.
    public struct Digit: Codable, Sendable, Equatable {
        public var digit: Int
        public var confidence: Float
        /// `[x, y, width, height]` in the picture's pixels, from its top-left corner.
        public var box: [Int]
    }

    public init(_ reading: NumberReading, file: String? = nil) {
        self.file = file
        text = reading.text()
        digits = reading.digits.map { digit in
            let box = digit.box
            return Digit(digit: digit.prediction.digit, confidence: digit.prediction.confidence,
                         box: [box.x, box.y, box.width, box.height])
        }
        confidence = reading.confidence
    }
}

/// `{"file":"x.png","error":"x.png: ..."}`: a picture that could not be read, in `classify
/// --json` and `read --json`; the server's refusals are `{"error":"..."}`.
public struct ErrorRecord: Codable, Sendable, Equatable {
    public var file: String?
    public var error: String

    public init(_ error: String, file: String? = nil) {
        self.file = file
        self.error = error
    }
}
