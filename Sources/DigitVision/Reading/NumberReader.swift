import DigitCompute
import DigitImage

/// A stretch of ink (`InkStretch`) with its candidate digits prepared for the network.
package struct PreparedStretch: Sendable {
    /// The last position (see `InkStretch`): every path of candidates from 0 reaches it.
    package let end: Int
    /// The candidate cuts, as in `InkStretch.cuts`.
    package let cuts: [PixelRect]
    /// Only candidates on some path from position 0 to `end`; never empty.
    package let candidates: [Candidate]

    /// One candidate digit prepared for the network.
    package struct Candidate: Sendable {
        package let span: Range<Int>
        /// Where it was, in the original picture's pixels.
        package let box: PixelRect
        /// The MNIST-style 28x28 the network sees (white ink on black), as `classify` makes it.
        package let input: GrayImage
        /// As in `InkStretch.Candidate.shapeCost`.
        package let shapeCost: Double
    }
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
    /// Where the reader cut touching ink between two of the digits: one-pixel-wide boxes spanning
    /// the ink's height, in the picture's pixels, in reading order.
    public let cuts: [PixelRect]

    package init(lines: [[ReadDigit]], cuts: [PixelRect] = []) {
        self.lines = lines
        self.cuts = cuts
    }

    /// Every digit in reading order.
    public var digits: [ReadDigit] { lines.flatMap { $0 } }

    /// The chance that every digit is read right, as far as the network can tell: the product
    /// of the digits' confidences, in 0...1.
    public var confidence: Float { digits.reduce(1) { $0 * $1.prediction.confidence } }

    /// Each line's digits as text, e.g. `["2026"]`.
    public var lineTexts: [String] { lines.map { $0.map { String($0.prediction.digit) }.joined() } }

    /// The lines' texts joined by `separator`, e.g. `"2026"` or `"12\n34"`.
    public func text(lineSeparator separator: String = "\n") -> String {
        lineTexts.joined(separator: separator)
    }
}

/// Reads whole numbers by recognition: segments a picture into stretches of ink with candidate
/// cuts and candidate digits between them (`DigitSegmenter`), turns each candidate into an
/// MNIST-style 28x28 exactly as `classify` does (`DigitPreprocessor.preprocess` on the cut-out),
/// classifies them all, and reads each line as the path of candidates of least cost
/// (`NumberLattice`): the network's doubt about each digit plus what the candidate's shape says
/// against it being one whole digit.
package struct NumberReader {
    package let classifier: Classifier
    package var segmenter = DigitSegmenter()

    package init(classifier: Classifier) {
        self.classifier = classifier
    }

    /// The stretches of `image` as lines of prepared candidates. Candidates in which the
    /// preprocessor finds no digit (too faint) are left out, and so are stretches left without a
    /// path. Throws `SegmentationError.noDigits` if none remain.
    package func prepare(_ image: GrayImage) throws -> [[PreparedStretch]] {
        try Self.prepare(image, with: segmenter)
    }

    /// `prepare` with `segmenter`, for pictures prepared before the classifier is at hand.
    package static func prepare(_ image: GrayImage, with segmenter: DigitSegmenter) throws -> [[PreparedStretch]] {
        let lines = try segmenter.stretches(of: image).map { $0.compactMap { prepared($0, with: segmenter) } }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw SegmentationError.noDigits }
        return lines
    }

    /// `stretch`'s candidates that preprocess and lie on a path from its left edge to its right
    /// edge; nil if there is no such path.
    static func prepared(_ stretch: InkStretch, with segmenter: DigitSegmenter) -> PreparedStretch? {
        let candidates = stretch.candidates.compactMap { candidate in
            (try? segmenter.preprocessor.preprocess(candidate.cutOut.picture)).map {
                PreparedStretch.Candidate(span: candidate.span, box: candidate.cutOut.box, input: $0, shapeCost: candidate.shapeCost)
            }
        }
        var reachable = Set([0]), leadsToEnd = Set([stretch.end])
        for candidate in candidates.sorted(by: { $0.span.lowerBound < $1.span.lowerBound })
        where reachable.contains(candidate.span.lowerBound) { reachable.insert(candidate.span.upperBound) }
        for candidate in candidates.sorted(by: { $0.span.upperBound > $1.span.upperBound })
        where leadsToEnd.contains(candidate.span.upperBound) { leadsToEnd.insert(candidate.span.lowerBound) }
        let onPath = candidates.filter { reachable.contains($0.span.lowerBound) && leadsToEnd.contains($0.span.upperBound) }
        guard !onPath.isEmpty else { return nil }
        return PreparedStretch(end: stretch.end, cuts: stretch.cuts, candidates: onPath)
    }

    /// Classifies the candidates of several pictures in one batch; one reading per picture.
    /// With `digits`, only readings of that many digits (over all lines) are considered, unless
    /// the picture has no such reading: then it reads as it would without.
    package func classify(_ pictures: [[[PreparedStretch]]], digits: Int? = nil) -> [NumberReading] {
        let inputs = pictures.flatMap { $0.flatMap { $0.flatMap(\.candidates) } }
        let probabilities = classifier.probabilities(normalisedPixels(inputs.flatMap(\.input.pixels)), count: inputs.count)
        let classes = classifier.network.classes
        var next = 0
        return pictures.map { lines in
            let lattices = lines.map { line in
                NumberLattice(line, probabilities: { defer { next += 1 }
                    return Array(probabilities[(next * classes)..<((next + 1) * classes)]) })
            }
            return NumberLattice.reading(lattices, digits: digits)
        }
    }

    /// `prepare` then `classify` for one picture.
    package func read(_ image: GrayImage, digits: Int? = nil) throws -> NumberReading {
        classify([try prepare(image)], digits: digits)[0]
    }
}
