
/// Why a `Trainer` cannot start or resume: checked before any work is done.
package enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option outside its range: `option` is the `TrainingOptions` property (dotted for
    /// `augmentation`'s, e.g. `augmentation.rotation`), `requirement` what it must be.
    case invalidOption(option: String, requirement: String)
    /// The dataset holds no images.
    case emptyDataset
    /// The dataset's images are not the network's 28x28.
    case wrongImageSize(rows: Int, columns: Int)
    /// `pictureVariants > 0` without a `PictureVariantSource` to make them.
    case noPictureSource
    /// `strokeDigits > 0` without a `StrokeDigitSource` to draw them.
    case noStrokeSource
    /// A checkpoint lacks, or has the wrong size of, a tensor its training state needs.
    case incompleteCheckpoint(missing: String)
    /// A label is not one of the network's `classes`.
    case labelOutOfRange(label: Int, classes: Int)

    package var description: String {
        switch self {
        case let .invalidOption(option, requirement): return "\(option) \(requirement)"
        case .emptyDataset: return "the dataset holds no images to train on"
        case let .wrongImageSize(rows, columns): return "the dataset's images are \(rows)x\(columns), the network needs 28x28"
        case .noPictureSource: return "picture variants were asked for, but no source of them was given"
        case .noStrokeSource: return "stroke digits were asked for, but no source of them was given"
        case let .incompleteCheckpoint(missing): return "the checkpoint lacks \(missing), or holds it at the wrong size"
        case let .labelOutOfRange(label, classes): return "the dataset has label \(label), the network tells only \(classes) classes apart"
        }
    }
}

extension TrainingOptions {
    /// Throws `TrainingError.invalidOption` for the first option outside its range; `Trainer`
    /// calls it before anything else, so no option can divide by zero or train forever.
    package func validate() throws {
        func require(_ condition: Bool, _ option: String, _ requirement: String) throws {
            if !condition { throw TrainingError.invalidOption(option: option, requirement: requirement) }
        }
        do {
            _ = try Architecture(parsing: architecture, activation: activation, classes: classes)
        } catch let error as ArchitectureError {
            throw TrainingError.invalidOption(option: "architecture", requirement: "is invalid: \(error.reason)")
        }
        try require(learningRate >= 0 && learningRate.isFinite, "learningRate", "must be a non-negative number")
        try require((batchSize ?? 1) >= 1, "batchSize", "must be at least 1")
        try require(epochs >= 1, "epochs", "must be at least 1")
        try require((steps ?? 1) >= 1, "steps", "must be at least 1")
        try require(validationFraction >= 0 && validationFraction < 1, "validationFraction", "must be in 0..<1")
        try require(weightDecay >= 0 && weightDecay.isFinite, "weightDecay", "must be a non-negative number")
        try require(labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing", "must be in 0..<1")
        try require(pictureVariants >= 0 && pictureVariants <= 1, "pictureVariants", "must be in 0...1")
        // Each stroke digit's seed holds its index in 32 bits (DigitVision's `StrokeSeeds`).
        try require(strokeDigits >= 0 && strokeDigits < 1 << 32, "strokeDigits", "must be in 0..<4294967296")
        try augmentation.validate()
    }
}

extension Augmentation {
    /// Throws `TrainingError.invalidOption` (option `augmentation.NAME`) for the first
    /// distortion outside its range.
    package func validate() throws {
        func require(_ condition: Bool, _ option: String, _ requirement: String) throws {
            if !condition { throw TrainingError.invalidOption(option: "augmentation.\(option)", requirement: requirement) }
        }
        for (name, value) in [("rotation", rotation), ("scale", scale), ("shear", shear), ("shift", shift),
                              ("elasticAlpha", elasticAlpha), ("elasticSigma", elasticSigma)] {
            try require(value >= 0 && value.isFinite, name, "must be a non-negative number")
        }
        try require(scale < 1, "scale", "must be below 1")
        try require(elasticSigma >= 0.5, "elasticSigma", "must be at least 0.5")
        try require((0...14).contains(crop), "crop", "must be in 0...14")
        try require(erasing >= 0 && erasing <= 1, "erasing", "must be in 0...1")
    }
}
