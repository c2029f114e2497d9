
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
    /// Present in tuned models only (`digit tune`): what they were tuned from and on. Files
    /// without it load as untuned models; untuned ones are written without the key.
    package var tuning: TuningRecord?

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

/// How a model was tuned to a person's pictures (`digit tune`): the rest of its `ModelInfo`
/// (architecture, MNIST training, history) is the base model's.
package struct TuningRecord: Codable, Equatable, Sendable {
    /// The model it started from, as commands name it: `bundled model`, or the file's path as given.
    package var baseModel: String
    /// The folder of labelled pictures, as given.
    package var folder: String
    package var trainingPictures: Int
    /// Pictures held out to choose the epoch and measure the tuning (0 with `--validation 0`).
    package var heldOutPictures: Int
    /// MNIST training digits mixed into each epoch (0: tuned on the pictures alone).
    package var mnistPerEpoch: Int
    /// How many of the network's first layers kept the base model's weights.
    package var frozenLayers: Int
    /// The run's options: learning rate, schedule, length, augmentation, seed.
    package var options: TrainingOptions
    /// One record per epoch of the tuning run; the validation accuracy is the held-out pictures'.
    package var history: [EpochRecord]
    /// The epoch whose weights the file holds.
    package var chosenEpoch: Int
    /// Accuracy on the held-out pictures before and after (nil without held-out pictures).
    package var heldOutAccuracyBefore: Float?
    package var heldOutAccuracyAfter: Float?
    /// The base model's accuracy on the MNIST test set (nil without MNIST); the tuned model's
    /// is `ModelInfo.testAccuracy`.
    package var testAccuracyBefore: Float?

    package init(baseModel: String, folder: String, trainingPictures: Int, heldOutPictures: Int, mnistPerEpoch: Int,
                 frozenLayers: Int, options: TrainingOptions, history: [EpochRecord], chosenEpoch: Int,
                 heldOutAccuracyBefore: Float?, heldOutAccuracyAfter: Float?, testAccuracyBefore: Float?) {
        self.baseModel = baseModel
        self.folder = folder
        self.trainingPictures = trainingPictures
        self.heldOutPictures = heldOutPictures
        self.mnistPerEpoch = mnistPerEpoch
        self.frozenLayers = frozenLayers
        self.options = options
        self.history = history
        self.chosenEpoch = chosenEpoch
        self.heldOutAccuracyBefore = heldOutAccuracyBefore
        self.heldOutAccuracyAfter = heldOutAccuracyAfter
        self.testAccuracyBefore = testAccuracyBefore
    }
}
