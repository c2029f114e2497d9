
/// What a model file records besides its weights.
package struct ModelInfo: Codable, Equatable, Sendable {
    /// The options the model was trained with (architecture, optimiser, seed...).
    package var training: TrainingOptions
    /// Name of the data folder it was trained on, e.g. `mnist` or `fashion-mnist`.
    package var dataset: String
    package var trainingSamples: Int
    package var validationSamples: Int
    /// One record per epoch, in order.
    package var history: [EpochRecord]
    /// Test-set accuracy measured when training ended, if the test split was available.
    package var testAccuracy: Float?
    /// Softmax temperature for calibrated probabilities (1 = uncalibrated).
    package var temperature: Float = 1
    /// The epoch whose weights the file holds (the best by validation accuracy, or the last).
    package var chosenEpoch: Int?
    /// Present in checkpoints only: where training stood (see `Checkpoint`).
    package var checkpoint: TrainingState?

    package init(training: TrainingOptions, dataset: String, trainingSamples: Int, validationSamples: Int,
                history: [EpochRecord], testAccuracy: Float?) {
        self.training = training
        self.dataset = dataset
        self.trainingSamples = trainingSamples
        self.validationSamples = validationSamples
        self.history = history
        self.testAccuracy = testAccuracy
    }
}

/// A network with its metadata: what a model file holds.
package struct Model {
    package let network: Network
    package var info: ModelInfo
    /// Tensors beyond the network's own (optimizer moments in checkpoints), by name.
    package var extraTensors: [String: [Float]]

    package init(network: Network, info: ModelInfo, extraTensors: [String: [Float]] = [:]) {
        self.network = network
        self.info = info
        self.extraTensors = extraTensors
    }

    package var classifier: Classifier { Classifier(network: network, temperature: info.temperature) }
}
