import DigitCompute
import DigitImage

/// What the whole-digit scorer learns from: the candidate digits `NumberReader` would weigh in
/// pictures of generated numbers, each prepared exactly as the reader prepares it, labelled by
/// whether it is one of the number's digits or not (half a digit, two touching digits, a piece
/// of one and a piece of the next). The network reading digits cannot say that a candidate is
/// not one: it reads a pair of touching digits as one of them, confidently.
package enum WholeDigitExamples {
    /// The label of a candidate that is not one whole digit.
    package static let piece: UInt8 = 0
    /// The label of a candidate that is one of the number's digits.
    package static let whole: UInt8 = 1
    /// A candidate whose box overlaps a true digit's by at least this much (intersection over
    /// union) is that digit; one overlapping every digit by less than `pieceOverlap` is a piece.
    /// Those in between (a digit with a sliver of its neighbour) teach nothing clear: left out.
    static let wholeOverlap = 0.75
    static let pieceOverlap = 0.55

    /// `box`'s label against the number's true digit boxes, or nil when it is neither clearly.
    static func label(of box: PixelRect, truth: [PixelRect]) -> UInt8? {
        let best = truth.map { box.intersectionOverUnion($0) }.max() ?? 0
        if best >= wholeOverlap { return whole }
        return best < pieceOverlap ? piece : nil
    }

    /// Every clearly labelled candidate of `numbers`, in order, as 28x28 MNIST-style images (white
    /// ink on black); candidates are prepared on the scheduler's threads.
    package static func dataset(_ numbers: [NumberPictures.Composition], segmenter: DigitSegmenter = DigitSegmenter()) -> Dataset {
        var examples = [(images: [UInt8], labels: [UInt8])](repeating: ([], []), count: numbers.count)
        examples.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            Scheduler.forEachItem(numbers.count) { index in
                let truth = numbers[index].boxes.flatMap { $0 }
                var images: [UInt8] = [], labels: [UInt8] = []
                let lines = (try? NumberReader.prepare(numbers[index].picture, with: segmenter)) ?? []
                for candidate in lines.flatMap({ $0.flatMap(\.candidates) }) {
                    guard let label = label(of: candidate.box, truth: truth) else { continue }
                    images += candidate.input.pixels
                    labels.append(label)
                }
                (base + index).pointee = (images, labels)
            }
        }
        let side = Architecture.inputShape.height
        return Dataset(images: examples.flatMap(\.images), labels: examples.flatMap(\.labels), rows: side, columns: side)
    }

    /// Numbers to learn from, of images of `set`: `count` one-line numbers of 2 to 9 digits,
    /// three in four laid out crowded (`NumberPictures.Layout.crowded`), the rest apart; a share
    /// `alteredShare` of them (half by default) of a random picture kind other than clean
    /// (scanned, binarised, bold, thin or stretched), the rest clean.
    package static func numbers(_ count: Int, from set: Dataset, alteredShare: Double = 0.5, seed: UInt64)
        -> [NumberPictures.Composition] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let digits = 2 + random.integer(below: 8)
            let layout = random.uniform() < 0.75 ? NumberPictures.Layout.crowded : NumberPictures.Layout()
            let indices = (0..<digits).map { _ in random.integer(below: set.count) }
            let altered = NumberPictures.PictureKind.altered
            // No draw when none are altered: the seeds then give the numbers they gave before kinds.
            let isAltered = alteredShare > 0 && Double(random.uniform()) < alteredShare
            let kind = isAltered ? altered[random.integer(below: altered.count)] : .clean
            return NumberPictures.compose([indices], from: set, layout: layout, kind: kind, random: &random)
        }
    }
}
