import DigitCompute
import DigitImage

/// How well a classifier reads one kind of picture (a `DigitVariant` made from a set of MNIST
/// digits, or a `StrokeForm`), through the same preprocessing as `digit classify`.
package struct VariantAccuracy: Sendable {
    /// The kind's name: the variant's or the form's raw value.
    package let kind: String
    package let correct: Int
    package let total: Int

    /// Share read right, 0...1 (0 for no pictures).
    package var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Reads the `variant` picture of each of `indices` in `dataset` (those whose label the
    /// kind applies to) with `classifier`. Picture `i` draws its random choices from
    /// `SeededRandom(seed: seed &+ i)`, so a seed gives the same pictures every time.
    package static func measure(_ variant: DigitVariant, dataset: Dataset, indices: [Int], classifier: Classifier,
                               preprocessor: DigitPreprocessor = DigitPreprocessor(), seed: UInt64 = 1) -> VariantAccuracy {
        let chosen = indices.filter { variant.onlyDigit == nil || Int(dataset.labels[$0]) == variant.onlyDigit }
        let inputs = networkInputs(variant, dataset: dataset, indices: chosen, preprocessor: preprocessor, seed: seed)
        let correct = correctReadings(inputs, labels: chosen.map { Int(dataset.labels[$0]) }, classifier: classifier)
        return VariantAccuracy(kind: variant.rawValue, correct: correct, total: chosen.count)
    }

    /// The candidate 28x28 network inputs (`DigitPreprocessor.networkInputs`) for the `variant`
    /// pictures of `indices`, preprocessed on the scheduler's threads; none for a picture that comes out
    /// blank (which `measure` counts as misread).
    package static func networkInputs(_ variant: DigitVariant, dataset: Dataset, indices: [Int],
                                     preprocessor: DigitPreprocessor, seed: UInt64) -> [[GrayImage]] {
        networkInputs(count: indices.count, preprocessor: preprocessor) { slot in
            let index = indices[slot]
            var random = SeededRandom(seed: seed &+ UInt64(index))
            let start = index * dataset.pixelsPerImage
            let digit = Array(dataset.images[start..<(start + dataset.pixelsPerImage)])
            return variant.picture(of: digit, side: dataset.rows, random: &random)
        }
    }

    /// The candidate network inputs of `picture(i)` for each `i` in `0..<count`, made and
    /// preprocessed on the scheduler's threads; none for a picture that comes out blank.
    package static func networkInputs(count: Int, preprocessor: DigitPreprocessor,
                                     picture: (Int) -> GrayImage) -> [[GrayImage]] {
        var results = [[GrayImage]](repeating: [], count: count)
        results.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            Scheduler.forEachItem(count) { slot in
                if let inputs = try? preprocessor.networkInputs(for: picture(slot)) { base[slot] = inputs.map(\.image) }
            }
        }
        return results
    }

    /// How many of the pictures whose candidate inputs are `inputs` `classifier` reads as their
    /// `labels` (the more confident candidate of each; a picture without any is misread).
    static func correctReadings(_ inputs: [[GrayImage]], labels: [Int], classifier: Classifier) -> Int {
        let read = zip(labels, inputs).filter { !$0.1.isEmpty }
        let predictions = classifier.mostConfident(read.map(\.1)).map { $0.probabilities.indexOfLargest! }
        return zip(read, predictions).filter { $0.0.0 == $0.1 }.count
    }
}
