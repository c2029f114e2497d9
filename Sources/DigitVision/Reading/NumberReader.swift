import DigitCompute
import DigitImage

/// A digit cut out of a picture and prepared for the network.
package struct PreparedDigit: Sendable {
    /// Where it was, in the original picture's pixels.
    package let box: PixelRect
    /// The MNIST-style 28x28 the network sees (white ink on black), as `classify` makes it.
    package let input: GrayImage
    /// The same ink prepared as the touching digits it may be, left to right (else empty):
    /// see `DigitCutOut.parts`.
    package let parts: [PreparedDigit]
}

/// One digit of a number as read.
public struct ReadDigit: Sendable, Equatable {
    /// Where the digit is, in the picture's pixels.
    public let box: PixelRect
    public let prediction: DigitPrediction
}

/// What a picture of a number reads as: lines top to bottom, each its digits left to right.
public struct NumberReading: Sendable, Equatable {
    /// Never empty, nor is any line.
    public let lines: [[ReadDigit]]

    /// Every digit in reading order.
    public var digits: [ReadDigit] { lines.flatMap { $0 } }

    /// Each line's digits as text, e.g. `["2026"]`.
    public var lineTexts: [String] { lines.map { $0.map { String($0.prediction.digit) }.joined() } }

    /// The lines' texts joined by `separator`, e.g. `"2026"` or `"12\n34"`.
    public func text(lineSeparator separator: String = "\n") -> String {
        lineTexts.joined(separator: separator)
    }
}

/// Reads whole numbers: segments a picture into digits (`DigitSegmenter`), turns each into an
/// MNIST-style 28x28 exactly as `classify` does (`DigitPreprocessor.preprocess` on the cut-out),
/// and classifies them.
package struct NumberReader {
    package let classifier: Classifier
    package var segmenter = DigitSegmenter()

    package init(classifier: Classifier) {
        self.classifier = classifier
    }

    /// The digits of `image` as lines of prepared 28x28 inputs. Cut-outs in which the preprocessor
    /// finds no digit (too faint) are left out. Throws `SegmentationError.noDigits` if none remain.
    package func prepare(_ image: GrayImage) throws -> [[PreparedDigit]] {
        try Self.prepare(image, with: segmenter)
    }

    /// `prepare` with `segmenter`, for pictures prepared before the classifier is at hand.
    package static func prepare(_ image: GrayImage, with segmenter: DigitSegmenter) throws -> [[PreparedDigit]] {
        let lines = try segmenter.cutOuts(of: image).map { $0.flatMap { prepared($0, with: segmenter) } }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw SegmentationError.noDigits }
        return lines
    }

    /// `cutOut` preprocessed, with its parts if every part preprocesses; just the parts if the whole
    /// does not; nothing if neither does.
    static func prepared(_ cutOut: DigitCutOut, with segmenter: DigitSegmenter) -> [PreparedDigit] {
        let parts = cutOut.parts.compactMap { part in
            (try? segmenter.preprocessor.preprocess(part.picture)).map { PreparedDigit(box: part.box, input: $0, parts: []) }
        }
        let complete = parts.count == cutOut.parts.count ? parts : []
        guard let whole = try? segmenter.preprocessor.preprocess(cutOut.picture) else { return complete }
        return [PreparedDigit(box: cutOut.box, input: whole, parts: complete)]
    }

    /// Classifies the prepared digits of several pictures in one batch; one reading per picture.
    /// A digit offered with parts reads as its parts when the product of their confidences
    /// exceeds the whole's confidence.
    package func classify(_ pictures: [[[PreparedDigit]]]) -> [NumberReading] {
        let inputs = pictures.flatMap { lines in lines.flatMap { line in line.flatMap { [$0] + $0.parts } } }
        let probabilities = classifier.probabilities(normalisedPixels(inputs.flatMap(\.input.pixels)), count: inputs.count)
        let classes = classifier.network.classes
        var next = 0
        func read(_ prepared: PreparedDigit) -> ReadDigit {
            defer { next += 1 }
            let row = Array(probabilities[(next * classes)..<((next + 1) * classes)])
            return ReadDigit(box: prepared.box, prediction: DigitPrediction(input: prepared.input, probabilities: row))
        }
        return pictures.map { lines in
            NumberReading(lines: lines.map { line in
                line.flatMap { prepared -> [ReadDigit] in
                    let whole = read(prepared)
                    let parts = prepared.parts.map(read)
                    let partsConfidence = parts.reduce(Float(1)) { $0 * $1.prediction.confidence }
                    return !parts.isEmpty && partsConfidence > whole.prediction.confidence ? parts : [whole]
                }
            })
        }
    }

    /// `prepare` then `classify` for one picture.
    package func read(_ image: GrayImage) throws -> NumberReading {
        classify([try prepare(image)])[0]
    }
}
