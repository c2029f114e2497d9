@testable import DigitCompute
@testable import DigitImage
@testable import DigitStore
@testable import DigitVision
import Foundation
import Testing

/// Pictures of whole numbers made for the segmentation tests: MNIST test digits (or drawn
/// shapes) placed on a larger white canvas as dark ink, with the true box of every digit.
enum NumberPictures {
    /// The MNIST test set, or why it did not load: tests that need it call `get()` and fail
    /// with that error, never pass over an empty list.
    static let testSet: Result<Dataset, any Error> = Result { try MNIST.load(split: .test, from: CoreSupport.mnistDirectory) }

    /// A composed picture: dark ink on white, and per line the true labels and boxes.
    struct Composition {
        var picture: GrayImage
        var labels: [[Int]]
        var boxes: [[PixelRect]]

        var text: String { labels.map { $0.map(String.init).joined() }.joined(separator: "\n") }
    }

    /// How digits are laid out, in units of the nominal digit height (`height` px).
    struct Layout {
        var height = 48
        /// Each digit's height is `height` times a factor drawn from this range.
        var sizes: ClosedRange<Double> = 0.85...1.2
        /// Horizontal gap between neighbouring ink boxes; negative values overlap them.
        var gaps: ClosedRange<Double> = 0.1...0.5
        /// Vertical shift of each digit's bottom from the line's baseline.
        var baselineShifts: ClosedRange<Double> = -0.1...0.1
    }

    /// `lines` of MNIST test images (indices into `set`), laid out by `layout` with `random`, each
    /// line's baseline 1.6 heights below the previous one, on white with a margin of one height.
    static func compose(_ lines: [[Int]], from set: Dataset, layout: Layout, random: inout SeededRandom) -> Composition {
        let margin = layout.height
        var ink: [(image: GrayImage, x: Int, y: Int)] = []
        var boxes: [[PixelRect]] = []
        var right = 0
        for (row, line) in lines.enumerated() {
            let baseline = margin + layout.height + row * layout.height * 8 / 5
            var x = margin
            var lineBoxes: [PixelRect] = []
            for (i, index) in line.enumerated() {
                let digit = inkCrop(scaled(set.image(index), height: Int(Double(layout.height) * draw(layout.sizes, &random))))
                if i > 0 { x += Int((Double(layout.height) * draw(layout.gaps, &random)).rounded()) }
                let bottom = baseline + Int((Double(layout.height) * draw(layout.baselineShifts, &random)).rounded())
                ink.append((digit, x, bottom - digit.height))
                lineBoxes.append(PixelRect(x: x, y: bottom - digit.height, width: digit.width, height: digit.height))
                x += digit.width
            }
            right = max(right, x)
            boxes.append(lineBoxes)
        }
        let bottom = boxes.flatMap { $0 }.map { $0.y + $0.height }.max() ?? 0
        var canvas = GrayImage(width: right + margin, height: bottom + margin, filledWith: 255)
        for (image, x, y) in ink {
            for dy in 0..<image.height {
                for dx in 0..<image.width {
                    canvas[x + dx, y + dy] = min(canvas[x + dx, y + dy], 255 - image[dx, dy])
                }
            }
        }
        return Composition(picture: canvas, labels: lines.map { $0.map { Int(set.labels[$0]) } }, boxes: boxes)
    }

    static func draw(_ range: ClosedRange<Double>, _ random: inout SeededRandom) -> Double {
        range.lowerBound + Double(random.uniform()) * (range.upperBound - range.lowerBound)
    }

    /// `image` (white ink on black) bilinearly resized by `height / 20` (MNIST's ink box is 20 px tall).
    static func scaled(_ image: GrayImage, height: Int) -> GrayImage {
        let factor = Double(height) / 20
        let width = Int((Double(image.width) * factor).rounded())
        let tall = Int((Double(image.height) * factor).rounded())
        var out = GrayImage(width: width, height: tall, filledWith: 0)
        for y in 0..<tall {
            for x in 0..<width {
                let sx = min(max((Double(x) + 0.5) / factor - 0.5, 0), Double(image.width - 1))
                let sy = min(max((Double(y) + 0.5) / factor - 0.5, 0), Double(image.height - 1))
                let x0 = Int(sx), y0 = Int(sy)
                let x1 = min(x0 + 1, image.width - 1), y1 = min(y0 + 1, image.height - 1)
                let fx = sx - Double(x0), fy = sy - Double(y0)
                let top = Double(image[x0, y0]) * (1 - fx) + Double(image[x1, y0]) * fx
                let low = Double(image[x0, y1]) * (1 - fx) + Double(image[x1, y1]) * fx
                out[x, y] = UInt8((top * (1 - fy) + low * fy).rounded())
            }
        }
        return out
    }

    /// The part of `image` (white ink on black) inside the box of its pixels above 40.
    static func inkCrop(_ image: GrayImage) -> GrayImage {
        var minX = image.width, minY = image.height, maxX = -1, maxY = -1
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] > 40 {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        var out = GrayImage(width: maxX - minX + 1, height: maxY - minY + 1, filledWith: 0)
        for y in minY...maxY {
            for x in minX...maxX { out[x - minX, y - minY] = image[x, y] }
        }
        return out
    }

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

    /// The boxes the segmenter finds, lines of them; a cut-out offered whole or split counts as split.
    func boxes(_ picture: GrayImage) throws -> [[PixelRect]] {
        try segmenter.cutOuts(of: picture).map { $0.flatMap { $0.parts.isEmpty ? [$0.box] : $0.parts.map(\.box) } }
    }

    /// The boxes of the digits the bundled model reads in `picture`, in reading order.
    func readBoxes(_ picture: GrayImage, _ reader: NumberReader) throws -> [PixelRect] {
        try reader.read(picture).digits.map(\.box)
    }

    // MARK: - Drawn shapes

    @Test func aBlankPictureHasNoDigits() {
        #expect(throws: SegmentationError.noDigits) { try segmenter.cutOuts(of: GrayImage(width: 200, height: 80, filledWith: 255)) }
        #expect(throws: SegmentationError.noDigits) { try segmenter.cutOuts(of: GrayImage(width: 0, height: 0, pixels: [])) }
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

    @Test func twoTouchingDigitsAreSplitWhereTheyTouch() throws {
        // Two rings joined by a short bridge at columns 66...69.
        let picture = NumberPictures.shapes(width: 160, height: 100, NumberPictures.ring(30, 20, 36, 56, 6)
            + NumberPictures.ring(70, 22, 36, 56, 6) + [(66, 45, 4, 6)])
        let found = try boxes(picture)
        try #require(found.count == 1 && found[0].count == 2, "found \(found)")
        let cut = found[0][0].x + found[0][0].width
        #expect((66...70).contains(cut), "cut at column \(cut)")
        #expect(found[0][0].x == 30 && found[0][1].x + found[0][1].width == 106)
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
        let cutOuts = try segmenter.cutOuts(of: chalk).flatMap { $0 }
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
        let set = try NumberPictures.testSet.get()
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let indices = (0..<digits).map { _ in random.integer(below: set.count) }
            return NumberPictures.compose([indices], from: set, layout: layout, random: &random)
        }
    }

    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func wellSeparatedDigitsOfVaryingHeightsAndBaselinesAreEachBoxed() throws {
        let reader = NumberReader(classifier: try BundledModel.load().classifier)
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
        let reader = NumberReader(classifier: try BundledModel.load().classifier)
        let matched = try compositions.filter { composition in
            NumberPictures.boxesMatch(found: try readBoxes(composition.picture, reader), truth: composition.boxes[0])
        }.count
        print("segmentation: \(matched)/\(compositions.count) pictures of 4 close or touching digits boxed right")
        #expect(matched >= 80)
    }

    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func twoLinesAreReadTopToBottom() throws {
        let set = try NumberPictures.testSet.get()
        let reader = NumberReader(classifier: try BundledModel.load().classifier)
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
        let reader = NumberReader(classifier: try BundledModel.load().classifier)
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
