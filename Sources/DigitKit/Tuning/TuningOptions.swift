/// How `DigitTuner` tunes a model to a person's pictures. The defaults are the method chosen
/// by measurement (README, "Tuning to your pictures"); the same options, pictures, model and
/// thread count give the same model, bit for bit.
public struct TuningOptions: Sendable, Equatable {
    /// Passes over the pictures tuned on (each with as many MNIST digits mixed in as
    /// `mnistShare` asks); ignored when `steps` is set.
    public var epochs = 30
    /// Optimizer steps of 64 samples in all, overriding `epochs` when set.
    public var steps: Int?
    /// Share of the pictures held out (0..<1) to keep the best epoch and report on: whole
    /// subfolders when the folder has several (one per writer, say), else that share of each digit.
    public var validationFraction: Float = 0.2
    public var seed: UInt64 = 1
    /// The MNIST folder whose training digits are mixed in, so the model does not forget
    /// MNIST, and whose test set the report measures; nil tunes on the pictures alone.
    public var mnistDirectory: String?
    /// Share (0..<1) of each batch that is MNIST training digits, when `mnistDirectory` is set.
    public var mnistShare: Float = 0.75
    /// Adam's learning rate, decayed to zero along a cosine.
    public var learningRate: Float = 0.0006
    /// How many of the network's first layers keep their weights (0: every layer learns).
    public var frozenLayers = 0
    /// Distort the samples on the fly as `digit train --augment` does but without its shear and
    /// elastic distortion, which change the strokes that make a source what it is: rotation
    /// ±10°, zoom ±10%, shift ±2 px.
    public var augment = true

    public init() {}

    /// Throws `TuningOptionError` for the first option outside its range.
    public func validate() throws {
        func require(_ condition: Bool, _ option: String, _ requirement: String) throws {
            if !condition { throw TuningOptionError(option: option, requirement: requirement) }
        }
        try require(epochs >= 1, "epochs", "must be at least 1")
        try require((steps ?? 1) >= 1, "steps", "must be at least 1")
        try require(validationFraction >= 0 && validationFraction < 1, "validationFraction", "must be in 0..<1")
        try require(mnistShare >= 0 && mnistShare < 1, "mnistShare", "must be in 0..<1")
        try require(learningRate > 0 && learningRate.isFinite, "learningRate", "must be a positive number")
        try require(frozenLayers >= 0, "frozenLayers", "must not be negative")
    }
}

/// A `TuningOptions` property outside its range: `option` names the property, `requirement`
/// says what it must be.
public struct TuningOptionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let option: String
    public let requirement: String

    public var description: String { "\(option) \(requirement)" }
}
