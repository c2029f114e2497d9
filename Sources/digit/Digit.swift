import ArgumentParser
import DigitStore

@main
struct Digit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digit",
        abstract: "Learn handwritten digits from MNIST and read your own digit pictures.",
        version: "0.1.0",
        subcommands: [Classify.self, Read.self, Train.self, Tune.self, Evaluate.self, Info.self, Show.self, ExportSamples.self, ExportErrors.self, Serve.self])
}
