@testable import DigitCompute
@testable import DigitImage
@testable import DigitStore
@testable import DigitVision
import Testing

/// The parts of recognition-based reading that tell whole digits from pieces: seams that follow
/// the gap between strokes, the labels the whole-digit scorer learns, and the bundled scorer.
@Suite struct WholeDigitTests {
    @Test func aSeamFollowsASlantedGapThatNoColumnCrosses() {
        // Two strokes 3 px thick leaning right, 2 px apart: every column from 6 to 13 holds ink
        // of one of them, so a straight cut goes through a stroke, while the gap between them
        // runs down the diagonal.
        let width = 20, height = 12
        var ink = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<3 {
                ink[y * width + 2 + (height - 1 - y) / 2 + x] = true
                ink[y * width + 7 + (height - 1 - y) / 2 + x] = true
            }
        }
        for column in 6...9 {
            #expect((0..<height).contains { ink[$0 * width + column - 1] && ink[$0 * width + column] },
                    "column \(column) crosses a stroke")
        }
        let (path, crossed) = DigitSegmenter.seam(ink: ink, width: width, columns: 3...15, start: 9)
        #expect(crossed == 0, "path \(path)")
        #expect(path.count == height)
        #expect(zip(path, path.dropFirst()).allSatisfy { abs($0 - $1) <= 1 }, "one column a row at most: \(path)")
        // Every row: the left stroke's pixels left of the seam, the right stroke's right of it.
        for y in 0..<height {
            #expect(path[y] > 4 + (height - 1 - y) / 2 && path[y] <= 7 + (height - 1 - y) / 2, "row \(y): \(path[y])")
        }
    }

    @Test func aSeamThroughSolidInkCountsWhatItCuts() {
        // A solid block 4 rows tall: whichever way it goes, a seam inside cuts all 4 rows.
        let ink = [Bool](repeating: true, count: 10 * 4)
        let (path, crossed) = DigitSegmenter.seam(ink: ink, width: 10, columns: 2...7, start: 5)
        #expect(crossed == 4)
        #expect(path == [5, 5, 5, 5], "straight at its start when nothing is cheaper")
    }

    @Test func candidatesAreLabelledByTheirOverlapWithTheTrueDigits() {
        let truth = [PixelRect(x: 0, y: 0, width: 20, height: 40), PixelRect(x: 20, y: 0, width: 20, height: 40)]
        #expect(WholeDigitExamples.label(of: PixelRect(x: 1, y: 0, width: 19, height: 40), truth: truth) == WholeDigitExamples.whole)
        // Both digits as one, and half of one: pieces.
        #expect(WholeDigitExamples.label(of: PixelRect(x: 0, y: 0, width: 40, height: 40), truth: truth) == WholeDigitExamples.piece)
        #expect(WholeDigitExamples.label(of: PixelRect(x: 0, y: 0, width: 10, height: 40), truth: truth) == WholeDigitExamples.piece)
        // A digit with a third of its neighbour (intersection over union 0.74): neither, left out.
        #expect(WholeDigitExamples.label(of: PixelRect(x: 0, y: 0, width: 27, height: 40), truth: truth) == nil)
    }

    @Test func aNetworkOfTwoClassesTrainsOnItsLabelsAndRefusesOthers() throws {
        var options = TrainingOptions()
        options.architecture = "mlp:4"
        options.classes = 2
        options.steps = 2
        let pixels = [UInt8](repeating: 0, count: 4 * Architecture.inputSize)
        let trainer = try Trainer(options: options, data: Dataset(images: pixels, labels: [0, 1, 1, 0], rows: 28, columns: 28))
        #expect(trainer.network.classes == 2)
        #expect(throws: TrainingError.labelOutOfRange(label: 2, classes: 2)) {
            try Trainer(options: options, data: Dataset(images: pixels, labels: [0, 1, 2, 0], rows: 28, columns: 28))
        }
    }

    /// On clean numbers of MNIST *test* digits (the scorer learnt from training digits), the
    /// bundled scorer tells the reader's candidates that are whole digits from those that are not.
    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func theBundledScorerTellsWholeDigitsFromPieces() throws {
        let numbers = WholeDigitExamples.numbers(60, from: try NumberPictures.testSet.get(), alteredShare: 0, seed: 21)
        let examples = WholeDigitExamples.dataset(numbers)
        let wholes = examples.labels.filter { $0 == WholeDigitExamples.whole }.count
        try #require(wholes >= 200 && examples.count - wholes >= 200, "\(wholes) whole of \(examples.count)")
        let scorer = try BundledModel.wholeDigitScorer()
        #expect(scorer.network.classes == 2)
        let predictions = scorer.predictions(normalisedPixels(examples.images), count: examples.count)
        let right = zip(predictions, examples.labels).filter { $0 == Int($1) }.count
        print("whole-digit scorer: \(right) of \(examples.count) candidates of test-digit numbers told right")
        #expect(Double(right) >= 0.92 * Double(examples.count))
    }

    /// With half the numbers in other picture kinds (as the bundled scorer learnt; 94.8% measured),
    /// the scorer tells them as well as clean ones.
    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func theBundledScorerTellsMostCandidatesOfOtherKinds() throws {
        let examples = WholeDigitExamples.dataset(WholeDigitExamples.numbers(60, from: try NumberPictures.testSet.get(), seed: 21))
        let predictions = try BundledModel.wholeDigitScorer().predictions(normalisedPixels(examples.images), count: examples.count)
        let right = zip(predictions, examples.labels).filter { $0 == Int($1) }.count
        print("whole-digit scorer: \(right) of \(examples.count) candidates of numbers of mixed kinds told right")
        #expect(Double(right) >= 0.92 * Double(examples.count))
    }

    /// Crowded numbers (about a fifth of neighbours touching) read better with the scorer than
    /// on the shape costs alone.
    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func theScorerHelpsReadCrowdedNumbers() throws {
        let numbers = NumberPictures.numbers(100, digits: 5, from: try NumberPictures.testSet.get(), layout: .crowded, seed: 22)
        let classifier = try BundledModel.load().classifier
        func right(_ reader: NumberReader) -> Int {
            numbers.filter { (try? reader.read($0.picture).text()) == $0.text }.count
        }
        let judged = right(NumberReader(classifier: classifier, wholeDigitScorer: try BundledModel.wholeDigitScorer()))
        let unjudged = right(NumberReader(classifier: classifier, wholeDigitScorer: nil))
        print("crowded 5-digit numbers: \(judged) of 100 right with the whole-digit scorer, \(unjudged) without")
        #expect(judged >= 65 && judged > unjudged)
    }
}
