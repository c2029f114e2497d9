/// Where a training run stands, beyond its weights; stored in checkpoint files.
public struct TrainingState: Codable, Equatable, Sendable {
    public var stepsTaken: Int
    public var optimizerSteps: Int
    public var history: [EpochRecord]
    /// The shuffling generator's state when the current epoch's order was drawn.
    public var epochStartRandomState: UInt64
    /// Steps already done in the current epoch (0: at an epoch boundary).
    public var stepInEpoch: Int
    public var epochLossSum: Double
    public var epochCorrect: Int
    public var epochSeen: Int
    public var dropoutRandomStates: [UInt64]
    public var bestEpoch: Int?
    public var bestAccuracy: Float?
}

/// A training run saved mid-way: the network, the options, the state, and the
/// optimizer moments and best-epoch weights as extra tensors.
///
/// A checkpoint is a model file (`ModelFile`) whose metadata holds `TrainingState`;
/// it loads like a model, and `Trainer(resuming:data:)` carries on from it.
public struct Checkpoint {
    public let network: Network
    public let options: TrainingOptions
    public let state: TrainingState
    public let extraTensors: [String: [Float]]

    public init(network: Network, options: TrainingOptions, state: TrainingState, extraTensors: [String: [Float]]) {
        self.network = network
        self.options = options
        self.state = state
        self.extraTensors = extraTensors
    }

    /// Saves atomically; `dataset` and sizes are recorded as for a model.
    public func save(to path: String, dataset: String, trainingSamples: Int, validationSamples: Int) throws {
        var info = ModelInfo(training: options, dataset: dataset, trainingSamples: trainingSamples,
                             validationSamples: validationSamples, history: state.history, testAccuracy: nil)
        info.checkpoint = state
        try ModelFile.save(Model(network: network, info: info, extraTensors: extraTensors), to: path)
    }

    /// Loads a checkpoint; a plain model file (no training state) is an error.
    public static func load(path: String) throws -> Checkpoint {
        let model = try ModelFile.load(path: path)
        guard let state = model.info.checkpoint else {
            throw ModelFileError(path: path, reason: "is a finished model, not a training checkpoint")
        }
        return Checkpoint(network: model.network, options: model.info.training, state: state, extraTensors: model.extraTensors)
    }
}
