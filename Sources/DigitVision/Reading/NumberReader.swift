import DigitCompute
import DigitImage

/// A stretch of ink (`InkStretch`) with its candidate digits prepared for the network.
package struct PreparedStretch: Sendable {
    /// The last position (see `InkStretch`): every path of candidates from 0 reaches it.
    package let end: Int
    /// The candidate cuts, as in `InkStretch.cuts`.
    package let cuts: [InkCut]
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

/// Where the reader parted two touching digits: the path of the cut from the top of their ink
/// to its bottom, as the one-pixel-wide vertical runs it is made of, top to bottom, in the
/// picture's pixels (one run for a straight cut).
public struct InkCut: Sendable, Equatable {
    public let runs: [PixelRect]

    package init(runs: [PixelRect]) {
        self.runs = runs
    }
}

/// What a picture of a number reads as: lines top to bottom, each its digits left to right.
public struct NumberReading: Sendable, Equatable {
    /// Never empty, nor is any line.
    public let lines: [[ReadDigit]]
    /// Where the reader cut touching ink between two of the digits, in reading order.
    public let cuts: [InkCut]

    package init(lines: [[ReadDigit]], cuts: [InkCut] = []) {
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
/// MNIST-style 28x28 as `classify` does (`DigitPreprocessor.preprocess` on the cut-out, strokes
/// redrawn on the segmenter's coarser grid),
/// classifies them all, and reads each line as the path of candidates of least cost
/// (`NumberLattice`): the network's doubt about each digit, the whole-digit scorer's doubt that
/// the candidate is one whole digit at all, and what the candidate's shape says against it.
package struct NumberReader {
    package let classifier: Classifier
    /// A two-class network (`WholeDigitExamples`: 0 a piece, 1 a whole digit) that tells one whole
    /// digit from half of one, two touching ones or pieces of two; nil: the shape costs alone judge.
    package let wholeDigitScorer: Classifier?
    /// How much the whole-digit scorer's doubt (−log of its probability that a candidate is one
    /// whole digit) weighs in a candidate's cost beside the network's doubt about which digit it is.
    package var wholeDigitWeight = 1.0
    package var segmenter = DigitSegmenter()

    package init(classifier: Classifier, wholeDigitScorer: Classifier?) {
        precondition(wholeDigitScorer.map { $0.network.classes == 2 } ?? true, "NumberReader: the whole-digit scorer has 2 classes")
        self.classifier = classifier
        self.wholeDigitScorer = wholeDigitScorer
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
        let pixels = normalisedPixels(inputs.flatMap(\.input.pixels))
        let probabilities = classifier.probabilities(pixels, count: inputs.count)
        let wholeness = wholeDigitScorer.map { scorer -> [Float] in
            let scores = scorer.probabilities(pixels, count: inputs.count)
            return (0..<inputs.count).map { scores[2 * $0 + Int(WholeDigitExamples.whole)] }
        }
        let classes = classifier.network.classes
        var next = 0
        return pictures.map { lines in
            let lattices = lines.map { line in
                NumberLattice(line, wholeDigitWeight: wholeDigitWeight, scores: { defer { next += 1 }
                    return (Array(probabilities[(next * classes)..<((next + 1) * classes)]), wholeness?[next]) })
            }
            return NumberLattice.reading(lattices, digits: digits)
        }
    }

    /// `prepare` then `classify` for one picture.
    package func read(_ image: GrayImage, digits: Int? = nil) throws -> NumberReading {
        classify([try prepare(image)], digits: digits)[0]
    }
}
