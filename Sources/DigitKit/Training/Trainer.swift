import Dispatch

/// Minibatch training of a `Network` on a `Dataset`.
///
/// Deterministic: the same options and data give bit-identical weights, whatever the
/// machine load, because the shuffles come from `SeededRandom` and every reduction runs
/// in a fixed order.
public final class Trainer {
    public let options: TrainingOptions
    public let network: Network
    private let optimizer: Optimizer
    private let trainingIndices: [Int]
    private let validationIndices: [Int]
    private let inputs: [Float]
    private let labels: [UInt8]
    private var random: SeededRandom
    public private(set) var stepsTaken = 0
    public private(set) var history: [EpochRecord] = []

    /// Splits off the validation part of `data` and initialises the network.
    public init(options: TrainingOptions, data: Dataset) throws {
        let architecture = try Architecture(parsing: options.architecture, activation: options.activation)
        guard data.count > 0 else {
            throw DataError(path: "dataset", reason: "holds no images to train on")
        }
        guard data.pixelsPerImage == Architecture.inputSize else {
            throw DataError(path: "dataset", reason: "images are \(data.rows)x\(data.columns), the network needs 28x28")
        }
        self.options = options
        network = Network(architecture: architecture, seed: options.seed)
        optimizer = Optimizer(kind: options.optimizer, parameters: network.parameters, weightDecay: options.weightDecay)
        random = SeededRandom(seed: options.seed &+ 0x5EED)
        let order = random.permutation(data.count)
        let validationCount = Int(Float(data.count) * options.validationFraction)
        validationIndices = Array(order[..<validationCount]).sorted()
        trainingIndices = Array(order[validationCount...]).sorted()
        inputs = normalisedPixels(data.images)
        labels = data.labels
    }

    public var trainingCount: Int { trainingIndices.count }
    public var validationCount: Int { validationIndices.count }
    public var batchSize: Int { min(options.batchSize ?? trainingCount, trainingCount) }
    public var stepsPerEpoch: Int { (trainingCount + batchSize - 1) / batchSize }
    public var totalSteps: Int { options.steps ?? options.epochs * stepsPerEpoch }
    public var totalEpochs: Int { (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch }
    public var isFinished: Bool { stepsTaken >= totalSteps }

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
    public func trainEpoch(progress: (Int, Int) -> Void = { _, _ in },
                           shouldStop: () -> Bool = { false }) -> (record: EpochRecord, seconds: Double)? {
        let start = DispatchTime.now().uptimeNanoseconds
        if epochOrder.isEmpty {
            epochStartRandomState = random.state
            epochOrder = random.permutation(trainingCount).map { trainingIndices[$0] }
        }
        let stepsThisEpoch = min(stepsPerEpoch, stepInEpoch + totalSteps - stepsTaken)
        let width = network.inputSize
        var batchInput = [Float](repeating: 0, count: batchSize * width)
        while stepInEpoch < stepsThisEpoch {
            if shouldStop() {
                epochSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                return nil
            }
            let members = epochOrder[(stepInEpoch * batchSize)..<min((stepInEpoch + 1) * batchSize, epochOrder.count)]
            let batch = members.count
            if batchInput.count != batch * width { batchInput = [Float](repeating: 0, count: batch * width) }
            gather(Array(members), into: &batchInput, step: stepsTaken)
            let batchLabels = members.map { Int(labels[$0]) }
            network.zeroGradients()
            let logits = network.logits(batchInput, batch: batch, training: true)
            let result = softmaxCrossEntropy(logits: logits, labels: batchLabels, classes: network.classes)
            network.backward(result.gradient, batch: batch)
            optimizer.step(learningRate: options.schedule.rate(base: options.learningRate, step: stepsTaken, totalSteps: totalSteps))
            stepsTaken += 1
            stepInEpoch += 1
            epochLossSum += Double(result.loss) * Double(batch)
            epochCorrect += result.correct
            epochSeen += batch
            progress(stepInEpoch, stepsThisEpoch)
        }
        let seconds = epochSeconds + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let validation = validationCount > 0 ? accuracy(on: validationIndices) : nil
        let record = EpochRecord(epoch: history.count + 1, loss: Float(epochLossSum / Double(max(epochSeen, 1))),
                                 trainAccuracy: Float(epochCorrect) / Float(max(epochSeen, 1)), validationAccuracy: validation)
        history.append(record)
        if options.keepBest, let validation, validation > (best?.accuracy ?? -1) {
            best = (record.epoch, validation, network.parameters.map(\.value))
        }
        (stepInEpoch, epochLossSum, epochCorrect, epochSeen, epochSeconds) = (0, 0, 0, 0, 0)
        epochOrder = []
        return (record, seconds)
    }

    /// Everything needed to carry on training exactly where it stands: with the same
    /// data, `Trainer(resuming:)` then reaches the same final weights, bit for bit, as
    /// an uninterrupted run.
    public func checkpoint() -> Checkpoint {
        var extra: [String: [Float]] = [:]
        for (name, values) in optimizer.state { extra["optimizer.\(name)"] = values }
        if let best {
            for (parameter, value) in zip(network.parameters, best.weights) { extra["best.\(parameter.name)"] = value }
        }
        let state = TrainingState(
            stepsTaken: stepsTaken, optimizerSteps: optimizer.stepCount, history: history,
            epochStartRandomState: epochOrder.isEmpty ? random.state : epochStartRandomState,
            stepInEpoch: stepInEpoch, epochLossSum: epochLossSum, epochCorrect: epochCorrect, epochSeen: epochSeen,
            dropoutRandomStates: network.layers.compactMap { ($0 as? Dropout)?.randomState },
            bestEpoch: best?.epoch, bestAccuracy: best?.accuracy)
        return Checkpoint(network: network, options: options, state: state, extraTensors: extra)
    }

    /// Carries on from `checkpoint` on the same `data` it was made with.
    public convenience init(resuming checkpoint: Checkpoint, data: Dataset) throws {
        try self.init(options: checkpoint.options, data: data)
        let state = checkpoint.state
        for (mine, saved) in zip(network.parameters, checkpoint.network.parameters) { mine.value = saved.value }
        try optimizer.restore(checkpoint.extraTensors.filter { $0.key.hasPrefix("optimizer.") }
            .reduce(into: [:]) { $0[String($1.key.dropFirst("optimizer.".count))] = $1.value }, steps: state.optimizerSteps)
        let dropouts = network.layers.compactMap { $0 as? Dropout }
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
                    throw ModelFileError(path: "checkpoint", reason: "best-epoch weights for \(parameter.name) are missing")
                }
                return value
            }
            best = (epoch, accuracy, weights)
        }
    }

    /// The epoch whose weights `finish()` keeps: the best by validation accuracy when
    /// `keepBest` is on and there is a validation split, else the last.
    public var chosenEpoch: Int { best?.epoch ?? history.count }

    private lazy var elasticFields: ElasticFields? = options.augmentation.elasticAlpha > 0
        ? ElasticFields(side: Architecture.inputShape.width, alpha: options.augmentation.elasticAlpha,
                        sigma: options.augmentation.elasticSigma, seed: options.seed &+ 0xE1A5)
        : nil

    private var best: (epoch: Int, accuracy: Float, weights: [[Float]])?

    /// Restores the best epoch's weights (see `chosenEpoch`) and, with a validation
    /// split, fits the softmax temperature on it. Returns that temperature (1 without).
    public func finish() -> Float {
        if let best {
            for (parameter, value) in zip(network.parameters, best.weights) { parameter.value = value }
        }
        guard validationCount > 0 else { return 1 }
        let width = network.inputSize
        var selected = [Float]()
        selected.reserveCapacity(validationCount * width)
        for index in validationIndices { selected.append(contentsOf: inputs[(index * width)..<((index + 1) * width)]) }
        let logits = Classifier(network: network).logits(selected, count: validationCount)
        return fitTemperature(logits: logits, labels: validationIndices.map { Int(labels[$0]) }, classes: network.classes)
    }

    /// Copies the samples at `members` into `batch`, distorted when augmentation is on.
    /// Each sample's distortion is seeded by (seed, step, row), so both cores can share
    /// the work and the result does not depend on which core did what.
    private func gather(_ members: [Int], into batch: inout [Float], step: Int) {
        let width = network.inputSize
        let augmentation = options.augmentation
        let seed = options.seed
        let fields = elasticFields
        batch.withUnsafeMutableBufferPointer { dst in
            inputs.withUnsafeBufferPointer { src in
                let dstBase = dst.baseAddress!, srcBase = src.baseAddress!
                if augmentation.isIdentity {
                    for (row, index) in members.enumerated() {
                        (dstBase + row * width).update(from: srcBase + index * width, count: width)
                    }
                    return
                }
                forEachHalf(members.count) { rows, _ in
                    for row in rows {
                        var random = SeededRandom(seed: seed &* 0x9E37_79B9 &+ UInt64(step) &* 0x1_0000 &+ UInt64(row))
                        augmentation.apply(srcBase + members[row] * width, side: Architecture.inputShape.width,
                                           into: dstBase + row * width, fields: fields, random: &random)
                    }
                }
            }
        }
    }

    private func accuracy(on indices: [Int]) -> Float {
        let width = network.inputSize
        var selected = [Float]()
        selected.reserveCapacity(indices.count * width)
        for index in indices { selected.append(contentsOf: inputs[(index * width)..<((index + 1) * width)]) }
        let predicted = Classifier(network: network).predictions(selected, count: indices.count)
        let correct = zip(predicted, indices).filter { $0.0 == Int(labels[$0.1]) }.count
        return Float(correct) / Float(indices.count)
    }
}

/// Pixels 0...255 as network inputs 0...1: the one normalisation used for training,
/// evaluation and people's pictures alike.
public func normalisedPixels(_ pixels: [UInt8]) -> [Float] {
    pixels.map { Float($0) * (1 / 255) }
}
