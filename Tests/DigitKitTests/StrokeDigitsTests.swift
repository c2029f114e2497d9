@testable import DigitCompute
@testable import DigitImage
@testable import DigitStore
@testable import DigitVision
import Foundation
import Testing

/// The digits drawn from pen strokes (`StrokeDigits`), their seeds, and training with them.
struct StrokeDigitsTests {
    static func draw(_ form: StrokeForm, seed: UInt64) -> GrayImage {
        var random = SeededRandom(seed: seed)
        return StrokeDigits.picture(of: form, random: &random)
    }

    @Test("The same seed draws the same picture; another seed another one", arguments: StrokeForm.allCases)
    func drawsAreDeterministic(_ form: StrokeForm) {
        #expect(Self.draw(form, seed: 7) == Self.draw(form, seed: 7))
        #expect(Self.draw(form, seed: 7) != Self.draw(form, seed: 8))
    }

    /// Every draw is dark ink on white with some ink (captures may cut into it, never lose
    /// it), and reads as `digit classify` reads pictures: a 28x28 with ink.
    @Test("Every form draws ink that preprocesses to a digit", arguments: StrokeForm.allCases)
    func everyFormDrawsInkThatPreprocesses(_ form: StrokeForm) throws {
        let preprocessor = DigitPreprocessor()
        for seed in UInt64(0)..<12 {
            let picture = Self.draw(form, seed: seed)
            #expect(picture.width >= 4 && picture.height >= 4, "\(form.rawValue) \(seed)")
            #expect(picture.pixels.contains { $0 < 224 }, "\(form.rawValue) \(seed): no ink")
            let inputs = try preprocessor.networkInputs(for: picture)
            let input = try #require(inputs.first).image
            #expect(input.width == 28 && input.height == 28)
            #expect(input.pixels.contains { $0 > 128 }, "\(form.rawValue) \(seed)")
        }
    }

    @Test("A digit's random form is one of that digit's, and every form gets drawn")
    func randomFormsBelongToTheirDigit() {
        var random = SeededRandom(seed: 3)
        var seen = Set<StrokeForm>()
        for index in 0..<2000 {
            let form = StrokeForm.random(digit: index % 10, random: &random)
            #expect(form.digit == index % 10)
            seen.insert(form)
        }
        #expect(seen == Set(StrokeForm.allCases))
    }

    @Test("Training, validation and test seeds never meet")
    func seedSpacesAreDisjoint() {
        let form = StrokeForm.nineHooked
        let training = Set((0..<1000).flatMap { index in
            [UInt64(1), 2, 0xFFFF_FFFF_FFFF_FFFF].map { StrokeSeeds.training(runSeed: $0).seed(index: index) }
        })
        let validation = Set(StrokeForm.allCases.flatMap { form in (0..<1000).map { StrokeSeeds.validation(form: form).seed(index: $0) } })
        let test = Set(StrokeForm.allCases.flatMap { form in (0..<1000).map { StrokeSeeds.test(form: form).seed(index: $0) } })
        #expect(training.count == 3000 && validation.count == 1000 * StrokeForm.allCases.count)
        #expect(training.isDisjoint(with: validation) && training.isDisjoint(with: test) && validation.isDisjoint(with: test))
        #expect(StrokeSeeds.test(form: form).seed(index: 5) != StrokeSeeds.test(form: .nineCurved).seed(index: 5))
    }

    @Test("The training source's digits are balanced, preprocessed and reproducible")
    func trainingSourceIsBalancedAndReproducible() {
        let first = StrokeDigitSamples().digits(count: 30, seed: 4)
        #expect(first.labels == (0..<30).map { UInt8($0 % 10) })
        #expect(first.images.count == 30 * 784)
        for index in 0..<30 { #expect(first.images[(index * 784)..<((index + 1) * 784)].contains { $0 > 128 }) }
        let again = StrokeDigitSamples().digits(count: 30, seed: 4)
        #expect(first.images == again.images)
        #expect(StrokeDigitSamples().digits(count: 30, seed: 5).images != first.images)
    }

    // MARK: - Options and training

    @Test("strokeDigits round-trips, and options written before it existed decode to 0")
    func optionsRoundTrip() throws {
        var options = TrainingOptions()
        options.strokeDigits = 12_000
        let decoded = try JSONDecoder().decode(TrainingOptions.self, from: JSONEncoder().encode(options))
        #expect(decoded == options)
        let old = try JSONDecoder().decode(TrainingOptions.self, from: Data(#"{"architecture":"mlp:64","seed":3}"#.utf8))
        #expect(old.strokeDigits == 0 && old.architecture == "mlp:64")
        options.strokeDigits = -1
        #expect(throws: TrainingError.invalidOption(option: "strokeDigits", requirement: "must be in 0..<4294967296")) {
            try options.validate()
        }
    }

    @Test("Stroke digits need a source")
    func strokeDigitsNeedASource() {
        #expect(throws: TrainingError.noStrokeSource) {
            try Trainer(options: BarData.options { $0.strokeDigits = 20 }, data: BarData.standard)
        }
    }

    static let options = BarData.options {
        $0.strokeDigits = 40
        $0.validationFraction = 0.2
        $0.optimizer = .adam
        $0.learningRate = 0.01
        $0.epochs = 2
    }

    static func train(pictureVariants: Float = 0) throws -> Trainer {
        var options = options
        options.pictureVariants = pictureVariants
        let trainer = try Trainer(options: options, data: BarData.standard, pictureSource: PictureVariants(),
                                  strokeSource: StrokeDigitSamples())
        while !trainer.isFinished { _ = trainer.trainEpoch() }
        return trainer
    }

    @Test("Stroke digits join the training samples only, and a seed gives the same model bytes")
    func trainingWithStrokeDigitsIsReproducible() throws {
        let first = try Self.train()
        #expect(first.strokeDigitCount == 40 && first.trainingCount == 160 && first.validationCount == 40)
        #expect(first.samplesPerEpoch == 200)
        #expect(try BarData.encoded(first) == BarData.encoded(try Self.train()))
        let withVariants = try Self.train(pictureVariants: 0.5)
        #expect(try BarData.encoded(withVariants) == BarData.encoded(try Self.train(pictureVariants: 0.5)))
    }

    @Test("A run with stroke digits resumed from its checkpoint ends bit-identical to an uninterrupted one")
    func resumeWithStrokeDigits() throws {
        let whole = try Self.train()
        let interrupted = try Trainer(options: Self.options, data: BarData.standard, strokeSource: StrokeDigitSamples())
        var steps = 0
        #expect(interrupted.trainEpoch(shouldStop: { steps += 1; return steps > 4 }) == nil)
        let resumed = try Trainer(resuming: interrupted.checkpoint(), data: BarData.standard, strokeSource: StrokeDigitSamples())
        while !resumed.isFinished { _ = resumed.trainEpoch() }
        #expect(try BarData.encoded(resumed) == BarData.encoded(whole))
    }

    @Test("Tuning refuses stroke digits")
    func tuningRefusesStrokeDigits() throws {
        let base = try Self.train()
        let tuning = FineTuning(base: base.network, training: [0, 1, 2], validation: [])
        #expect(throws: TrainingError.invalidOption(option: "strokeDigits", requirement: "must be 0 when tuning")) {
            try Trainer(options: Self.options, data: BarData.standard, strokeSource: StrokeDigitSamples(), tuning: tuning)
        }
    }
}

/// The bundled model (trained on MNIST only) reads the plain forms: the drawings look like
/// digits. The floors sit well under what `scripts/robustness` measured, for 50 test draws each.
struct StrokeDigitReadingTests {
    static let floors: [StrokeForm: Double] = [.zero: 0.8, .onePlain: 0.8, .twoPlain: 0.8, .sevenPlain: 0.8]

    @Test(arguments: [StrokeForm.zero, .onePlain, .twoPlain, .sevenPlain])
    func theBundledModelReadsPlainForms(_ form: StrokeForm) throws {
        let result = VariantAccuracy.measure(form, count: 50, seeds: .test(form: form),
                                             classifier: try BundledModel.load().classifier)
        #expect(result.total == 50)
        #expect(result.accuracy >= Self.floors[form]!, "\(form.rawValue): \(result.correct)/\(result.total)")
    }
}
