import ArgumentParser
import DigitCompute
import DigitPNG
import DigitPictures
import DigitStore

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the model makes of one MNIST digit: label, prediction, confidence, and a PNG card.",
        discussion: """
            Prints the label, the prediction and its confidence, and writes a PNG with the \
            digit enlarged, the label and prediction under it and the ten probabilities as bars.
            """)

    @Argument(help: ArgumentHelp("Position of the digit in the set, from 0.", valueName: "INDEX"))
    var index: Int

    @Option(help: "Which set the digit comes from: train|test.")
    var split: Split = .test

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the PNG (default: digit-INDEX.png).", valueName: "FILE"))
    var output: String?

    func validate() throws {
        guard index >= 0 else { throw ValidationError("INDEX must not be negative") }
    }

    func run() throws {
        try threadOptions.apply()
        let model = try modelOptions.load()
        let data = try dataOptions.load(split)
        guard index < data.count else { throw IndexOutOfRange(index: index, split: split, count: data.count) }
        let digit = data.image(index)
        let probabilities = model.classifier.probabilities(normalisedPixels(digit.pixels), count: 1)
        let prediction = probabilities.indexOfLargest!
        let label = Int(data.labels[index])
        let path = output ?? "digit-\(index).png"
        try writePNG(predictionCard(digit: digit, label: label, prediction: prediction, probabilities: probabilities),
                     to: path)
        print("\(split.rawValue) #\(index): label \(label), predicted \(prediction) "
              + "(\(percent(probabilities[prediction])) confident)" + (label == prediction ? "" : ", wrong"))
        print("wrote \(path)")
    }
}

/// `digit show` asked for a digit past the end of the set.
struct IndexOutOfRange: Error, CustomStringConvertible {
    let index: Int
    let split: Split
    let count: Int

    var description: String {
        "INDEX \(index) is past the end of the \(split.rawValue) set, which holds \(count) digits (0...\(count - 1))"
    }
}
