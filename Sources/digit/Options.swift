import ArgumentParser
import DigitCompute
import DigitEnvironment
import DigitFiles
import DigitKit
import DigitStore
import Foundation

/// Where the MNIST-format data lives.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Folder with the four MNIST IDX files (.gz or raw).",
        discussion: "Default: $DIGIT_DATA, else \(DataFolder.defaultDirectory).", valueName: "DIR"))
    var data: String?

    var directory: String {
        DataFolder.resolveDirectory(flag: data, environment: ProcessInfo.processInfo.environment)
    }

    /// The dataset's name as recorded in models: the folder's last component.
    var datasetName: String {
        directory.split(separator: "/").last.map(String.init) ?? directory
    }

    /// One split of the data; a missing file's error says where data comes from.
    func load(_ split: Split) throws -> Dataset {
        try explainingMissingData { try MNIST.load(split: split, from: directory) }
    }

    /// `body`'s result; when it throws for a missing data file, the error says where data comes from.
    func explainingMissingData<Value>(_ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch let error as FileError where error.reason == MNIST.notFound {
            throw FileError(path: error.path, reason: "\(error.reason) (give the folder with --data DIR or $DIGIT_DATA, or run scripts/download-mnist)")
        }
    }
}

/// `--threads N`: how many threads a command computes on.
struct ThreadOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Threads to compute on.",
        discussion: "Default: $DIGIT_THREADS, else the number of active cores.", valueName: "N"))
    var threads: String?

    /// Sets the thread count from `--threads`, else `$DIGIT_THREADS`, else the active cores; a
    /// `ThreadCountError` (a one-line message) for 0, a negative count or not a number.
    /// Commands that compute call it first.
    func apply() throws {
        ComputeThreads.use(try ComputeThreads.resolve(flag: threads))
    }
}

/// Which model file to use.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Model file to use (default: the bundled model).", valueName: "FILE"))
    var model: String?

    var choice: ModelChoice { ModelChoice(path: model) }

    /// The model with its metadata, for the commands that inspect or draw it.
    func load() throws -> Model { try choice.load() }

    var displayName: String { choice.displayName }
}

/// A fraction (0...1) in percent, e.g. `97.85%` (two decimals) or `99.8%` (`decimals: 1`): how
/// every command prints accuracies and confidences.
func percent(_ fraction: Float, decimals: Int = 2) -> String {
    String(format: "%.\(decimals)f%%", Double(fraction) * 100)
}
