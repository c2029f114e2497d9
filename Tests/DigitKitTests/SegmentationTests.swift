@testable import DigitCompute
@testable import DigitImage
@testable import DigitStore
@testable import DigitVision
import Foundation
import Testing

/// What the segmentation tests add to `NumberPictures`: the MNIST test set, box matching, drawn shapes.
extension NumberPictures {
    /// The MNIST test set, or why it did not load: tests that need it call `get()` and fail
    /// with that error, never pass over an empty list.
    static let testSet: Result<Dataset, any Error> = Result { try MNIST.load(split: .test, from: CoreSupport.mnistDirectory) }

    /// Whether every true box is matched by exactly one found box with IoU above 0.5 and every
    /// found box matches one true box.
    static func boxesMatch(found: [PixelRect], truth: [PixelRect]) -> Bool {
        guard found.count == truth.count else { return false }
        return truth.allSatisfy { box in found.filter { $0.intersectionOverUnion(box) > 0.5 }.count == 1 }
    }

    /// A white `width` x `height` picture with black filled rectangles `(x, y, w, h)`.
    static func shapes(width: Int, height: Int, _ rectangles: [(Int, Int, Int, Int)]) -> GrayImage {
        var picture = GrayImage(width: width, height: height, filledWith: 255)
        for (x0, y0, w, h) in rectangles {
            for y in y0..<(y0 + h) { for x in x0..<(x0 + w) { picture[x, y] = 0 } }
        }
        return picture
    }

    /// Rectangles drawing a ring (a 0) with its box at (x, y), `w` x `h`, strokes `t` thick.
    static func ring(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ t: Int) -> [(Int, Int, Int, Int)] {
        [(x, y, w, t), (x, y + h - t, w, t), (x, y, t, h), (x + w - t, y, t, h)]
    }
}

@Suite struct SegmentationTests {
    let segmenter = DigitSegmenter()

    /// The boxes of the stretches of ink the segmenter finds, lines of them.
    func boxes(_ picture: GrayImage) throws -> [[PixelRect]] {
        try segmenter.stretches(of: picture).map { $0.map(\.box) }
    }

    /// The boxes of the digits the bundled model reads in `picture`, in reading order.
    func readBoxes(_ picture: GrayImage, _ reader: NumberReader) throws -> [PixelRect] {
        try reader.read(picture).digits.map(\.box)
    }

    // MARK: - Drawn shapes

    @Test func aBlankPictureHasNoDigits() {
        #expect(throws: SegmentationError.noDigits) { try segmenter.stretches(of: GrayImage(width: 200, height: 80, filledWith: 255)) }
        #expect(throws: SegmentationError.noDigits) { try segmenter.stretches(of: GrayImage(width: 0, height: 0, pixels: [])) }
        #expect(SegmentationError.noDigits.description.hasPrefix("no digits found"))
    }

    @Test func separateDigitsAreFoundLeftToRightWithTheirBoxes() throws {
        let picture = NumberPictures.shapes(width: 200, height: 100, NumberPictures.ring(110, 20, 30, 50, 5)
            + NumberPictures.ring(30, 25, 30, 50, 5) + [(75, 20, 6, 50)])
        let found = try boxes(picture)
        #expect(found == [[PixelRect(x: 30, y: 25, width: 30, height: 50), PixelRect(x: 75, y: 20, width: 6, height: 50),
                           PixelRect(x: 110, y: 20, width: 30, height: 50)]])
    }

    @Test func aFiveWithADetachedBarIsOneDigit() throws {
        // Stem and bowl in one stroke; the top bar floats 4 px above the stem.
        let body: [(Int, Int, Int, Int)] = [(40, 24, 6, 22), (40, 40, 30, 6), (64, 40, 6, 30), (38, 64, 32, 6)]
        let picture = NumberPictures.shapes(width: 120, height: 100, body + [(42, 14, 30, 6)])
        let found = try boxes(picture)
        #expect(found == [[PixelRect(x: 38, y: 14, width: 34, height: 56)]])
    }

    @Test func twoTouchingDigitsMayBeCutWhereTheyTouch() throws {
        // Two rings joined by a short bridge at columns 66...69.
        let picture = NumberPictures.shapes(width: 160, height: 100, NumberPictures.ring(30, 20, 36, 56, 6)
            + NumberPictures.ring(70, 22, 36, 56, 6) + [(66, 45, 4, 6)])
        let stretches = try segmenter.stretches(of: picture)
        try #require(stretches.count == 1 && stretches[0].count == 1, "found \(stretches.map { $0.map(\.box) })")
        let stretch = stretches[0][0]
        #expect(stretch.box == PixelRect(x: 30, y: 20, width: 76, height: 58))
        let bridge = try #require(stretch.cuts.firstIndex { $0.runs.allSatisfy { (66...70).contains($0.x) } },
                                  "cuts at \(stretch.cuts.map { $0.runs.map(\.x) })")
        let halves = stretch.candidates.filter { $0.span == 0..<(bridge + 1) || $0.span == (bridge + 1)..<stretch.end }
        #expect(halves.count == 2 && halves.map(\.cutOut.box.x).min() == 30, "\(halves.map(\.cutOut.box))")
        #expect(halves.map(\.cutOut.box.x).max().map((66...70).contains) == true, "\(halves.map(\.cutOut.box))")
        #expect(stretch.candidates.contains { $0.span == 0..<stretch.end }, "the whole stretch is a candidate too")
        // Cutting through the one-stroke bridge costs less than cutting a ring through two strokes.
        let whole = try #require(stretch.candidates.first { $0.span == 0..<stretch.end })
        #expect(halves.allSatisfy { $0.shapeCost < whole.shapeCost })
    }

    @Test func theReadingIsTheCheapestPathAndAKnownCountChoosesAmongPathsOfThatLength() throws {
        // Three candidates over one stretch with one cut: whole (0..<2) or two halves.
        let blank = GrayImage(width: 28, height: 28, filledWith: 0)
        func candidate(_ span: Range<Int>, x: Int) -> PreparedStretch.Candidate {
            PreparedStretch.Candidate(span: span, box: PixelRect(x: x, y: 0, width: 20, height: 20), input: blank, shapeCost: 0)
        }
        let cut = InkCut(runs: [PixelRect(x: 20, y: 0, width: 1, height: 20)])
        let stretch = PreparedStretch(end: 2, cuts: [cut],
                                      candidates: [candidate(0..<2, x: 0), candidate(0..<1, x: 0), candidate(1..<2, x: 20)])
        func probabilities(_ digit: Int, _ confidence: Float) -> [Float] {
            (0..<10).map { $0 == digit ? confidence : (1 - confidence) / 9 }
        }
        let rows = [probabilities(8, 0.9), probabilities(3, 0.8), probabilities(7, 0.8)]
        var next = 0
        let lattice = NumberLattice([stretch], wholeDigitWeight: 1) { defer { next += 1 }; return (rows[next], nil) }
        let free = NumberLattice.reading([lattice], digits: nil)
        #expect(free.text() == "8" && free.cuts.isEmpty)
        let two = NumberLattice.reading([lattice], digits: 2)
        #expect(two.text() == "37" && two.cuts == [cut])
        #expect(abs(two.confidence - 0.64) < 1e-6)
        #expect(NumberLattice.reading([lattice], digits: 3).text() == "8", "no reading of 3 digits: as without a count")
        #expect(NumberLattice.countsAddingUp(to: 3, [[nil, 1.0, 0.5], [nil, 0.2]]) == [2, 1])
        // The whole-digit scorer doubting the wide candidate (5%) against the halves (90%) turns
        // the free reading to the two halves; weighed at 0 it changes nothing.
        let wholeness: [Float] = [0.05, 0.9, 0.9]
        for (weight, text) in [(1.0, "37"), (0.0, "8")] {
            next = 0
            let judged = NumberLattice([stretch], wholeDigitWeight: weight) { defer { next += 1 }; return (rows[next], wholeness[next]) }
            #expect(NumberLattice.reading([judged], digits: nil).text() == text, "weight \(weight)")
        }
    }

    @Test func specksAreDroppedAndLinesReadTopToBottom() throws {
        let picture = NumberPictures.shapes(width: 200, height: 200, [
            (120, 130, 6, 40), (40, 30, 6, 40), (100, 30, 6, 40), (60, 130, 6, 40),
            (10, 10, 2, 2), (150, 100, 3, 3),
        ])
        let found = try boxes(picture)
        #expect(found.map { $0.map(\.x) } == [[40, 100], [60, 120]])
    }

    @Test func cutOutsAreDarkOnWhiteWhateverThePolarity() throws {
        var chalk = NumberPictures.shapes(width: 160, height: 100, NumberPictures.ring(30, 20, 30, 50, 5) + [(100, 20, 6, 50)])
        chalk.pixels = chalk.pixels.map { UInt8(40 + (255 - Int($0)) * 3 / 5) }
        let wholes = try segmenter.stretches(of: chalk).flatMap { $0.flatMap { stretch in stretch.candidates.filter { $0.span == 0..<stretch.end } } }
        let cutOuts = wholes.map(\.cutOut)
        #expect(cutOuts.count == 2)
        for cutOut in cutOuts {
            #expect(cutOut.picture.pixels.min()! < 150)
            #expect(cutOut.picture[0, 0] == 255)
        }
    }

    // MARK: - MNIST digits

    /// `count` random pictures of `digits`-digit numbers from the MNIST test set, one line each.
    /// Throws the loading error when the test set cannot be read.
    static func numbers(_ count: Int, digits: Int, layout: NumberPictures.Layout, seed: UInt64) throws -> [NumberPictures.Composition] {
        NumberPictures.numbers(count, digits: digits, from: try NumberPictures.testSet.get(), layout: layout, seed: seed)
    }

    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func wellSeparatedDigitsOfVaryingHeightsAndBaselinesAreEachBoxed() throws {
        let reader = NumberReader(classifier: try BundledModel.load().classifier, wholeDigitScorer: try BundledModel.wholeDigitScorer())
        var checked = 0
        for composition in try Self.numbers(60, digits: 5, layout: NumberPictures.Layout(), seed: 11) {
            checked += 1
            let reading = try reader.read(composition.picture)
            #expect(reading.lines.count == 1, "\(reading.lines.count) lines for one")
            #expect(NumberPictures.boxesMatch(found: reading.digits.map(\.box), truth: composition.boxes[0]),
                    "true \(composition.boxes[0]) found \(reading.digits.map(\.box))")
        }
        #expect(checked == 60)
    }

    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func touchingAndSlightlyOverlappingDigitsAreMostlySplitRight() throws {
        let layout = NumberPictures.Layout(gaps: -0.08...0.05)
        let compositions = try Self.numbers(100, digits: 4, layout: layout, seed: 12)
        try #require(compositions.count == 100)
        let reader = NumberReader(classifier: try BundledModel.load().classifier, wholeDigitScorer: try BundledModel.wholeDigitScorer())
        let matched = try compositions.filter { composition in
            NumberPictures.boxesMatch(found: try readBoxes(composition.picture, reader), truth: composition.boxes[0])
        }.count
        print("segmentation: \(matched)/\(compositions.count) pictures of 4 close or touching digits boxed right")
        #expect(matched >= 80)
    }

    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func twoLinesAreReadTopToBottom() throws {
        let set = try NumberPictures.testSet.get()
        let reader = NumberReader(classifier: try BundledModel.load().classifier, wholeDigitScorer: try BundledModel.wholeDigitScorer())
        var random = SeededRandom(seed: 13)
        // The first test digits of each class, all classified correctly alone.
        let first = (0..<10).map { label in (0..<set.count).first { Int(set.labels[$0]) == label }! }
        let composition = NumberPictures.compose([[first[1], first[9], first[8]], [first[2], first[0], first[2], first[6]]],
                                                 from: set, layout: NumberPictures.Layout(), random: &random)
        let reading = try reader.read(composition.picture)
        #expect(reading.text() == "198\n2026")
        #expect(reading.text(lineSeparator: " ") == "198 2026")
        #expect(zip(reading.lines, composition.boxes).allSatisfy { NumberPictures.boxesMatch(found: $0.map(\.box), truth: $1) })
    }

    /// Whole-number accuracy on 200 random numbers each of 2, 4 and 8 MNIST test digits (gaps from
    /// a slight overlap to half a digit, heights 0.85-1.2, baselines ±0.1 of the digit height).
    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func wholeNumberAccuracy() throws {
        let reader = NumberReader(classifier: try BundledModel.load().classifier, wholeDigitScorer: try BundledModel.wholeDigitScorer())
        let layout = NumberPictures.Layout(gaps: -0.05...0.5)
        let floors = [2: 0.93, 4: 0.90, 8: 0.80]
        for digits in [2, 4, 8] {
            let compositions = try Self.numbers(200, digits: digits, layout: layout, seed: UInt64(100 + digits))
            try #require(compositions.count == 200)
            let prepared = compositions.map { try? reader.prepare($0.picture) }
            let readings = reader.classify(prepared.compactMap { $0 })
            #expect(readings.count > 0, "\(digits) digits: no picture prepared")
            var next = readings.makeIterator()
            var right = 0
            var digitsRight = 0
            for (composition, lines) in zip(compositions, prepared) where lines != nil {
                let reading = next.next()!
                if reading.text() == composition.text { right += 1 }
                if reading.digits.count == digits {
                    digitsRight += zip(reading.digits, composition.labels[0]).filter { $0.prediction.digit == $1 }.count
                }
            }
            let accuracy = Double(right) / Double(compositions.count)
            print(String(format: "whole-number accuracy, %d digits: %.1f%% (%d/%d numbers; %.2f%% of digits)",
                         digits, 100 * accuracy, right, compositions.count,
                         100 * Double(digitsRight) / Double(digits * compositions.count)))
            #expect(accuracy >= floors[digits]!, "\(digits) digits: \(accuracy)")
        }
    }
}
