
/// Everything that decides what `Trainer` produces; recorded in the model file.
package struct TrainingOptions: Codable, Equatable, Sendable {
    /// `--arch` text, e.g. `mlp:128`.
    package var architecture: String = "mlp:128"
    package var activation: Activation = .relu
    package var optimizer: OptimizerKind = .sgd
    package var learningRate: Float = 0.1
    package var schedule: LearningRateSchedule = .constant
    /// Samples per step; nil means the whole training set (full-batch gradient descent).
    package var batchSize: Int? = 64
    package var epochs: Int = 5
    /// Stop after this many optimizer steps (overrides `epochs` when set).
    package var steps: Int?
    /// Fraction of the training set held out for validation, in 0..<1.
    package var validationFraction: Float = 0
    /// L2 weight decay coefficient (weights only).
    package var weightDecay: Float = 0
    package var seed: UInt64 = 1
    /// Random distortions applied to each training sample (identity: none).
    package var augmentation = Augmentation()
    /// Keep the weights of the epoch with the best validation accuracy (needs a validation split).
    package var keepBest = true
    /// Label smoothing ε in 0..<1 (see `softmaxCrossEntropy`); 0: plain one-hot targets.
    package var labelSmoothing: Float = 0
    /// Share (0...1) of the training samples shown, each epoch, as a person's picture of the
    /// digit read back through `DigitPreprocessor` (`DigitVariant.randomPicture`: tight and cut
    /// crops, low resolution, lost aspect, binarisation, pens, European shapes) instead of the
    /// MNIST image. 0: MNIST images only.
    package var pictureVariants: Float = 0
    /// How many classes the network tells apart, labels `0..<classes`: the ten digits, or 2 for
    /// the whole-digit scorer (`WholeDigitExamples`). Files written before it existed hold digit models.
    package var classes: Int = Architecture.digitClasses
    /// Generated digits drawn from pen strokes (DigitVision's `StrokeDigits`: the forms people
    /// write, by a random hand and pen, read back through `DigitPreprocessor`), labels
    /// balanced over 0-9, added to the training samples every epoch (never to the validation
    /// split). Regenerated from `seed`, so a resumed run sees the same ones. 0: none.
    package var strokeDigits: Int = 0

    package init() {}

    /// Keys missing from a file take their defaults, so models written before an option
    /// existed still load.
    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingOptions()
        architecture = try c.decodeIfPresent(String.self, forKey: .architecture) ?? d.architecture
        activation = try c.decodeIfPresent(Activation.self, forKey: .activation) ?? d.activation
        optimizer = try c.decodeIfPresent(OptimizerKind.self, forKey: .optimizer) ?? d.optimizer
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? d.learningRate
        schedule = try c.decodeIfPresent(LearningRateSchedule.self, forKey: .schedule) ?? d.schedule
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize)
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        steps = try c.decodeIfPresent(Int.self, forKey: .steps)
        validationFraction = try c.decodeIfPresent(Float.self, forKey: .validationFraction) ?? d.validationFraction
        weightDecay = try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? d.weightDecay
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        augmentation = try c.decodeIfPresent(Augmentation.self, forKey: .augmentation) ?? d.augmentation
        keepBest = try c.decodeIfPresent(Bool.self, forKey: .keepBest) ?? d.keepBest
        labelSmoothing = try c.decodeIfPresent(Float.self, forKey: .labelSmoothing) ?? d.labelSmoothing
        pictureVariants = try c.decodeIfPresent(Float.self, forKey: .pictureVariants) ?? d.pictureVariants
        classes = try c.decodeIfPresent(Int.self, forKey: .classes) ?? d.classes
        strokeDigits = try c.decodeIfPresent(Int.self, forKey: .strokeDigits) ?? d.strokeDigits
    }
}

/// What one epoch of training achieved.
package struct EpochRecord: Codable, Equatable, Sendable {
    package var epoch: Int
    /// Mean training loss over the epoch's batches.
    package var loss: Float
    /// Fraction of training samples classified right while the epoch trained.
    package var trainAccuracy: Float
    /// Accuracy on the held-out validation split, when there is one.
    package var validationAccuracy: Float?
}
