import ArgumentParser
import DigitKit
import DigitStore
import Foundation

struct Tune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Adapt a model to a folder of your own labelled digit pictures and save it.",
        discussion: """
            The pictures are labelled and read as `evaluate --pictures` reads them. A share of \
            them is held out (--validation; whole subfolders when DIR has several) to keep the \
            best epoch and to print the accuracy before and after, per digit, beside the MNIST \
            test set's. MNIST training digits (--data, $DIGIT_DATA) are mixed in so the model does \
            not forget MNIST; without them it tunes on the pictures alone. The same pictures, \
            seed, flags and --threads give the same model file.
            """)

    @Argument(help: ArgumentHelp("Folder of labelled PNG or JPEG pictures (and its subfolders).", valueName: "DIR"))
    var folder: String

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the tuned model.", valueName: "FILE"))
    var output: String

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var threadOptions: ThreadOptions

    @Option(help: ArgumentHelp("The labels, as file,label lines (file relative to DIR, or its bare name).", valueName: "FILE.csv"))
    var labels: String?

    @Option(help: "Passes over the pictures tuned on.")
    var epochs = TuningOptions().epochs

    @Option(help: "Stop after this many optimizer steps of 64 samples (overrides --epochs).")
    var steps: Int?

    @Option(help: "Share of the pictures held out to choose the epoch and report on (0 to <1; 0: none).")
    var validation = TuningOptions().validationFraction

    @Option(help: "Random seed: the same seed, pictures, flags and --threads give the same model file.")
    var seed = TuningOptions().seed

    @Option(name: .customLong("learning-rate"), help: "Adam's learning rate, decayed along a cosine.")
    var learningRate = TuningOptions().learningRate

    @Option(name: .customLong("mnist-share"), help: ArgumentHelp("Share of each batch that is MNIST training digits (0 to <1).", valueName: "F"))
    var mnistShare = TuningOptions().mnistShare

    @Option(name: .customLong("frozen-layers"), help: ArgumentHelp("How many of the network's first layers keep their weights.", valueName: "N"))
    var frozenLayers = TuningOptions().frozenLayers

    @Flag(name: .customLong("no-augment"), help: "Tune on the pictures as they are, without random distortions.")
    var noAugment = false

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func validate() throws {
        do {
            try options(mnist: nil).validate()
        } catch let error as TuningOptionError {
            throw ValidationError("\(Self.flags[error.option] ?? error.option) \(error.requirement)")
        }
    }

    /// The flag that sets each `TuningOptions` property.
    private static let flags = [
        "epochs": "--epochs", "steps": "--steps", "validationFraction": "--validation", "mnistShare": "--mnist-share",
        "learningRate": "--learning-rate", "frozenLayers": "--frozen-layers",
    ]

    func run() throws {
        try threadOptions.apply()
        let reader = try DigitReader(model: modelOptions.choice)
        var mnist: String? = dataOptions.directory
        if !(MNIST.isPresent(.train, in: dataOptions.directory) && MNIST.isPresent(.test, in: dataOptions.directory)) {
            FileHandle.standardError.write(Data("note: no MNIST data in \(dataOptions.directory) (give --data DIR or $DIGIT_DATA): tuning on the pictures alone, without MNIST digits mixed in or the MNIST test set\n".utf8))
            mnist = nil
        }
        let readingBar = ProgressBar(label: "reading")
        let pictures = try LabelledPictures(folder: folder, labelsFile: labels, reader: reader, progress: readingBar.update)
        readingBar.finish()
        guard pictures.failures.isEmpty else {
            for failure in pictures.failures { printError(failure) }
            throw ExitCode.failure
        }
        let bar = ProgressBar(label: "tuning")
        let tuned = try DigitTuner(reader: reader, options: options(mnist: mnist)).tune(pictures, progress: bar.update)
        bar.finish()
        try tuned.write(to: output)
        if json {
            print(jsonLine(tuned.report))
        } else {
            printText(tuned.report)
        }
    }

    private func options(mnist: String?) -> TuningOptions {
        var options = TuningOptions()
        options.epochs = epochs
        options.steps = steps
        options.validationFraction = validation
        options.seed = seed
        options.mnistDirectory = mnist
        options.mnistShare = mnistShare
        options.learningRate = learningRate
        options.frozenLayers = frozenLayers
        options.augment = !noAugment
        return options
    }

    private func printText(_ report: TuningReport) {
        print("tuned \(modelOptions.displayName) on \(report.trainingPictures) pictures"
              + (report.mnistPerEpoch > 0 ? " with \(report.mnistPerEpoch) MNIST digits per epoch" : "")
              + ", \(report.steps) steps in \(report.epochs) epochs"
              + (report.chosenEpoch != report.epochs ? ", keeping epoch \(report.chosenEpoch), the best on the held-out pictures" : ""))
        if report.heldOut == nil { print("no pictures held out: nothing to report before and after") }
        let columns = [("held-out pictures", report.heldOut), ("MNIST test", report.mnistTest)].compactMap { name, comparison in
            comparison.map { (name, $0) }
        }
        if !columns.isEmpty {
            print("digit" + columns.map { "  " + pad($0.0, 17) }.joined())
            print("     " + columns.map { _ in "  " + pad("before", 8) + " " + pad("after", 8) }.joined())
            for digit in 0..<10 {
                print(pad(String(digit), 5) + columns.map { _, c in
                    "  " + pad(c.before.accuracyPerDigit[digit].map { percent($0) } ?? "-", 8)
                        + " " + pad(c.after.accuracyPerDigit[digit].map { percent($0) } ?? "-", 8)
                }.joined())
            }
            print("  all" + columns.map { _, c in "  " + pad(percent(c.before.accuracy), 8) + " " + pad(percent(c.after.accuracy), 8) }.joined())
            if let heldOut = report.heldOut { print("(\(heldOut.after.total) held-out pictures)") }
        }
        print("saved \(output)")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
