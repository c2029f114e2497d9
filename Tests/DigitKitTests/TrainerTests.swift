@testable import DigitCompute
@testable import DigitFiles
@testable import DigitStore
import Foundation
import Testing

/// Two-class synthetic data: class 0 is a horizontal bar, class 1 a vertical bar, each at a
/// random position with a little background noise.
enum BarData {
    static func make(count: Int = 200, seed: UInt64 = 9, size: Int = 28) -> Dataset {
        var random = SeededRandom(seed: seed)
        var images = [UInt8](), labels = [UInt8]()
        for i in 0..<count {
            let label = UInt8(i % 2 == 0 ? 0 : 1)
            var image = (0..<(size * size)).map { _ in UInt8(random.integer(below: 40)) }
            let position = 4 + random.integer(below: size - 11)
            for along in 3..<(size - 3) {
                for thickness in 0..<3 {
                    let (x, y) = label == 0 ? (along, position + thickness) : (position + thickness, along)
                    image[y * size + x] = UInt8(200 + random.integer(below: 56))
                }
            }
            images += image
            labels.append(label)
        }
        return Dataset(images: images, labels: labels, rows: size, columns: size)
    }

    static let standard = make()

    static func options(_ edit: (inout TrainingOptions) -> Void = { _ in }) -> TrainingOptions {
        var options = TrainingOptions()
        options.architecture = "mlp:8"
        options.batchSize = 20
        options.epochs = 3
        options.learningRate = 0.05
        edit(&options)
        return options
    }

    /// Trains to the end; returns the trainer and the number of steps each epoch reported.
    static func train(_ options: TrainingOptions, data: Dataset = standard,
                      threads: Int = Scheduler.threads) throws -> (Trainer, [Int]) {
        let trainer = try Trainer(options: options, data: data, threads: threads)
        var stepsPerEpoch: [Int] = []
        while !trainer.isFinished {
            var reported = 0, lastTotal = 0
            _ = trainer.trainEpoch { done, total in
                #expect(done == reported + 1)
                reported = done
                lastTotal = total
            }
            #expect(reported == lastTotal)
            stepsPerEpoch.append(reported)
            if stepsPerEpoch.count > 1000 { break }
        }
        return (trainer, stepsPerEpoch)
    }

    static func encoded(_ trainer: Trainer) throws -> [UInt8] {
        let info = ModelInfo(training: trainer.options, dataset: "bars", trainingSamples: trainer.trainingCount,
                             validationSamples: trainer.validationCount, history: trainer.history, testAccuracy: nil)
        return try ModelFile.encode(Model(network: trainer.network, info: info))
    }

    /// The trainer's private split, read by reflection.
    static func split(_ trainer: Trainer) -> (training: [Int], validation: [Int]) {
        var training: [Int]?, validation: [Int]?
        for child in Mirror(reflecting: trainer).children {
            if child.label == "trainingIndices" { training = child.value as? [Int] }
            if child.label == "validationIndices" { validation = child.value as? [Int] }
        }
        return (training ?? [], validation ?? [])
    }

    static func accuracy(_ network: Network, on data: Dataset) -> Float {
        Evaluation(classifier: Classifier(network: network), data: data).accuracy
    }
}

@Suite("Trainer")
struct TrainerTests {
    @Test("Loss falls and accuracy rises on two bar patterns",
          arguments: [(OptimizerKind.sgd, Float(0.1)), (.momentum, 0.02), (.adam, 0.003)])
    func learns(optimizer: OptimizerKind, rate: Float) throws {
        let options = BarData.options {
            $0.optimizer = optimizer
            $0.learningRate = rate
            $0.epochs = 4
        }
        let before = BarData.accuracy(Network(architecture: try Architecture(parsing: "mlp:8", activation: .relu), seed: 1),
                                      on: BarData.standard)
        let (trainer, steps) = try BarData.train(options)
        #expect(steps == [10, 10, 10, 10])
        #expect(trainer.history.map(\.epoch) == [1, 2, 3, 4])
        let losses = trainer.history.map(\.loss)
        #expect(losses.last! < 0.5 * losses.first!, "losses \(losses)")
        #expect(trainer.history.last!.trainAccuracy >= trainer.history.first!.trainAccuracy)
        let after = BarData.accuracy(trainer.network, on: BarData.standard)
        #expect(after >= 0.95, "accuracy \(before) before, \(after) after")
        // It generalises to fresh bars, not just the ones it saw.
        #expect(BarData.accuracy(trainer.network, on: BarData.make(count: 100, seed: 1234)) >= 0.9)
    }

    /// The trainer splits each step into one part per thread, by sample or by input feature;
    /// the result must be the whole batch's step on one network. An odd batch (unequal parts)
    /// and a one-sample batch (parts without samples) included; mlp:20,5 gives each part
    /// several weight-gradient blocks and a hidden width that is not a multiple of the
    /// kernel's 16 columns.
    @Test("A step split into 1, 2, 3, 4 or 8 parts equals one step on the whole batch, split by sample or by input feature",
          arguments: [(21, "mlp:6,5"), (20, "mlp:20,5"), (1, "mlp:20,5"), (21, "conv:c2k5,p2,d5"), (20, "conv:c2k5,p2,d5"),
                      (1, "conv:c2k5,p2,d5")], threadCounts)
    func splitStepEqualsWholeBatchStep(shape: (batch: Int, architecture: String), threads: Int) throws {
        try expectSplitStepEqualsWholeBatchStep(batch: shape.batch, architecture: shape.architecture, optimizer: .sgd,
                                                threads: threads)
    }

    @Test("Split steps update with momentum, Adam and weight decay as one optimizer step on the whole batch",
          arguments: [OptimizerKind.momentum, .adam], ["mlp:20,5", "conv:c2k5,p2,d5"])
    func splitStepWithOptimizerState(kind: OptimizerKind, architecture: String) throws {
        for threads in [2, 3] {
            try expectSplitStepEqualsWholeBatchStep(batch: 21, architecture: architecture, optimizer: kind, steps: 3,
                                                    threads: threads)
        }
    }

    /// Trains `steps` full-batch steps split into `threads` parts and compares with the same
    /// steps taken on one network, unsplit, with `Optimizer.step(learningRate:)` on whole tensors.
    private func expectSplitStepEqualsWholeBatchStep(batch: Int, architecture: String, optimizer kind: OptimizerKind,
                                                     steps: Int = 1, threads: Int) throws {
        let data = BarData.make(count: batch)
        let options = BarData.options {
            $0.architecture = architecture
            $0.batchSize = nil
            $0.steps = steps
            $0.optimizer = kind
            $0.learningRate = kind == .sgd ? 0.5 : 0.05
            $0.weightDecay = kind == .sgd ? 0 : 0.01
        }
        let trainer = try Trainer(options: options, data: data, threads: threads)
        #expect(trainer.threads == threads)
        // The mlps' first layers hold 98% of their weights.
        #expect((trainer.step is InputFeatureSplitStep) == architecture.hasPrefix("mlp"))
        #expect((trainer.step is DataParallelStep) == architecture.hasPrefix("conv"))
        while !trainer.isFinished { _ = trainer.trainEpoch() }

        let network = Network(architecture: try Architecture(parsing: options.architecture, activation: .relu), seed: options.seed)
        let reference = Optimizer(kind: kind, parameters: network.parameters, weightDecay: options.weightDecay)
        var firstLoss: Float = 0
        for step in 0..<steps {
            let logits = network.logits(normalisedPixels(data.images), batch: batch, training: true)
            let result = softmaxCrossEntropy(logits: logits, labels: data.labels.map(Int.init), classes: 10)
            if step == 0 { firstLoss = result.loss }
            network.backward(result.gradient, batch: batch)
            reference.step(learningRate: options.learningRate)
        }
        for (trained, expected) in zip(trainer.network.parameters, network.parameters) {
            for i in expected.value.indices {
                #expect(abs(trained.value[i] - expected.value[i]) <= 1e-5 * max(1, abs(expected.value[i])),
                        "\(trained.name)[\(i)]")
            }
        }
        #expect(abs(try #require(trainer.history.first).loss - firstLoss) < 1e-5)
    }

    @Test("A run stopped mid-epoch and resumed from its checkpoint ends bit-identical to an uninterrupted one",
          arguments: ["mlp:8", "conv:c3k5,p2,drop0.25"])
    func resumeIsBitIdentical(architecture: String) throws {
        let options = BarData.options {
            $0.architecture = architecture
            $0.optimizer = .adam
            $0.learningRate = 0.01
            $0.schedule = .cosine
            $0.validationFraction = 0.2
        }
        let (whole, _) = try BarData.train(options)
        let interrupted = try Trainer(options: options, data: BarData.standard)
        _ = interrupted.trainEpoch()
        var steps = 0
        #expect(interrupted.trainEpoch(shouldStop: { steps += 1; return steps > 3 }) == nil)
        let resumed = try Trainer(resuming: interrupted.checkpoint(), data: BarData.standard)
        #expect(resumed.stepsTaken == interrupted.stepsTaken)
        while !resumed.isFinished { _ = resumed.trainEpoch() }
        #expect(try BarData.encoded(resumed) == BarData.encoded(whole))
    }

    @Test("Two runs with the same seed give bit-identical model files",
          arguments: ["mlp:8", "conv:c3k5,p2,drop0.25"])
    func sameSeedSameBytes(architecture: String) throws {
        let options = BarData.options {
            $0.architecture = architecture
            $0.optimizer = .adam
            $0.learningRate = 0.003
            $0.validationFraction = 0.2
            $0.schedule = .cosine
            $0.weightDecay = 1e-3
            $0.seed = 77
            $0.steps = architecture.hasPrefix("conv") ? 6 : 16
        }
        let (first, _) = try BarData.train(options)
        let (second, _) = try BarData.train(options)
        #expect(try BarData.encoded(first) == BarData.encoded(second))
        #expect(first.history == second.history)
        var other = options
        other.seed = 78
        let (third, _) = try BarData.train(other)
        #expect(CoreSupport.parameterBits(third.network) != CoreSupport.parameterBits(first.network))
        #expect(try BarData.encoded(third) != BarData.encoded(first))
    }

    @Test("steps limits the number of optimizer steps and overrides epochs",
          arguments: [(7, [7]), (10, [10]), (25, [10, 10, 5]), (1, [1])])
    func stepLimit(steps: Int, perEpoch: [Int]) throws {
        let options = BarData.options {
            $0.steps = steps
            $0.epochs = 1
        }
        let (trainer, reported) = try BarData.train(options)
        #expect(trainer.totalSteps == steps)
        #expect(trainer.totalEpochs == perEpoch.count)
        #expect(reported == perEpoch)
        #expect(trainer.stepsTaken == steps && trainer.isFinished)
        #expect(trainer.history.count == perEpoch.count)
    }

    @Test("Epoch arithmetic for ragged batches")
    func raggedBatches() throws {
        let trainer = try Trainer(options: BarData.options { $0.batchSize = 64; $0.epochs = 2 }, data: BarData.standard)
        #expect(trainer.batchSize == 64 && trainer.stepsPerEpoch == 4 && trainer.totalSteps == 8 && trainer.totalEpochs == 2)
        // A batch larger than the data is the whole training set.
        let huge = try Trainer(options: BarData.options { $0.batchSize = 5000 }, data: BarData.standard)
        #expect(huge.batchSize == 200 && huge.stepsPerEpoch == 1)
    }

    @Test("Full-batch gradient descent (batchSize nil) takes one step per epoch and learns")
    func fullBatch() throws {
        let options = BarData.options {
            $0.batchSize = nil
            $0.epochs = 30
            $0.learningRate = 0.2
            $0.validationFraction = 0.2
        }
        let (trainer, steps) = try BarData.train(options)
        #expect(trainer.batchSize == trainer.trainingCount && trainer.batchSize == 160)
        #expect(steps == [Int](repeating: 1, count: 30))
        let losses = trainer.history.map(\.loss)
        #expect(losses.last! < 0.5 * losses.first!, "losses \(losses)")
        #expect(BarData.accuracy(trainer.network, on: BarData.standard) >= 0.9)
    }

    @Test("The validation split has the right size, is disjoint from training, and is what validation measures",
          arguments: [(Float(0.25), 50), (0.1, 20), (0.5, 100), (0.999, 199)])
    func validationSplit(fraction: Float, expected: Int) throws {
        let trainer = try Trainer(options: BarData.options { $0.validationFraction = fraction; $0.epochs = 1 },
                                  data: BarData.standard)
        #expect(trainer.validationCount == expected && trainer.trainingCount == 200 - expected)
        let (training, validation) = BarData.split(trainer)
        #expect(training.count == trainer.trainingCount && validation.count == expected)
        #expect(Set(training).isDisjoint(with: validation))
        #expect(Set(training + validation) == Set(0..<200))
        #expect(training == training.sorted() && validation == validation.sorted())
        // Shuffled, not simply the first or last samples.
        #expect(validation != Array(0..<expected) && validation != Array((200 - expected)..<200))
        // Another seed picks another split.
        let reseeded = try Trainer(options: BarData.options { $0.validationFraction = fraction; $0.seed = 2 },
                                   data: BarData.standard)
        #expect(BarData.split(reseeded).validation != validation)

        _ = trainer.trainEpoch()
        let data = BarData.standard
        let held = Dataset(images: validation.flatMap { data.images[($0 * 784)..<(($0 + 1) * 784)] },
                           labels: validation.map { data.labels[$0] }, rows: 28, columns: 28)
        #expect(trainer.history.last?.validationAccuracy == BarData.accuracy(trainer.network, on: held))
    }

    @Test("No validation split means no validation accuracy")
    func noValidation() throws {
        let trainer = try Trainer(options: BarData.options { $0.epochs = 1 }, data: BarData.standard)
        #expect(trainer.validationCount == 0 && trainer.trainingCount == 200)
        _ = trainer.trainEpoch()
        let record = try #require(trainer.history.last)
        #expect(trainer.history.count == 1)
        #expect(record.validationAccuracy == nil)
        #expect(record.loss.isFinite && record.loss > 0)
        #expect(record.trainAccuracy >= 0 && record.trainAccuracy <= 1)
    }

    @Test("A learning rate of 0 leaves the weights as initialised")
    func zeroRate() throws {
        let (trainer, _) = try BarData.train(BarData.options { $0.learningRate = 0; $0.epochs = 1 })
        let fresh = Network(architecture: try Architecture(parsing: "mlp:8", activation: .relu), seed: 1)
        #expect(CoreSupport.parameterBits(trainer.network) == CoreSupport.parameterBits(fresh))
    }

    @Test("Images that are not 28x28, or a bad architecture, are refused")
    func refusals() {
        let small = BarData.make(count: 10, size: 16)
        #expect(throws: TrainingError.wrongImageSize(rows: 16, columns: 16)) {
            try Trainer(options: BarData.options(), data: small)
        }
        let error = #expect(throws: TrainingError.self) {
            try Trainer(options: BarData.options { $0.architecture = "mlp:0" }, data: BarData.standard)
        }
        #expect(error?.description.hasPrefix("architecture is invalid") == true)
    }

    @Test("An empty dataset is refused with an error rather than a crash")
    func emptyDataset() {
        let empty = Dataset(images: [], labels: [], rows: 28, columns: 28)
        #expect(throws: TrainingError.emptyDataset) { try Trainer(options: BarData.options(), data: empty) }
    }

    /// The core checks its own options: a batch of 0 once divided by zero in `Trainer`, checked
    /// only by the command line's flags.
    @Test("Options out of range are refused by the trainer itself, each naming the option",
          arguments: [
              ("batchSize", { (o: inout TrainingOptions) in o.batchSize = 0 }),
              ("epochs", { (o: inout TrainingOptions) in o.epochs = 0 }),
              ("steps", { (o: inout TrainingOptions) in o.steps = 0 }),
              ("learningRate", { (o: inout TrainingOptions) in o.learningRate = .nan }),
              ("validationFraction", { (o: inout TrainingOptions) in o.validationFraction = 1 }),
              ("pictureVariants", { (o: inout TrainingOptions) in o.pictureVariants = 2 }),
              ("augmentation.crop", { (o: inout TrainingOptions) in o.augmentation.crop = 15 }),
              ("augmentation.elasticSigma", { (o: inout TrainingOptions) in o.augmentation.elasticSigma = 0.1 }),
          ] as [(String, @Sendable (inout TrainingOptions) -> Void)])
    func invalidOptions(option: String, change: @Sendable (inout TrainingOptions) -> Void) {
        var options = BarData.options()
        change(&options)
        let error = #expect(throws: TrainingError.self) { try Trainer(options: options, data: BarData.standard) }
        guard case let .invalidOption(named, _)? = error else { return }
        #expect(named == option)
    }

    @Test("Picture variants without a source of them are refused, not silently left out")
    func pictureVariantsNeedASource() {
        #expect(throws: TrainingError.noPictureSource) {
            try Trainer(options: BarData.options { $0.pictureVariants = 0.5 }, data: BarData.standard)
        }
    }

    @Test("Augmented training is bit-identical for the same seed and differs from plain training")
    func augmentedDeterminism() throws {
        let options = BarData.options {
            $0.steps = 6
            $0.seed = 5
            $0.augmentation.rotation = 10
            $0.augmentation.shift = 2
            $0.augmentation.scale = 0.1
            $0.augmentation.shear = 8
        }
        let (first, _) = try BarData.train(options)
        let (second, _) = try BarData.train(options)
        #expect(try BarData.encoded(first) == BarData.encoded(second))
        var plain = options
        plain.augmentation = Augmentation()
        let (unaugmented, _) = try BarData.train(plain)
        #expect(CoreSupport.parameterBits(unaugmented.network) != CoreSupport.parameterBits(first.network))
    }

    @Test("The identity augmentation leaves a digit unchanged; a shift moves it")
    func augmentationApply() {
        var image = [Float](repeating: 0, count: 28 * 28)
        image[10 * 28 + 12] = 1
        var output = [Float](repeating: -1, count: 28 * 28)
        var random = SeededRandom(seed: 1)
        Augmentation().apply(image, side: 28, into: &output, fields: nil, random: &random)
        #expect(output == image)
        var shifted = Augmentation()
        shifted.shift = 3
        #expect(!Augmentation.standard.isIdentity)
        shifted.apply(image, side: 28, into: &output, fields: nil, random: &random)
        #expect(abs(output.reduce(0, +) - 1) < 1e-5, "a shift inside the frame keeps the ink")
        #expect(output != image)
    }

    @Test("Mirroring gives the picture or its exact mirror image, each about half the time")
    func augmentationMirror() throws {
        var image = [Float](repeating: 0, count: 28 * 28)
        image[10 * 28 + 3] = 1
        var mirrored = [Float](repeating: 0, count: 28 * 28)
        mirrored[10 * 28 + 24] = 1
        var mirror = Augmentation()
        mirror.mirror = true
        #expect(!mirror.isIdentity)
        var random = SeededRandom(seed: 5)
        var output = [Float](repeating: -1, count: 28 * 28)
        var flips = 0
        for _ in 0..<200 {
            mirror.apply(image, side: 28, into: &output, fields: nil, random: &random)
            #expect(output == image || output == mirrored)
            if output == mirrored { flips += 1 }
        }
        #expect((70...130).contains(flips))
        // A model written before the option existed has no "mirror" key.
        let old = #"{"rotation":10,"scale":0.1,"shear":10,"shift":2,"elasticAlpha":14,"elasticSigma":4}"#
        #expect(try JSONDecoder().decode(Augmentation.self, from: Data(old.utf8)) == Augmentation.standard)
    }

    @Test("Cropping moves the picture by whole pixels, up to the crop either way, without resampling")
    func augmentationCrop() {
        var image = [Float](repeating: 0, count: 28 * 28)
        image[14 * 28 + 14] = 1
        var crop = Augmentation()
        crop.crop = 2
        #expect(!crop.isIdentity)
        var random = SeededRandom(seed: 4)
        var output = [Float](repeating: -1, count: 28 * 28)
        var offsets = Set<[Int]>()
        for _ in 0..<300 {
            crop.apply(image, side: 28, into: &output, fields: nil, random: &random)
            let lit = (0..<(28 * 28)).filter { output[$0] != 0 }
            #expect(lit.count == 1 && output[lit[0]] == 1, "one whole pixel, not a blur")
            guard let pixel = lit.first else { continue }
            let dx = pixel % 28 - 14, dy = pixel / 28 - 14
            #expect(abs(dx) <= 2 && abs(dy) <= 2)
            offsets.insert([dx, dy])
        }
        #expect(offsets.count == 25, "every offset in -2...2 squared turns up")
    }

    @Test("Random erasing overwrites one rectangle of 2-40% of the picture, about as often as asked")
    func augmentationErasing() throws {
        // A constant picture out of noise's range shows exactly which pixels were erased.
        let image = [Float](repeating: 2, count: 28 * 28)
        var erase = Augmentation()
        erase.erasing = 0.5
        #expect(!erase.isIdentity)
        var random = SeededRandom(seed: 9)
        var output = [Float](repeating: -1, count: 28 * 28)
        var erased = 0
        for _ in 0..<400 {
            erase.apply(image, side: 28, into: &output, fields: nil, random: &random)
            let changed = (0..<(28 * 28)).filter { output[$0] != 2 }
            guard !changed.isEmpty else { continue }
            erased += 1
            #expect(changed.allSatisfy { (0..<1).contains(output[$0]) }, "noise is in 0..<1")
            let rows = changed.map { $0 / 28 }, columns = changed.map { $0 % 28 }
            let height = rows.max()! - rows.min()! + 1, width = columns.max()! - columns.min()! + 1
            #expect(changed.count == height * width, "one solid rectangle")
            let share = Double(changed.count) / Double(28 * 28)
            // Rounding the sides to whole pixels moves the area a little either way.
            #expect(share >= 0.01 && share <= 0.45, "erased \(share) of the picture")
        }
        #expect((160...240).contains(erased))
        let old = #"{"rotation":0,"scale":0,"shear":0,"shift":0,"elasticAlpha":0,"elasticSigma":4,"mirror":true}"#
        #expect(try JSONDecoder().decode(Augmentation.self, from: Data(old.utf8)).erasing == 0)
    }

    @Test("Elastic fields are seeded and have RMS displacement alpha / 10")
    func elasticFields() {
        // The trainer makes 512 fields (seconds in a debug build); a few suffice here.
        let fields = ElasticFields(side: 28, alpha: 20, sigma: 4, count: 3, seed: 8)
        let twin = ElasticFields(side: 28, alpha: 20, sigma: 4, count: 3, seed: 8)
        var r1 = SeededRandom(seed: 3), r2 = SeededRandom(seed: 3)
        let a = fields.pick(&r1), b = twin.pick(&r2)
        #expect(a.x == b.x && a.y == b.y && a.signX == b.signX && a.signY == b.signY)
        for component in [a.x, a.y] {
            let rms = (component.map { Double($0 * $0) }.reduce(0, +) / Double(component.count)).squareRoot()
            #expect(abs(rms - 2) < 1e-3, "rms \(rms)")
        }
        var image = [Float](repeating: 0, count: 784)
        for y in 8..<20 { for x in 12..<16 { image[y * 28 + x] = 1 } }
        var elastic = Augmentation()
        elastic.elasticAlpha = 20
        var out1 = [Float](repeating: 0, count: 784), out2 = out1
        r1 = SeededRandom(seed: 4)
        r2 = SeededRandom(seed: 4)
        elastic.apply(image, side: 28, into: &out1, fields: fields, random: &r1)
        elastic.apply(image, side: 28, into: &out2, fields: twin, random: &r2)
        #expect(out1 == out2)
        #expect(out1 != image)
        #expect(out1.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test("finish() restores the epoch with the best validation accuracy and fits a temperature")
    func keepBest() throws {
        let options = BarData.options {
            $0.epochs = 5
            $0.learningRate = 0.3
            $0.validationFraction = 0.3
            $0.keepBest = true
        }
        let trainer = try Trainer(options: options, data: BarData.standard)
        var snapshots: [[[UInt32]]] = []
        while !trainer.isFinished {
            _ = trainer.trainEpoch()
            snapshots.append(CoreSupport.parameterBits(trainer.network))
        }
        let accuracies = trainer.history.map { $0.validationAccuracy ?? -1 }
        let best = accuracies.firstIndex(of: accuracies.max()!)!
        #expect(trainer.chosenEpoch == best + 1, "validation accuracies \(accuracies)")
        let temperature = trainer.finish()
        #expect(CoreSupport.parameterBits(trainer.network) == snapshots[best])
        #expect(temperature.isFinite && temperature >= 0.05 && temperature <= 20)

        // keepBest off: the last epoch's weights stay.
        var last = options
        last.keepBest = false
        let (plain, _) = try BarData.train(last)
        let lastBits = CoreSupport.parameterBits(plain.network)
        _ = plain.finish()
        #expect(plain.chosenEpoch == 5)
        #expect(CoreSupport.parameterBits(plain.network) == lastBits)
    }

    @Test("Without a validation split finish() keeps the last weights and returns temperature 1")
    func finishWithoutValidation() throws {
        let (trainer, _) = try BarData.train(BarData.options { $0.epochs = 2 })
        let bits = CoreSupport.parameterBits(trainer.network)
        #expect(trainer.finish() == 1)
        #expect(trainer.chosenEpoch == 2)
        #expect(CoreSupport.parameterBits(trainer.network) == bits)
    }

    @Test("fitTemperature recovers the factor by which logits were sharpened")
    func temperatureFit() {
        // Labels drawn from softmax(z); the model reports 4z, so T = 4 calibrates it.
        var random = SeededRandom(seed: 12)
        let rows = 1500, classes = 5
        var logits: [Float] = [], labels: [Int] = []
        for _ in 0..<rows {
            let z = (0..<classes).map { _ in random.normal() }
            let p = softmax(z, classes: classes)
            var u = random.uniform(), label = classes - 1
            for j in 0..<classes { if u < p[j] { label = j; break }; u -= p[j] }
            logits += z.map { 4 * $0 }
            labels.append(label)
        }
        let t = fitTemperature(logits: logits, labels: labels, classes: classes)
        #expect(abs(t - 4) < 0.6, "fitted \(t)")
    }

    @Test("expectedCalibrationError on a hand-made example")
    func calibrationError() {
        // Two predictions at confidence 0.9 (one right, one wrong) and one at 0.6 (right):
        // |1.8 - 1| / 3 + |0.6 - 1| / 3 = 0.4.
        let probabilities: [Float] = [0.9, 0.1, 0.9, 0.1, 0.4, 0.6]
        let ece = expectedCalibrationError(probabilities: probabilities, labels: [0, 1, 1], classes: 2, bins: 10)
        #expect(abs(ece - 0.4) < 1e-6)
        #expect(expectedCalibrationError(probabilities: [1, 0, 0, 1], labels: [0, 1], classes: 2) == 0)
    }

    /// mlp:10 whose logits for an image lighting only pixel k are `rows[k]` (all positive):
    /// dense1 row k holds them, ReLU passes them, dense2 is the identity.
    static func craftedNetwork(_ rows: [[Float]]) throws -> Network {
        let network = Network(architecture: try Architecture(parsing: "mlp:10", activation: .relu), seed: 1)
        let p = network.parameters
        p[0].value = [Float](repeating: 0, count: 784 * 10)
        for (k, row) in rows.enumerated() { for j in 0..<10 { p[0].value[k * 10 + j] = row[j] } }
        p[1].value = [Float](repeating: 0, count: 10)
        p[2].value = (0..<100).map { $0 / 10 == $0 % 10 ? 1 : 0 }
        p[3].value = [Float](repeating: 0, count: 10)
        return network
    }

    static func oneHotImages(_ pixels: [Int]) -> [UInt8] {
        pixels.flatMap { k in (0..<784).map { $0 == k ? UInt8(255) : 0 } }
    }

    @Test("Evaluation: accuracy, confusion matrix and mistakes ordered by confidence")
    func evaluation() throws {
        func row(_ winner: Int, _ margin: Float) -> [Float] { (0..<10).map { $0 == winner ? 1 + margin : 1 } }
        // Image k shows pixel k. Predictions 3, 3, 5, 7, 3 against labels 3, 4, 5, 1, 2;
        // mistakes at 1 (margin 1), 3 (margin 4), 4 (the same logits as 1: a tie broken by index).
        let network = try Self.craftedNetwork([row(3, 2), row(3, 1), row(5, 3), row(7, 4), row(3, 1)])
        let data = Dataset(images: Self.oneHotImages([0, 1, 2, 3, 4]), labels: [3, 4, 5, 1, 2], rows: 28, columns: 28)
        let evaluation = Evaluation(classifier: Classifier(network: network), data: data)
        #expect(evaluation.predictions == [3, 3, 5, 7, 3])
        #expect(evaluation.correct == 2 && evaluation.total == 5 && evaluation.accuracy == 0.4)
        #expect(evaluation.confusion[4][3] == 1 && evaluation.confusion[3][3] == 1 && evaluation.confusion[1][7] == 1
                && evaluation.confusion[2][3] == 1 && evaluation.confusion[5][5] == 1)
        #expect(evaluation.confusion.map { $0.reduce(0, +) }.reduce(0, +) == 5)
        #expect(evaluation.errorsByConfidence == [3, 1, 4])
        // Confidence of a margin-m row: e^m / (e^m + 9).
        #expect(abs(evaluation.confidence(3) - Float(exp(4.0) / (exp(4.0) + 9))) < 1e-6)
        let probabilities = evaluation.probabilities
        for r in 0..<5 { #expect(abs(probabilities[(r * 10)..<(r * 10 + 10)].reduce(0, +) - 1) < 1e-6) }
        // A temperature flattens the probabilities but never changes a prediction.
        let warm = Evaluation(classifier: Classifier(network: network, temperature: 2), data: data)
        #expect(warm.predictions == evaluation.predictions)
        #expect(warm.confidence(3) < evaluation.confidence(3))
    }

    @Test("Classifier results do not depend on how it cuts a batch into chunks")
    func classifierChunks() throws {
        let network = Network(architecture: try Architecture(parsing: "mlp:6", activation: .tanh), seed: 2)
        let count = 1203
        let inputs = CoreSupport.randomFloats(count * 784, seed: 13, in: 0...1)
        let classifier = Classifier(network: network)
        let logits = classifier.logits(inputs, count: count)
        #expect(logits.count == count * 10)
        for (start, size) in [(0, 1), (499, 3), (1000, 203)] {
            let direct = network.logits(Array(inputs[(start * 784)..<((start + size) * 784)]), batch: size)
            #expect(CoreSupport.bits(Array(logits[(start * 10)..<((start + size) * 10)])) == CoreSupport.bits(direct))
        }
        let predictions = classifier.predictions(inputs, count: count)
        #expect(predictions.count == count && predictions.allSatisfy { (0..<10).contains($0) })
    }

    @Test("normalisedPixels maps 0...255 onto 0...1")
    func normalisation() {
        let values = normalisedPixels([0, 51, 255])
        #expect(values[0] == 0 && values[2] == 1 && abs(values[1] - 0.2) < 1e-7)
    }
}
