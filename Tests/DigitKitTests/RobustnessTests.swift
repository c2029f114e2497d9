@testable import DigitCompute
@testable import DigitImage
@testable import DigitStore
@testable import DigitVision
import Foundation
import Testing

/// Pictures that touch their frame (tight crops) and the generated variants of real digits.
struct RobustnessTests {
    /// A `side` x `side` picture, dark ink (0) on white (255) wherever `isInk(x, y)`.
    func picture(side: Int, _ isInk: (Int, Int) -> Bool) -> GrayImage {
        GrayImage(width: side, height: side,
                  pixels: (0..<(side * side)).map { isInk($0 % side, $0 / side) ? 0 : 255 })
    }

    func enlarged(_ image: GrayImage, by factor: Int) -> GrayImage {
        GrayImage(width: image.width * factor, height: image.height * factor,
                  pixels: (0..<(image.width * factor * image.height * factor)).map {
                      image[($0 % (image.width * factor)) / factor, $0 / (image.width * factor) / factor]
                  })
    }

    /// The box (minX, minY, maxX, maxY) of the output's ink above `level`.
    func inkBox(_ image: GrayImage, above level: UInt8 = 64) -> (Int, Int, Int, Int)? {
        var box: (Int, Int, Int, Int)?
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] > level {
                box = box.map { (min($0.0, x), min($0.1, y), max($0.2, x), max($0.3, y)) } ?? (x, y, x, y)
            }
        }
        return box
    }

    /// The defect this guards against: a 16x16 scan of a plain 1, enlarged 8x so its stroke
    /// touches the top and bottom edges, came out as a horizontal bar (the stroke taken for a
    /// notebook's margin rule, or for the background, since it covers the border).
    @Test(arguments: [1, 2, 3])
    func aOneTouchingTopAndBottomStaysAVerticalStroke(strokeWidth: Int) throws {
        let scan = picture(side: 16) { x, _ in x >= 7 && x < 7 + strokeWidth }
        let output = try preprocessDigit(enlarged(scan, by: 8))
        let box = try #require(inkBox(output))
        #expect(box.3 - box.1 + 1 >= 19, "the stroke keeps its height")
        #expect(box.2 - box.0 + 1 <= 8, "the stroke stays narrow")
        #expect(output[14, 14] > 128, "ink at the centre")
    }

    /// A tight crop of a bold one fills most of its frame: the dark ink must still be the ink.
    @Test func aBoldOneFillingItsCropIsInk() throws {
        let scan = GrayImage(width: 6, height: 16, pixels: (0..<96).map { i in
            let (x, y) = (i % 6, i / 6)
            return (x >= 1 && x <= 4) || (y < 3 && x == 0) ? 0 : 255
        })
        let output = try preprocessDigit(enlarged(scan, by: 8))
        let box = try #require(inkBox(output))
        #expect(box.3 - box.1 + 1 >= 19)
        #expect(box.2 - box.0 + 1 <= 10, "a narrow stroke, not a white square")
    }

    /// A ring cut out tight to its ink (touching all four edges) stays a ring: its middle is not ink.
    @Test func aZeroCroppedToItsInkKeepsItsHole() throws {
        let scan = picture(side: 20) { x, y in
            let dx = (Double(x) - 9.5) / 10, dy = (Double(y) - 9.5) / 10
            let r = (dx * dx + dy * dy).squareRoot()
            return r > 0.72 && r <= 1.0
        }
        let output = try preprocessDigit(enlarged(scan, by: 6))
        #expect(output[14, 14] < 32, "the hole stays paper")
        let box = try #require(inkBox(output))
        #expect(box.2 - box.0 + 1 >= 19 && box.3 - box.1 + 1 >= 19)
    }

    /// A digit in a printed box cut out along the box: the outline runs along the whole frame
    /// and is not the digit, however much ink it holds.
    @Test func aBoxPrintedAroundTheDigitIsNotTheDigit() throws {
        let form = picture(side: 120) { x, y in
            let outline = x < 4 || y < 4 || x >= 116 || y >= 116
            let one = x >= 58 && x < 62 && y >= 30 && y < 90
            return outline || one
        }
        let output = try preprocessDigit(form)
        let box = try #require(inkBox(output))
        #expect(box.3 - box.1 + 1 >= 19)
        #expect(box.2 - box.0 + 1 <= 8, "the 1 alone, not the box around it")
    }

    /// The bottom bar of a 2 lying along the frame's edge is the digit, not a rule line.
    @Test func aStrokeAlongTheFrameEdgeIsNotARule() {
        let mask = DigitPreprocessor.Plane<UInt8>(width: 100, height: 100, values: (0..<10_000).map { i in
            let (x, y) = (i % 100, i / 100)
            return y >= 97 || (x == 60 && y > 20) ? 1 : 0
        })
        #expect(DigitPreprocessor.detectRuleLines(mask: mask).isEmpty)
    }

    // MARK: - The variants themselves

    /// A synthetic MNIST-like 28x28 digit: a ring of ink in a 20x20 box.
    var ringDigit: [UInt8] {
        (0..<784).map { i in
            let dx = Double(i % 28) - 13.5, dy = Double(i / 28) - 13.5
            let r = (dx * dx / 64 + dy * dy / 100).squareRoot()
            return r > 0.7 && r <= 1 ? 255 : 0
        }
    }

    @Test func tightAndCutCropsTouchEveryEdge() throws {
        var random = SeededRandom(seed: 3)
        for variant in [DigitVariant.tightNearest, .cutNearest, .cutBilinear] {
            let picture = variant.picture(of: ringDigit, side: 28, random: &random)
            let ink = GrayImage(width: picture.width, height: picture.height, pixels: picture.pixels.map { 255 - $0 })
            #expect(try #require(inkBox(ink)) == (0, 0, picture.width - 1, picture.height - 1), "\(variant)")
        }
    }

    /// A dash only a few pixels high can still be cut into (the cut keeps at least 3 rows).
    @Test func cutsOfFlatDigitsKeepSomeRows() {
        let dash = (0..<784).map { i -> UInt8 in (12...14).contains(i / 28) && (6...21).contains(i % 28) ? 255 : 0 }
        var random = SeededRandom(seed: 1)
        for _ in 0..<8 {
            let picture = DigitVariant.cutNearest.picture(of: dash, side: 28, random: &random)
            #expect(picture.height >= 3 && picture.width >= 3)
        }
    }

    @Test func lowResolutionKindsHaveTheirSizesAndLevels() {
        var random = SeededRandom(seed: 5)
        let form32 = DigitVariant.form32Binary.picture(of: ringDigit, side: 28, random: &random)
        #expect(form32.width == 32 && form32.height == 32)
        #expect(Set(form32.pixels).isSubset(of: [0, 255]))
        let stretched = DigitVariant.stretched16Binary.picture(of: ringDigit, side: 28, random: &random)
        #expect(stretched.width % 16 == 0 && stretched.width == stretched.height)
        // Stretched to fill its box on both axes: ink in the first and last columns.
        let factor = stretched.width / 16
        #expect((0..<stretched.height).contains { stretched[0, $0] == 0 })
        #expect((0..<stretched.height).contains { stretched[stretched.width - factor, $0] == 0 })
        let form8 = DigitVariant.form8Levels.picture(of: ringDigit, side: 28, random: &random)
        #expect(form8.width % 8 == 0)
        #expect(Set(form8.pixels).count <= 17)
    }

    @Test func boldStrokesHoldMoreInkThanHairlines() {
        var random = SeededRandom(seed: 7)
        let ink = { (image: GrayImage) in image.pixels.filter { $0 < 128 }.count }
        let bold = DigitVariant.bold.picture(of: ringDigit, side: 28, random: &random)
        let hair = DigitVariant.hairline.picture(of: ringDigit, side: 28, random: &random)
        #expect(bold.width == 112 && hair.width == 112)
        #expect(ink(bold) > 2 * ink(hair))
    }

    @Test func randomPicturesFollowTheirSeed() {
        for seed in 0..<20 as Range<UInt64> {
            var a = SeededRandom(seed: seed), b = SeededRandom(seed: seed)
            let first = DigitVariant.randomPicture(of: ringDigit, label: 0, side: 28, random: &a)
            let second = DigitVariant.randomPicture(of: ringDigit, label: 0, side: 28, random: &b)
            #expect(first.picture == second.picture && first.lightInk == second.lightInk)
            #expect(first.picture.width > 0 && first.picture.height > 0)
        }
    }
}

/// The bundled model on every kind of variant of the first 500 MNIST test digits (never the
/// training digits), through the same preprocessing as `digit classify`. The floors sit a
/// little under what `scripts/robustness --count 500` measured for the bundled model, so a
/// change that loses real-handwriting accuracy fails here.
@Suite(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
struct VariantAccuracyTests {
    static let test = try? MNIST.load(split: .test, from: CoreSupport.mnistDirectory)
    static let indices = Array(0..<500)

    /// Each kind's floor, in percent.
    static let floors: [DigitVariant: Double] = [
        .tightNearest: 98.6, .tightBilinear: 98, .cutNearest: 93.6, .cutBilinear: 93.2, .tightLightOnDark: 96.4,
        .scan16Grey: 98.6, .scan16Levels: 99, .scan16Binary: 98, .stretched16Binary: 96.8, .stretchedGrey: 95.8,
        .form32Binary: 97.8, .form8Levels: 95.6, .bold: 97.2, .hairline: 97.4, .slantRight: 98.8, .slantLeft: 98.8,
        .flaggedOne: 97, .crossedSeven: 97,
    ]

    @Test(arguments: DigitVariant.allCases)
    func theBundledModelReadsEachKind(_ variant: DigitVariant) throws {
        let test = try #require(Self.test)
        let floor = try #require(Self.floors[variant], "no floor for \(variant)")
        let result = VariantAccuracy.measure(variant, dataset: test, indices: Self.indices,
                                             classifier: try BundledModel.load().classifier)
        #expect(result.total > 30)
        #expect(100 * result.accuracy >= floor, "\(variant.rawValue): \(result.correct)/\(result.total)")
    }

    /// Tight crops lose nothing of the digit: they must read almost as well as the originals.
    @Test func tightCropsReadNearlyAsWellAsTheOriginals() throws {
        let test = try #require(Self.test)
        let classifier = try BundledModel.load().classifier
        let originals = classifier.predictions(normalisedPixels(Array(test.images[0..<(500 * 784)])), count: 500)
        let original = Double(zip(originals, test.labels).filter { $0 == Int($1) }.count) / 500
        for variant in [DigitVariant.tightNearest, .tightBilinear] {
            let result = VariantAccuracy.measure(variant, dataset: test, indices: Self.indices, classifier: classifier)
            #expect(result.accuracy >= original - 0.012, "\(variant.rawValue): \(result.accuracy) against \(original)")
        }
    }
}
