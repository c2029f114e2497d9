import ArgumentParser
import DigitCompute
import DigitStore
import DigitVision
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a network on MNIST-format data and save it.",
        discussion: """
            Each step is split into one part per thread (--threads). The same seed, flags and \
            --threads give a bit-identical model file (a run resumed from its checkpoint too, \
            given the same --threads); different thread counts add the parts' gradients in a \
            different order, so their models may differ in the last bits.
            """)

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var threadOptions: ThreadOptions

    @Option(help: "Network: mlp:H1[,H2...], cnn-small, cnn, or conv:LAYERS (see the README).")
    var arch = "mlp:128"

    @Option(help: "Hidden activation: \(Activation.allCases.map(\.rawValue).joined(separator: "|")).")
    var activation: Activation = .relu

    @Option(help: "Update rule: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: "|")).")
    var optimizer: OptimizerKind = .adam

    @Option(name: .customLong("learning-rate"), help: "Base learning rate (default: 0.002 for adam, 0.1 for sgd and momentum).")
    var learningRate: Float?

    @Option(help: "Learning-rate schedule: \(LearningRateSchedule.allCases.map(\.rawValue).joined(separator: "|")).")
    var schedule: LearningRateSchedule = .cosine

    @Option(name: .customLong("batch-size"), help: "Samples per step, or 'full' for full-batch gradient descent.")
    var batchSize: BatchSize = .size(64)

    @Option(help: "Passes over the training set.")
    var epochs = 10

    @Option(help: "Stop after this many optimizer steps (overrides --epochs).")
    var steps: Int?

    @Option(help: "Fraction of the training set held out for validation (0 to <1).")
    var validation: Float = 0

    @Option(name: .customLong("weight-decay"), help: "L2 weight decay on weights.")
    var weightDecay: Float = 0

    @Option(help: "Random seed: the same seed, flags and --threads give the same model file.")
    var seed: UInt64 = 1

    @Flag(help: "Distort training digits on the fly (rotation 10°, zoom 10%, shear 10°, shift 2 px, elastic 14/4); the flags below adjust each part.")
    var augment = false

    @Option(help: ArgumentHelp("Largest random rotation, degrees.", valueName: "DEG"))
    var rotate: Float?

    @Option(help: ArgumentHelp("Largest random change of size, as a fraction (0.1 = ±10%).", valueName: "F"))
    var zoom: Float?

    @Option(help: ArgumentHelp("Largest random shear, degrees.", valueName: "DEG"))
    var shear: Float?

    @Option(help: ArgumentHelp("Largest random shift, pixels.", valueName: "PX"))
    var shift: Float?

    @Option(help: ArgumentHelp("Largest random shift in whole pixels, a random crop of the padded picture (no resampling).", valueName: "PX"))
    var crop: Int?

    @Option(name: .customLong("elastic-alpha"), help: ArgumentHelp("Elastic distortion strength, pixels (0: off).", valueName: "A"))
    var elasticAlpha: Float?

    @Option(name: .customLong("elastic-sigma"), help: ArgumentHelp("Elastic distortion smoothness, pixels.", valueName: "S"))
    var elasticSigma: Float?

    @Flag(help: "Mirror half of the training pictures left to right (for clothes, not digits).")
    var mirror = false

    @Option(help: ArgumentHelp("Chance that a training picture gets one rectangle of noise (random erasing; 0: off).", valueName: "P"))
    var erase: Float = 0

    @Option(name: .customLong("label-smoothing"), help: ArgumentHelp("Label smoothing: train towards 1-E on the label and E/10 on each class (0: off).", valueName: "E"))
    var labelSmoothing: Float = 0

    @Option(name: .customLong("picture-variants"), help: ArgumentHelp("Show this share of the training samples as a person's picture of the digit (tight or cut crop, low resolution, lost aspect, binarised, bold or hairline pen, European 1 and 7) read back through the preprocessing (0: off).", valueName: "P"))
    var pictureVariants: Float = 0

    @Option(name: .customLong("stroke-digits"), help: ArgumentHelp("Add this many generated digits drawn from pen strokes (the forms people write: flagged ones, hooked nines, open fours, crossed sevens...; labels balanced over 0-9) to the training samples, never to the validation split (0: none).", valueName: "N"))
    var strokeDigits = 0

    @Flag(name: .customLong("last-epoch"), help: "Keep the last epoch's weights instead of the best by validation accuracy.")
    var lastEpoch = false

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the model.", valueName: "FILE"))
    var output: String

    @Option(help: ArgumentHelp("Checkpoint written after every epoch and on Ctrl-C (default: OUTPUT.checkpoint; removed when training ends).", valueName: "FILE"))
    var checkpoint: String?

    @Option(help: ArgumentHelp("Carry on from a checkpoint, with the flags it was started with (training flags given here are ignored).", valueName: "CHECKPOINT"))
    var resume: String?

    @Flag(help: "Print one JSON object per epoch on stdout.")
    var json = false

    /// The options' own checks (`TrainingOptions.validate`, which `Trainer` runs too), worded
    /// by flag; an invalid `--arch` keeps the parser's own message.
    func validate() throws {
        _ = try Architecture(parsing: arch, activation: activation)
        do {
            try options.validate()
        } catch let TrainingError.invalidOption(option, requirement) {
            throw ValidationError("\(Self.flags[option] ?? option) \(requirement)")
        }
    }

    /// The flag that sets each `TrainingOptions` property (`TrainingError.invalidOption`'s names).
    private static let flags = [
        "architecture": "--arch", "learningRate": "--learning-rate", "batchSize": "--batch-size", "epochs": "--epochs",
        "steps": "--steps", "validationFraction": "--validation", "weightDecay": "--weight-decay",
        "labelSmoothing": "--label-smoothing", "pictureVariants": "--picture-variants", "strokeDigits": "--stroke-digits",
        "augmentation.rotation": "--rotate", "augmentation.scale": "--zoom", "augmentation.shear": "--shear",
        "augmentation.shift": "--shift", "augmentation.crop": "--crop", "augmentation.elasticAlpha": "--elastic-alpha",
        "augmentation.elasticSigma": "--elastic-sigma", "augmentation.erasing": "--erase",
    ]

    func run() throws {
        try threadOptions.apply()
        // One line per epoch should reach a pipe or log file as it happens.
        setvbuf(stdout, nil, _IOLBF, 0)
        let signals = StopSignals()
        let trainingData = try dataOptions.load(.train)
        let (pictures, strokes) = (PictureVariants(), StrokeDigitSamples())
        let trainer = try resume.map { try Trainer(resumingAt: $0, data: trainingData, pictureSource: pictures, strokeSource: strokes) }
            ?? Trainer(options: options, data: trainingData, pictureSource: pictures, strokeSource: strokes)
        let checkpointPath = checkpoint ?? output + ".checkpoint"
        if !json {
            let start = resume.map { " from \($0) at step \(trainer.stepsTaken)" } ?? ""
            print("training \(trainer.options.architecture) (\(trainer.network.parameterCount) parameters) on \(trainer.trainingCount) images"
                  + (trainer.strokeDigitCount > 0 ? " and \(trainer.strokeDigitCount) stroke digits" : "")
                  + (trainer.validationCount > 0 ? ", validating on \(trainer.validationCount)" : "")
                  + ", \(trainer.totalSteps) steps of \(trainer.batchSize)\(start)")
        }
        while !trainer.isFinished {
            let bar = ProgressBar(label: "epoch \(trainer.history.count + 1)/\(trainer.totalEpochs)")
            let epoch = trainer.trainEpoch(progress: bar.update, shouldStop: { signals.received != nil })
            bar.finish()
            try saveCheckpoint(trainer, to: checkpointPath)
            guard let (record, seconds) = epoch else {
                let signal = signals.received ?? SIGINT
                printError("interrupted at step \(trainer.stepsTaken) of \(trainer.totalSteps); saved \(checkpointPath)\n"
                           + "resume with: digit train --resume \(checkpointPath) --output \(output)")
                throw ExitCode(StopSignals.exitStatus(for: signal))
            }
            if json {
                print(jsonLine(EpochLine(record: record, seconds: seconds)))
            } else {
                var line = String(format: "epoch %d: %.2fs loss %.4f train %@", record.epoch, seconds,
                                  record.loss, percent(record.trainAccuracy))
                if let v = record.validationAccuracy { line += " validation \(percent(v))" }
                print(line)
            }
        }
        let temperature = trainer.finish()
        if !json, trainer.chosenEpoch != trainer.history.count {
            print("keeping epoch \(trainer.chosenEpoch), the best by validation accuracy")
        }
        let testAccuracy = try? testSetAccuracy(trainer.network)
        var info = ModelInfo(training: trainer.options, dataset: dataOptions.datasetName,
                             trainingSamples: trainer.trainingCount, validationSamples: trainer.validationCount,
                             history: trainer.history, testAccuracy: testAccuracy)
        info.chosenEpoch = trainer.chosenEpoch
        info.temperature = temperature
        try ModelFile.save(Model(network: trainer.network, info: info), to: output)
        unlink(checkpointPath)
        if !json {
            print("saved \(output)" + (testAccuracy.map { ", test accuracy \(percent($0))" } ?? ""))
        }
    }

    private func saveCheckpoint(_ trainer: Trainer, to path: String) throws {
        try trainer.checkpoint().save(to: path, dataset: dataOptions.datasetName,
                                      trainingSamples: trainer.trainingCount, validationSamples: trainer.validationCount)
    }

    /// The training flags as options.
    private var options: TrainingOptions {
        var options = TrainingOptions()
        options.architecture = arch
        options.activation = activation
        options.optimizer = optimizer
        // Adam's steps are scaled per weight, so it wants a far smaller rate than plain SGD.
        options.learningRate = learningRate ?? (optimizer == .adam ? 0.002 : 0.1)
        options.schedule = schedule
        options.batchSize = batchSize.value
        options.epochs = epochs
        options.steps = steps
        options.validationFraction = validation
        options.weightDecay = weightDecay
        options.seed = seed
        options.augmentation = augmentation
        options.keepBest = !lastEpoch
        options.labelSmoothing = labelSmoothing
        options.pictureVariants = pictureVariants
        options.strokeDigits = strokeDigits
        return options
    }

    /// `--augment` and the individual distortion flags combined.
    private var augmentation: Augmentation {
        var a = augment ? Augmentation.standard : Augmentation()
        if let rotate { a.rotation = rotate }
        if let zoom { a.scale = zoom }
        if let shear { a.shear = shear }
        if let shift { a.shift = shift }
        if let crop { a.crop = crop }
        if let elasticAlpha { a.elasticAlpha = elasticAlpha }
        if let elasticSigma { a.elasticSigma = elasticSigma }
        a.mirror = mirror
        a.erasing = erase
        return a
    }

    private func testSetAccuracy(_ network: Network) throws -> Float {
        let test = try dataOptions.load(.test)
        return Evaluation(classifier: Classifier(network: network), data: test).accuracy
    }
}

/// `--batch-size`: a number or `full`.
enum BatchSize: ExpressibleByArgument, CustomStringConvertible {
    case size(Int)
    case full

    init?(argument: String) {
        if argument == "full" {
            self = .full
        } else if let n = Int(argument), n > 0 {
            self = .size(n)
        } else {
            return nil
        }
    }

    var value: Int? {
        if case .size(let n) = self { return n }
        return nil
    }

    var description: String { value.map(String.init) ?? "full" }
}

extension Activation: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}

/// The per-epoch JSON line of `digit train --json`.
private struct EpochLine: Encodable {
    let epoch: Int
    let seconds: Double
    let loss: Float
    let trainAccuracy: Float
    let validationAccuracy: Float?

    init(record: EpochRecord, seconds: Double) {
        epoch = record.epoch
        self.seconds = (seconds * 1000).rounded() / 1000
        loss = record.loss
        trainAccuracy = record.trainAccuracy
        validationAccuracy = record.validationAccuracy
    }

    enum CodingKeys: String, CodingKey {
        case epoch, seconds, loss
        case trainAccuracy = "train_accuracy"
        case validationAccuracy = "validation_accuracy"
    }
}
