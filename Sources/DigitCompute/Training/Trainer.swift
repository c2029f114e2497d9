import Dispatch

/// Minibatch training of a `Network` on a `Dataset`.
///
/// Each step is split into one part per thread: by input feature when the first layer holds
/// nearly all the weights (`InputFeatureSplitStep`), else by sample between the network and
/// replicas sharing its weights (`DataParallelStep`).
///
/// Deterministic: the same options, data and thread count give bit-identical weights,
/// whatever the machine load, because the shuffles come from `SeededRandom`, the splits
/// depend only on the thread count, and every reduction runs in a fixed order. Different
/// thread counts sum in different orders, so their weights may differ in the last bits.
package final class Trainer {
    package let options: TrainingOptions
    package let network: Network
    /// Twins sharing `network`'s weights, one for each part of a step after the first.
    private let replicas: [Network]
    /// The parts each step is split into: the thread count the trainer was made with.
    package let threads: Int
    private let optimizer: Optimizer
    /// How each step shares its work between the threads.
    let step: TrainingStep
    private let trainingIndices: [Int]
    /// Where the stroke digits (`TrainingOptions.strokeDigits`) are stored, after the dataset
    /// and its picture variants; trained on every epoch after `trainingIndices`.
    private let strokeIndices: [Int]
    /// Images in the dataset; picture variants (`TrainingOptions.pictureVariants`) follow them.
    private let datasetCount: Int
    private let validationIndices: [Int]
    /// A tuning run's rehearsal pool in one shuffled order, and how many of it join each epoch.
    private let rehearsalOrder: [Int]
    private let rehearsalPerEpoch: Int
    /// Whether the run tunes a trained network (`FineTuning`).
    private let isTuning: Bool
    private let batches: TrainingBatches
    private var random: SeededRandom
    package private(set) var stepsTaken = 0
    package private(set) var history: [EpochRecord] = []

    /// Splits off the validation part of `data` and initialises the network. `pictureSource`
    /// makes the picture variants when `options.pictureVariants > 0` (DigitVision's
    /// `PictureVariants`), `strokeSource` the stroke digits when `options.strokeDigits > 0`
    /// (DigitVision's `StrokeDigitSamples`); without the source such options are a
    /// `TrainingError`. Each step is split into `threads` parts (1...`Scheduler.maximumThreads`;
    /// default `Scheduler.threads`). With `tuning`, the run starts from its network's weights
    /// and trains on its split (`options.validationFraction` unused; picture variants and
    /// stroke digits are refused).
    package init(options: TrainingOptions, data: Dataset, pictureSource: PictureVariantSource? = nil,
                 strokeSource: StrokeDigitSource? = nil, threads: Int = Scheduler.threads,
                 tuning: FineTuning? = nil) throws {
        precondition((1...Scheduler.maximumThreads).contains(threads), "Trainer: \(threads) threads")
        try options.validate()
        self.threads = threads
        let architecture = try Architecture(parsing: options.architecture, activation: options.activation, classes: options.classes)
        guard data.count > 0 else { throw TrainingError.emptyDataset }
        guard data.pixelsPerImage == Architecture.inputSize else {
            throw TrainingError.wrongImageSize(rows: data.rows, columns: data.columns)
        }
        if let label = data.labels.max(), Int(label) >= options.classes {
            throw TrainingError.labelOutOfRange(label: Int(label), classes: options.classes)
        }
        self.options = options
        datasetCount = data.count
        if tuning != nil && options.pictureVariants > 0 {
            throw TrainingError.invalidOption(option: "pictureVariants", requirement: "must be 0 when tuning")
        }
        if tuning != nil && options.strokeDigits > 0 {
            throw TrainingError.invalidOption(option: "strokeDigits", requirement: "must be 0 when tuning")
        }
        let network = Network(architecture: architecture, seed: options.seed)
        if let base = tuning?.base {
            precondition(base.parameters.map(\.value.count) == network.parameters.map(\.value.count),
                         "Trainer: the base network is not \(options.architecture)")
            for (mine, theirs) in zip(network.parameters, base.parameters) { mine.value = theirs.value }
        }
        self.network = network
        // Replica k draws its dropout masks from its own seed (the first one's as before).
        replicas = (0..<(threads - 1)).map { network.replica(seed: options.seed &+ 0x2E9_11CA &+ UInt64($0) &* 0x9E37_79B9) }
        let elasticFields = options.augmentation.elasticAlpha > 0
            ? ElasticFields(side: Architecture.inputShape.width, alpha: options.augmentation.elasticAlpha,
                            sigma: options.augmentation.elasticSigma, seed: options.seed &+ 0xE1A5)
            : nil
        let frozen = network.layers.prefix(tuning?.frozenLayers ?? 0).flatMap(\.parameters).map(\.name)
        optimizer = Optimizer(kind: options.optimizer, parameters: network.parameters, weightDecay: options.weightDecay,
                              frozen: Set(frozen))
        random = SeededRandom(seed: options.seed &+ 0x5EED)
        isTuning = tuning != nil
        if let tuning {
            (trainingIndices, validationIndices) = (tuning.training, tuning.validation)
            var shuffle = SeededRandom(seed: options.seed &+ 0x2E4EA25E)
            rehearsalOrder = shuffle.permutation(tuning.rehearsal.count).map { tuning.rehearsal[$0] }
            rehearsalPerEpoch = rehearsalOrder.isEmpty ? 0 : tuning.rehearsalPerEpoch
        } else {
            (trainingIndices, validationIndices) = Self.split(count: data.count, fraction: options.validationFraction,
                                                              random: &random)
            (rehearsalOrder, rehearsalPerEpoch) = ([], 0)
        }
        guard !trainingIndices.isEmpty else { throw TrainingError.emptyDataset }
        var variants: [UInt8] = []
        if options.pictureVariants > 0 {
            guard let pictureSource else { throw TrainingError.noPictureSource }
            variants = pictureSource.pictures(of: data, indices: trainingIndices, seed: options.seed)
        }
        var strokes: (images: [UInt8], labels: [UInt8]) = ([], [])
        if options.strokeDigits > 0 {
            guard let strokeSource else { throw TrainingError.noStrokeSource }
            strokes = strokeSource.digits(count: options.strokeDigits, seed: options.seed)
        }
        let strokeStart = data.count + variants.count / data.pixelsPerImage
        strokeIndices = Array(strokeStart..<(strokeStart + strokes.labels.count))
        let extraLabels = (variants.isEmpty ? [] : trainingIndices.map { data.labels[$0] }) + strokes.labels
        batches = TrainingBatches(pixels: extraLabels.isEmpty ? data.images : data.images + variants + strokes.images,
                                  labels: extraLabels.isEmpty ? data.labels : data.labels + extraLabels,
                                  width: data.pixelsPerImage,
                                  augmentation: options.augmentation, elasticFields: elasticFields, seed: options.seed,
                                  labelSmoothing: options.labelSmoothing)
        step = InputFeatureSplitStep(network: network, replicas: replicas, optimizer: optimizer, batches: batches,
                                     batchSize: Self.batchSize(options, samples: trainingIndices.count + strokeIndices.count + rehearsalPerEpoch))
            ?? DataParallelStep(network: network, replicas: replicas, optimizer: optimizer, batches: batches)
    }

    /// The indices of the `count` samples a run with `validationFraction` and `seed` holds out
    /// for validation (sorted): what it never trains on.
    package static func validationIndices(count: Int, fraction: Float, seed: UInt64) -> [Int] {
        var random = SeededRandom(seed: seed &+ 0x5EED)
        return split(count: count, fraction: fraction, random: &random).validation
    }

    /// A random `fraction` of `0..<count` held out for validation, the rest for training, both sorted.
    private static func split(count: Int, fraction: Float, random: inout SeededRandom)
        -> (training: [Int], validation: [Int]) {
        let order = random.permutation(count)
        let validationCount = Int(Float(count) * fraction)
        return (Array(order[validationCount...]).sorted(), Array(order[..<validationCount]).sorted())
    }

    /// The dataset's images trained on (stroke digits not counted).
    package var trainingCount: Int { trainingIndices.count }
    /// The generated stroke digits trained on every epoch besides them.
    package var strokeDigitCount: Int { strokeIndices.count }
    package var validationCount: Int { validationIndices.count }
    /// Samples each epoch trains on: the training samples, the stroke digits and, when tuning,
    /// the rehearsal ones.
    package var samplesPerEpoch: Int { trainingCount + strokeDigitCount + rehearsalPerEpoch }
    package var batchSize: Int { Self.batchSize(options, samples: samplesPerEpoch) }
    package var stepsPerEpoch: Int { (samplesPerEpoch + batchSize - 1) / batchSize }
    package var totalSteps: Int { options.steps ?? options.epochs * stepsPerEpoch }
    package var totalEpochs: Int { (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch }
    package var isFinished: Bool { stepsTaken >= totalSteps }

    private static func batchSize(_ options: TrainingOptions, samples: Int) -> Int {
        min(options.batchSize ?? samples, samples)
    }

    /// Where training stands within the current epoch (empty and zero between epochs).
    private var epochStartRandomState: UInt64 = 0
    private var epochOrder: [Int] = []
    private var stepInEpoch = 0
    private var epochLossSum: Double = 0
    private var epochCorrect = 0
    private var epochSeen = 0
    private var epochSeconds: Double = 0

    /// Trains one epoch (or what is left of it, or of `steps`), calling
    /// `progress(done, total)` after each step. Between steps it asks `shouldStop`; when
    /// that answers true it returns nil with the state kept at that batch boundary, ready
    /// for `checkpoint()` or for another call to carry on. Otherwise it returns the
    /// epoch's record with its training time (excluding validation).
    package func trainEpoch(progress: (Int, Int) -> Void = { _, _ in },
                           shouldStop: () -> Bool = { false }) -> (record: EpochRecord, seconds: Double)? {
        let start = DispatchTime.now().uptimeNanoseconds
        if epochOrder.isEmpty {
            epochStartRandomState = random.state
            let order = random.permutation(samplesPerEpoch)
            if rehearsalPerEpoch > 0 {
                // Epoch e rehearses the e-th run of samples along the pool's order, wrapping round.
                let start = history.count * rehearsalPerEpoch
                let members = trainingIndices + (0..<rehearsalPerEpoch).map { rehearsalOrder[(start + $0) % rehearsalOrder.count] }
                epochOrder = order.map { members[$0] }
            } else {
                // Which samples show their picture variant (stored after the dataset, in training
                // order) follows from the epoch's starting state, so a resumed epoch draws the same.
                // Stroke digits have none.
                var choice = SeededRandom(seed: epochStartRandomState ^ 0x71C7_0BE5)
                let members = trainingIndices + strokeIndices, share = options.pictureVariants
                epochOrder = order.map {
                    share > 0 && $0 < trainingIndices.count && choice.uniform() < share ? datasetCount + $0 : members[$0]
                }
            }
        }
        let stepsThisEpoch = min(stepsPerEpoch, stepInEpoch + totalSteps - stepsTaken)
        while stepInEpoch < stepsThisEpoch {
            if shouldStop() {
                epochSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                return nil
            }
            let members = Array(epochOrder[(stepInEpoch * batchSize)..<min((stepInEpoch + 1) * batchSize, epochOrder.count)])
            let (loss, correct) = step.train(
                on: members, step: stepsTaken,
                learningRate: options.schedule.rate(base: options.learningRate, step: stepsTaken, totalSteps: totalSteps))
            stepsTaken += 1
            stepInEpoch += 1
            epochLossSum += loss
            epochCorrect += correct
            epochSeen += members.count
            progress(stepInEpoch, stepsThisEpoch)
        }
        let seconds = epochSeconds + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let validation = validationCount > 0 ? accuracy(on: validationIndices) : nil
        let record = EpochRecord(epoch: history.count + 1, loss: Float(epochLossSum / Double(max(epochSeen, 1))),
                                 trainAccuracy: Float(epochCorrect) / Float(max(epochSeen, 1)), validationAccuracy: validation)
        history.append(record)
        // A tuning run's few held-out pictures often tie: the later epoch, trained longer, wins.
        if options.keepBest, let validation,
           validation > (best?.accuracy ?? -1) || (isTuning && validation == best?.accuracy) {
            best = (record.epoch, validation, network.parameters.map(\.value))
        }
        (stepInEpoch, epochLossSum, epochCorrect, epochSeen, epochSeconds) = (0, 0, 0, 0, 0)
        epochOrder = []
        return (record, seconds)
    }

    /// Everything needed to carry on training exactly where it stands: with the same
    /// data, `Trainer(resuming:)` then reaches the same final weights, bit for bit, as
    /// an uninterrupted run.
    package func checkpoint() -> Checkpoint {
        var extra: [String: [Float]] = [:]
        for (name, values) in optimizer.state { extra["optimizer.\(name)"] = values }
        if let best {
            for (parameter, value) in zip(network.parameters, best.weights) { extra["best.\(parameter.name)"] = value }
        }
        let state = TrainingState(
            stepsTaken: stepsTaken, optimizerSteps: optimizer.stepCount, history: history,
            epochStartRandomState: epochOrder.isEmpty ? random.state : epochStartRandomState,
            stepInEpoch: stepInEpoch, epochLossSum: epochLossSum, epochCorrect: epochCorrect, epochSeen: epochSeen,
            dropoutRandomStates: dropouts.map(\.randomState),
            bestEpoch: best?.epoch, bestAccuracy: best?.accuracy)
        return Checkpoint(network: network, options: options, state: state, extraTensors: extra)
    }

    /// Carries on from `checkpoint` on the same `data` it was made with, in steps of
    /// `threads` parts (bit-identical to an uninterrupted run with as many).
    package convenience init(resuming checkpoint: Checkpoint, data: Dataset, pictureSource: PictureVariantSource? = nil,
                             strokeSource: StrokeDigitSource? = nil, threads: Int = Scheduler.threads) throws {
        try self.init(options: checkpoint.options, data: data, pictureSource: pictureSource, strokeSource: strokeSource,
                      threads: threads)
        let state = checkpoint.state
        for (mine, saved) in zip(network.parameters, checkpoint.network.parameters) { mine.value = saved.value }
        try optimizer.restore(checkpoint.extraTensors.filter { $0.key.hasPrefix("optimizer.") }
            .reduce(into: [:]) { $0[String($1.key.dropFirst("optimizer.".count))] = $1.value }, steps: state.optimizerSteps)
        for (layer, saved) in zip(dropouts, state.dropoutRandomStates) { layer.randomState = saved }
        stepsTaken = state.stepsTaken
        history = state.history
        // The next trainEpoch redraws the interrupted epoch's order from this state.
        random = SeededRandom(seed: state.epochStartRandomState)
        (stepInEpoch, epochLossSum, epochCorrect, epochSeen) =
            (state.stepInEpoch, state.epochLossSum, state.epochCorrect, state.epochSeen)
        if let epoch = state.bestEpoch, let accuracy = state.bestAccuracy {
            let weights = try network.parameters.map { parameter -> [Float] in
                guard let value = checkpoint.extraTensors["best.\(parameter.name)"], value.count == parameter.value.count else {
                    throw TrainingError.incompleteCheckpoint(missing: "the best epoch's \(parameter.name)")
                }
                return value
            }
            best = (epoch, accuracy, weights)
        }
    }

    /// The dropout layers of the network, then of each replica: their mask generators' states
    /// are part of a checkpoint.
    private var dropouts: [Dropout] { ([network] + replicas).flatMap(\.layers).compactMap { $0 as? Dropout } }

    /// The epoch whose weights `finish()` keeps: the best by validation accuracy when
    /// `keepBest` is on and there is a validation split, else the last.
    package var chosenEpoch: Int { best?.epoch ?? history.count }


    private var best: (epoch: Int, accuracy: Float, weights: [[Float]])?

    /// Restores the best epoch's weights (see `chosenEpoch`) and, with a validation
    /// split, fits the softmax temperature on it. Returns that temperature (1 without).
    package func finish() -> Float {
        if let best {
            for (parameter, value) in zip(network.parameters, best.weights) { parameter.value = value }
        }
        guard validationCount > 0 else { return 1 }
        let logits = Classifier(network: network).logits(batches.undistorted(validationIndices[...]), count: validationCount)
        return fitTemperature(logits: logits, labels: validationIndices.map { Int(batches.labels[$0]) }, classes: network.classes)
    }

    private func accuracy(on indices: [Int]) -> Float {
        let predicted = Classifier(network: network).predictions(batches.undistorted(indices[...]), count: indices.count)
        let correct = zip(predicted, indices).filter { $0.0 == Int(batches.labels[$0.1]) }.count
        return Float(correct) / Float(indices.count)
    }
}

/// Pixels 0...255 as network inputs 0...1: the one normalisation used for training,
/// evaluation and people's pictures alike.
package func normalisedPixels(_ pixels: [UInt8]) -> [Float] {
    pixels.map { Float($0) * (1 / 255) }
}

/// `normalisedPixels` into a buffer.
func normalise(_ pixels: UnsafePointer<UInt8>, count: Int, into values: UnsafeMutablePointer<Float>) {
    // In C, so that the conversion vectorises for AVX2 where the CPU has it.
    Kernels.selected.table.pointee.normalise_bytes(pixels, count, values)
}
