import ArgumentParser
import DigitCompute

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a model: architecture, training flags, data, accuracy, history.")

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "Print the model's metadata as one JSON object.")
    var json = false

    func run() throws {
        let model = try modelOptions.load()
        let info = model.info
        if json {
            print(jsonLine(info))
            return
        }
        let t = info.training
        print("model:        \(modelOptions.displayName)")
        print("architecture: \(t.architecture), \(t.activation.rawValue), \(model.network.parameterCount) parameters")
        print("trained on:   \(info.dataset), \(info.trainingSamples) images"
              + (info.validationSamples > 0 ? " (+\(info.validationSamples) held out for validation)" : ""))
        let batch = t.batchSize.map(String.init) ?? "full"
        print("training:     \(t.optimizer.rawValue), learning rate \(t.learningRate) (\(t.schedule.rawValue)), "
              + "batch \(batch), \(t.steps.map { "\($0) steps" } ?? "\(t.epochs) epochs"), "
              + "weight decay \(t.weightDecay), seed \(t.seed)")
        if !t.augmentation.isIdentity { print("augmentation: \(Self.describe(t.augmentation))") }
        if t.labelSmoothing > 0 { print("label smoothing: \(t.labelSmoothing)") }
        if t.pictureVariants > 0 { print("picture variants: \(t.pictureVariants) of the samples") }
        if t.strokeDigits > 0 { print("stroke digits: \(t.strokeDigits) generated, balanced over 0-9, trained on every epoch") }
        if let accuracy = info.testAccuracy { print("test accuracy: \(percent(accuracy)) (\(info.tuning == nil ? "at training time" : "after tuning"))") }
        if info.temperature != 1 { print("temperature:  \(info.temperature)") }
        if let tuning = info.tuning { printTuning(tuning, testAccuracy: info.testAccuracy) }
        print("history:")
        for record in info.history {
            var line = "  epoch \(record.epoch): loss \(String(format: "%.4f", record.loss)) train \(percent(record.trainAccuracy))"
            if let v = record.validationAccuracy { line += " validation \(percent(v))" }
            print(line)
        }
    }

    /// What `digit tune` recorded: from which model, on how many pictures, how, and how well.
    private func printTuning(_ tuning: TuningRecord, testAccuracy: Float?) {
        print("tuned:        from \(tuning.baseModel) on \(tuning.trainingPictures) pictures in \(tuning.folder)"
              + (tuning.heldOutPictures > 0 ? " (+\(tuning.heldOutPictures) held out)" : "")
              + (tuning.mnistPerEpoch > 0 ? ", \(tuning.mnistPerEpoch) MNIST digits mixed into each epoch" : ", without MNIST"))
        let t = tuning.options
        print("tuning:       \(t.optimizer.rawValue), learning rate \(t.learningRate) (\(t.schedule.rawValue)), "
              + "\(t.steps.map { "\($0) steps" } ?? "\(t.epochs) epochs"), seed \(t.seed)"
              + (tuning.frozenLayers > 0 ? ", first \(tuning.frozenLayers) layers frozen" : "")
              + (t.augmentation.isIdentity ? "" : ", augmentation: \(Self.describe(t.augmentation))")
              + ", kept epoch \(tuning.chosenEpoch) of \(tuning.history.count)")
        if let before = tuning.heldOutAccuracyBefore, let after = tuning.heldOutAccuracyAfter {
            print("held out:     \(percent(before)) before tuning, \(percent(after)) after")
        }
        if let before = tuning.testAccuracyBefore {
            print("MNIST test:   \(percent(before)) before tuning" + (testAccuracy.map { ", \(percent($0)) after" } ?? ""))
        }
    }

    /// The distortions that are on, as `digit train` flags name them.
    private static func describe(_ a: Augmentation) -> String {
        var parts: [String] = []
        if a.rotation > 0 { parts.append("rotate \(a.rotation)°") }
        if a.scale > 0 { parts.append("zoom \(a.scale)") }
        if a.shear > 0 { parts.append("shear \(a.shear)°") }
        if a.shift > 0 { parts.append("shift \(a.shift) px") }
        if a.crop > 0 { parts.append("crop \(a.crop) px") }
        if a.elasticAlpha > 0 { parts.append("elastic \(a.elasticAlpha)/\(a.elasticSigma)") }
        if a.mirror { parts.append("mirror") }
        if a.erasing > 0 { parts.append("erase \(a.erasing)") }
        return parts.joined(separator: ", ")
    }
}
