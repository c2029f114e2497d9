import ArgumentParser
import DigitKit

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
        if let accuracy = info.testAccuracy { print("test accuracy: \(percent(accuracy)) (at training time)") }
        if info.temperature != 1 { print("temperature:  \(info.temperature)") }
        print("history:")
        for record in info.history {
            var line = "  epoch \(record.epoch): loss \(String(format: "%.4f", record.loss)) train \(percent(record.trainAccuracy))"
            if let v = record.validationAccuracy { line += " validation \(percent(v))" }
            print(line)
        }
    }
}
