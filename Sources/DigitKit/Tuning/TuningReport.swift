/// What a tuning run did and how well the model reads before and after: what `digit tune`
/// prints, and its `--json` object.
public struct TuningReport: Codable, Sendable, Equatable {
    /// The pictures tuned on, and those held out (0 with `validationFraction` 0).
    public let trainingPictures: Int
    public let heldOutPictures: Int
    /// MNIST training digits mixed into each epoch (0: tuned on the pictures alone).
    public let mnistPerEpoch: Int
    /// Optimizer steps taken, epochs run, and the epoch kept (the best on the held-out
    /// pictures, else the last).
    public let steps: Int
    public let epochs: Int
    public let chosenEpoch: Int
    /// The held-out pictures read before and after, as `evaluate --pictures` reads them
    /// (nil without held-out pictures).
    public let heldOut: Comparison?
    /// The MNIST test set before and after (nil without MNIST).
    public let mnistTest: Comparison?

    /// One set of digits read by the model tuned from and by the tuned model.
    public struct Comparison: Codable, Sendable, Equatable {
        public let before: EvaluationReport
        public let after: EvaluationReport
    }

    enum CodingKeys: String, CodingKey {
        case steps, epochs
        case trainingPictures = "training_pictures"
        case heldOutPictures = "held_out_pictures"
        case mnistPerEpoch = "mnist_per_epoch"
        case chosenEpoch = "chosen_epoch"
        case heldOut = "held_out"
        case mnistTest = "mnist_test"
    }
}

extension EvaluationReport {
    /// Each digit's accuracy (0...1), index = digit; nil for a digit with no examples.
    public var accuracyPerDigit: [Float?] {
        confusion.enumerated().map { digit, row in
            let total = row.reduce(0, +)
            return total > 0 ? Float(row[digit]) / Float(total) : nil
        }
    }
}
