import DigitCompute
import DigitFiles
import DigitStore

/// Adapts a model to a person's own labelled pictures (`digit tune`): the pictures are read
/// as `classify` reads them, and the 28x28s the network saw train it further, from its
/// trained weights, with MNIST digits mixed in so it does not forget them.
///
/// ```swift
/// let reader = try DigitReader()
/// let pictures = try LabelledPictures(folder: "my-digits", reader: reader)
/// var options = TuningOptions()
/// options.mnistDirectory = "/data/mnist"
/// let tuned = try DigitTuner(reader: reader, options: options).tune(pictures)
/// try tuned.write(to: "mine.digitmodel")          // DigitReader(modelAt:) reads it
/// ```
public struct DigitTuner: Sendable {
    /// The model tuned from; it read the pictures.
    public let reader: DigitReader
    public let options: TuningOptions

    public init(reader: DigitReader, options: TuningOptions = TuningOptions()) {
        self.reader = reader
        self.options = options
    }

    /// Tunes on `pictures` (read with `reader`), calling `progress(step, steps)` after each
    /// step. Throws `TuningOptionError` for an invalid option; `FileError` for a picture that
    /// could not be read, for pictures (or, held out by subfolder, those left to tune on) of
    /// one digit only, and for MNIST files that are missing or damaged; and the model's
    /// `FileError`. Nothing is written: see `TunedModel.write(to:)`.
    public func tune(_ pictures: LabelledPictures, progress: (Int, Int) -> Void = { _, _ in }) throws -> TunedModel {
        try options.validate()
        if let failure = pictures.entries.lazy.compactMap(\.failure).first { throw failure }
        let read = pictures.read
        try Self.requireTwoDigits(read.map(\.label), folder: pictures.folder, what: "its \(read.count) pictures")
        let held = Set(HeldOutSplit.heldOut(read.map { ($0.entry.subfolder, $0.label) },
                                            fraction: options.validationFraction, seed: options.seed))
        let training = read.indices.filter { !held.contains($0) }.map { read[$0] }
        let heldOut = read.indices.filter { held.contains($0) }.map { read[$0] }
        try Self.requireTwoDigits(training.map(\.label), folder: pictures.folder,
                                  what: "the \(training.count) pictures outside the held-out subfolders")
        let base = try reader.loadedModel()
        let mnist = try options.mnistDirectory.map { (train: try MNIST.load(split: .train, from: $0),
                                                      test: try MNIST.load(split: .test, from: $0)) }

        // The data: the pictures tuned on, those held out, then MNIST's training digits.
        let pictureData = (training + heldOut).map { ($0.prediction.input.pixels, UInt8($0.label)) }
        let data = Dataset(images: pictureData.flatMap(\.0) + (mnist?.train.images ?? []),
                           labels: pictureData.map(\.1) + (mnist?.train.labels ?? []),
                           rows: Architecture.inputShape.height, columns: Architecture.inputShape.width)
        var tuning = FineTuning(base: base.network, training: Array(training.indices),
                                validation: Array(training.count..<pictureData.count))
        tuning.frozenLayers = options.frozenLayers
        if mnist != nil {
            tuning.rehearsal = Array(pictureData.count..<data.count)
            tuning.rehearsalPerEpoch = Int((Float(training.count) * options.mnistShare / (1 - options.mnistShare)).rounded())
        }
        let trainer = try Trainer(options: trainingOptions(base.info.training), data: data, tuning: tuning)
        while !trainer.isFinished {
            _ = trainer.trainEpoch(progress: { _, _ in progress(trainer.stepsTaken, trainer.totalSteps) })
        }
        // The base model's temperature is kept: fitted on a few held-out pictures read nearly
        // all right, a temperature would make every answer overconfident.
        _ = trainer.finish()
        let tunedNetwork = trainer.network
        var info = base.info
        let tunedTest = mnist.map { Evaluation(classifier: Classifier(network: tunedNetwork, temperature: info.temperature), data: $0.test) }
        let baseTest = mnist.map { Evaluation(classifier: base.classifier, data: $0.test) }
        info.testAccuracy = tunedTest?.accuracy
        let tuned = Model(network: tunedNetwork, info: info)
        let heldOutComparison = try compare(heldOut, tuned: tuned)
        info.tuning = TuningRecord(
            baseModel: reader.model.displayName, folder: pictures.folder, trainingPictures: training.count,
            heldOutPictures: heldOut.count, mnistPerEpoch: tuning.rehearsalPerEpoch, frozenLayers: options.frozenLayers,
            options: trainer.options, history: trainer.history, chosenEpoch: trainer.chosenEpoch,
            heldOutAccuracyBefore: heldOutComparison?.before.accuracy, heldOutAccuracyAfter: heldOutComparison?.after.accuracy,
            testAccuracyBefore: baseTest?.accuracy)
        let report = TuningReport(
            trainingPictures: training.count, heldOutPictures: heldOut.count, mnistPerEpoch: tuning.rehearsalPerEpoch,
            steps: trainer.stepsTaken, epochs: trainer.history.count, chosenEpoch: trainer.chosenEpoch,
            heldOut: heldOutComparison,
            mnistTest: mnist == nil ? nil : TuningReport.Comparison(
                before: EvaluationReport(baseTest!, folders: nil, unreadable: nil),
                after: EvaluationReport(tunedTest!, folders: nil, unreadable: nil)))
        return TunedModel(model: Model(network: tunedNetwork, info: info), report: report)
    }

    /// The tuning run's `Trainer` options: the base model's network, Adam from `learningRate`
    /// with cosine decay, batches of 64, the length asked for, `augmentation`, keeping the
    /// best epoch on the held-out pictures.
    private func trainingOptions(_ base: TrainingOptions) -> TrainingOptions {
        var t = TrainingOptions()
        t.architecture = base.architecture
        t.activation = base.activation
        t.optimizer = .adam
        t.learningRate = options.learningRate
        t.schedule = .cosine
        t.batchSize = 64
        t.epochs = options.epochs
        t.steps = options.steps
        t.seed = options.seed
        t.augmentation = options.augment ? Self.augmentation : Augmentation()
        t.keepBest = true
        return t
    }

    /// `digit train --augment`'s distortions without its shear and elastic ones (see `TuningOptions.augment`).
    static let augmentation: Augmentation = {
        var a = Augmentation.standard
        a.shear = 0
        a.elasticAlpha = 0
        return a
    }()

    /// The held-out pictures as the base model read them and as `tuned` reads them, each
    /// picture decoded and preprocessed again so the tuned model chooses among its candidate
    /// readings as `classify` would; nil for none.
    private func compare(_ heldOut: [(entry: LabelledPictures.Entry, label: Int, prediction: DigitPrediction)],
                         tuned: Model) throws -> TuningReport.Comparison? {
        guard !heldOut.isEmpty else { return nil }
        let temperature = tuned.info.temperature
        let labels = heldOut.map(\.label)
        let before = Evaluation(probabilities: heldOut.flatMap(\.prediction.probabilities), labels: labels,
                                classes: 10, temperature: temperature)
        let readings = try DigitReader(model: reader.model, loaded: tuned).classify(heldOut.map(\.entry.reading.file))
        let predictions = try readings.map { try $0.outcome.get() }
        let after = Evaluation(probabilities: predictions.flatMap(\.probabilities), labels: labels,
                               classes: 10, temperature: temperature)
        return TuningReport.Comparison(before: EvaluationReport(before, folders: nil, unreadable: nil),
                                       after: EvaluationReport(after, folders: nil, unreadable: nil))
    }

    /// Throws `FileError` naming `folder` when `labels` hold fewer than two digits.
    private static func requireTwoDigits(_ labels: [Int], folder: String, what: String) throws {
        let digits = Set(labels)
        guard digits.count < 2 else { return }
        throw FileError(path: folder, reason: "\(what) are all labelled \(digits.first.map(String.init) ?? "alike"); "
                        + "tuning needs pictures of at least two digits")
    }
}

/// A model tuned by `DigitTuner`, not yet written, with its report.
public struct TunedModel: @unchecked Sendable {
    let model: Model
    public let report: TuningReport

    /// Writes the model file atomically (a crash never leaves half a file); `digit classify
    /// --model`, `DigitReader(modelAt:)` and the other commands read it like a trained one, and
    /// `digit info` tells it was tuned. Throws `FileError` naming `path`.
    public func write(to path: String) throws {
        try ModelFile.save(model, to: path)
    }
}
