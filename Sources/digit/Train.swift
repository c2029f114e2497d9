import ArgumentParser
import DigitKit
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a network on MNIST-format data and save it.")

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Network: mlp:H1[,H2...] (hidden widths).")
    var arch = "mlp:128"

    @Option(help: "Hidden activation: \(Activation.allCases.map(\.rawValue).joined(separator: "|")).")
    var activation: Activation = .relu

    @Option(help: "Update rule: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: "|")).")
    var optimizer: OptimizerKind = .sgd

    @Option(name: .customLong("learning-rate"), help: "Base learning rate.")
    var learningRate: Float = 0.1

    @Option(help: "Learning-rate schedule: \(LearningRateSchedule.allCases.map(\.rawValue).joined(separator: "|")).")
    var schedule: LearningRateSchedule = .constant

    @Option(name: .customLong("batch-size"), help: "Samples per step, or 'full' for full-batch gradient descent.")
    var batchSize: BatchSize = .size(64)

    @Option(help: "Passes over the training set.")
    var epochs = 5

    @Option(help: "Stop after this many optimizer steps (overrides --epochs).")
    var steps: Int?

    @Option(help: "Fraction of the training set held out for validation (0 to <1).")
    var validation: Float = 0

    @Option(name: .customLong("weight-decay"), help: "L2 weight decay on weights.")
    var weightDecay: Float = 0

    @Option(help: "Random seed: the same seed and flags give the same model file.")
    var seed: UInt64 = 1

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the model.", valueName: "FILE"))
    var output: String

    @Flag(help: "Print one JSON object per epoch on stdout.")
    var json = false

    func validate() throws {
        _ = try Architecture(parsing: arch, activation: activation)
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        guard validation >= 0, validation < 1 else { throw ValidationError("--validation must be in 0..<1") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive") }
        guard weightDecay >= 0 else { throw ValidationError("--weight-decay must not be negative") }
    }

    func run() throws {
        var options = TrainingOptions()
        options.architecture = arch
        options.activation = activation
        options.optimizer = optimizer
        options.learningRate = learningRate
        options.schedule = schedule
        options.batchSize = batchSize.value
        options.epochs = epochs
        options.steps = steps
        options.validationFraction = validation
        options.weightDecay = weightDecay
        options.seed = seed

        let trainingData = try dataOptions.load(.train)
        let trainer = try Trainer(options: options, data: trainingData)
        if !json {
            print("training \(arch) (\(trainer.network.parameterCount) parameters) on \(trainer.trainingCount) images"
                  + (trainer.validationCount > 0 ? ", validating on \(trainer.validationCount)" : "")
                  + ", \(trainer.totalSteps) steps of \(trainer.batchSize)")
        }
        while !trainer.isFinished {
            let bar = ProgressBar(label: "epoch \(trainer.history.count + 1)/\(trainer.totalEpochs)")
            let (record, seconds) = trainer.trainEpoch(progress: bar.update)
            bar.finish()
            if json {
                print(jsonLine(EpochLine(record: record, seconds: seconds)))
            } else {
                var line = String(format: "epoch %d: %.2fs loss %.4f train %@", record.epoch, seconds,
                                  record.loss, percent(record.trainAccuracy))
                if let v = record.validationAccuracy { line += " validation \(percent(v))" }
                print(line)
            }
        }
        let testAccuracy = try? testSetAccuracy(trainer.network)
        let info = ModelInfo(training: options, dataset: dataOptions.datasetName,
                             trainingSamples: trainer.trainingCount, validationSamples: trainer.validationCount,
                             history: trainer.history, testAccuracy: testAccuracy)
        try ModelFile.save(Model(network: trainer.network, info: info), to: output)
        if !json {
            print("saved \(output)" + (testAccuracy.map { ", test accuracy \(percent($0))" } ?? ""))
        }
    }

    private func testSetAccuracy(_ network: Network) throws -> Float {
        let test = try dataOptions.load(.test)
        return Evaluation(classifier: Classifier(network: network), data: test).accuracy
    }
}

/// `--batch-size`: a number or `full`.
enum BatchSize: ExpressibleByArgument {
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
