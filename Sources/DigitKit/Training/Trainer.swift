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

    /// Trains one epoch (or what is left of `steps`), calling `progress(done, total)`
    /// after each step, and returns the epoch's record with its training time.
    public func trainEpoch(progress: (Int, Int) -> Void = { _, _ in }) -> (record: EpochRecord, seconds: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let order = random.permutation(trainingCount).map { trainingIndices[$0] }
        let stepsThisEpoch = min(stepsPerEpoch, totalSteps - stepsTaken)
        var lossSum: Double = 0
        var correct = 0
        var seen = 0
        let width = network.inputSize
        var batchInput = [Float](repeating: 0, count: batchSize * width)
        for step in 0..<stepsThisEpoch {
            let members = order[(step * batchSize)..<min((step + 1) * batchSize, order.count)]
            let batch = members.count
            if batchInput.count != batch * width { batchInput = [Float](repeating: 0, count: batch * width) }
            var batchLabels = [Int]()
            batchLabels.reserveCapacity(batch)
            gather(Array(members), into: &batchInput, step: stepsTaken)
            for index in members { batchLabels.append(Int(labels[index])) }
            network.zeroGradients()
            let logits = network.logits(batchInput, batch: batch, training: true)
            let result = softmaxCrossEntropy(logits: logits, labels: batchLabels, classes: network.classes)
            network.backward(result.gradient, batch: batch)
            optimizer.step(learningRate: options.schedule.rate(base: options.learningRate, step: stepsTaken, totalSteps: totalSteps))
            stepsTaken += 1
            lossSum += Double(result.loss) * Double(batch)
            correct += result.correct
            seen += batch
            progress(step + 1, stepsThisEpoch)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let validation = validationCount > 0 ? accuracy(on: validationIndices) : nil
        let record = EpochRecord(epoch: history.count + 1, loss: Float(lossSum / Double(max(seen, 1))),
                                 trainAccuracy: Float(correct) / Float(max(seen, 1)), validationAccuracy: validation)
        history.append(record)
        if options.keepBest, let validation, validation > (best?.accuracy ?? -1) {
            best = (record.epoch, validation, network.parameters.map(\.value))
        }
        return (record, seconds)
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
