
/// Where a training run stands, beyond its weights; stored in checkpoint files.
package struct TrainingState: Codable, Equatable, Sendable {
    package var stepsTaken: Int
    package var optimizerSteps: Int
    package var history: [EpochRecord]
    /// The shuffling generator's state when the current epoch's order was drawn.
    package var epochStartRandomState: UInt64
    /// Steps already done in the current epoch (0: at an epoch boundary).
    package var stepInEpoch: Int
    package var epochLossSum: Double
    package var epochCorrect: Int
    package var epochSeen: Int
    package var dropoutRandomStates: [UInt64]
    package var bestEpoch: Int?
    package var bestAccuracy: Float?
}

/// A training run saved mid-way: the network, the options, the state, and the
/// optimizer moments and best-epoch weights as extra tensors.
///
/// A checkpoint is a model file (`ModelFile`) whose metadata holds `TrainingState`;
/// it loads like a model (`Checkpoint.load` in DigitStore), and `Trainer(resuming:data:)`
/// carries on from it.
package struct Checkpoint {
    package let network: Network
    package let options: TrainingOptions
    package let state: TrainingState
    package let extraTensors: [String: [Float]]

    package init(network: Network, options: TrainingOptions, state: TrainingState, extraTensors: [String: [Float]]) {
        self.network = network
        self.options = options
        self.state = state
        self.extraTensors = extraTensors
    }
}
