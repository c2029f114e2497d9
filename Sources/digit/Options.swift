import ArgumentParser
import DigitKit
import Foundation

/// Where the MNIST-format data lives.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Folder with the four MNIST IDX files (.gz or raw).",
        discussion: "Default: $DIGIT_DATA, else \(MNIST.defaultDirectory).", valueName: "DIR"))
    var data: String?

    var directory: String {
        MNIST.resolveDirectory(flag: data, environment: ProcessInfo.processInfo.environment)
    }

    /// The dataset's name as recorded in models: the folder's last component.
    var datasetName: String {
        directory.split(separator: "/").last.map(String.init) ?? directory
    }

    func load(_ split: Split) throws -> Dataset {
        try MNIST.load(split: split, from: directory)
    }
}

/// Which model file to use.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Model file to use (default: the bundled model).", valueName: "FILE"))
    var model: String?

    func load() throws -> Model {
        guard let path = model else { return try BundledModel.load() }
        return try ModelFile.load(path: path)
    }

    var displayName: String { model ?? "bundled model" }
}

/// One line of JSON from a Codable value, keys sorted.
func jsonLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding our own plain structs cannot fail.
    let data = try! encoder.encode(value)
    return String(decoding: data, as: UTF8.self)
}

/// Percent with two decimals, e.g. `97.85%`.
func percent(_ fraction: Float) -> String {
    String(format: "%.2f%%", Double(fraction) * 100)
}
