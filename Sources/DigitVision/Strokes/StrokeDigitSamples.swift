import DigitCompute
import DigitImage

/// The stroke digits `Trainer` learns from (`TrainingOptions.strokeDigits`): picture `i` is
/// digit `i % 10` in a random form (`StrokeDigits.randomPicture`), from the run's training
/// seeds (`StrokeSeeds.training`), as `DigitPreprocessor` reads it.
package struct StrokeDigitSamples: StrokeDigitSource {
    package init() {}

    /// Drawn on the scheduler's threads, each picture from its own seed, so the same seed gives
    /// the same images.
    package func digits(count: Int, seed: UInt64) -> (images: [UInt8], labels: [UInt8]) {
        let labels = (0..<count).map { UInt8($0 % Architecture.digitClasses) }
        let inputs = VariantAccuracy.networkInputs(count: count, preprocessor: DigitPreprocessor()) { index in
            var random = SeededRandom(seed: StrokeSeeds.training(runSeed: seed).seed(index: index))
            return StrokeDigits.randomPicture(digit: Int(labels[index]), random: &random)
        }
        // A stroke digit always has ink, so it always has a reading; the dark-ink one comes first.
        let blank = [UInt8](repeating: 0, count: Architecture.inputSize)
        return (inputs.flatMap { $0.first?.pixels ?? blank }, labels)
    }
}

extension VariantAccuracy {
    /// How well `classifier` reads `count` pictures of `form`, picture `i` drawn from
    /// `seeds.seed(index: i)` (`.validation` or `.test` seeds: never a training picture).
    package static func measure(_ form: StrokeForm, count: Int, seeds: StrokeSeeds, classifier: Classifier,
                               preprocessor: DigitPreprocessor = DigitPreprocessor()) -> VariantAccuracy {
        let inputs = networkInputs(count: count, preprocessor: preprocessor) { index in
            var random = SeededRandom(seed: seeds.seed(index: index))
            return StrokeDigits.picture(of: form, random: &random)
        }
        return VariantAccuracy(kind: form.rawValue, correct: correctReadings(inputs, labels: Array(repeating: form.digit, count: count),
                                                                            classifier: classifier), total: count)
    }
}
