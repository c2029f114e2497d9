@testable import DigitCompute
@testable import DigitEnvironment
import Testing

/// What the thread count may and may not change: inference never, a layer's split sums only
/// in their order, training only between different counts.
@Suite("Thread counts")
struct ThreadCountTests {
    /// im2col (3 filters) and direct (8 filters) convolutions, and an mlp.
    static let architectures = ["conv:c3k5,p2,d10", "conv:c8k3s,c8k3,p2,d10", "mlp:32,16"]

    @Test("Inference gives bit-identical probabilities on 1, 2, 3, 4 and 8 threads, whatever the batch",
          arguments: architectures)
    func inferenceIsIdenticalAcrossThreadCounts(architecture: String) throws {
        let network = Network(architecture: try Architecture(parsing: architecture, activation: .relu), seed: 5)
        let classifier = Classifier(network: network)
        for count in [1, 7, 256, 613] {
            let inputs = CoreSupport.randomFloats(count * network.inputSize, seed: UInt64(count), in: 0...1)
            let reference = Scheduler.withThreads(1) { classifier.probabilities(inputs, count: count) }
            for threads in threadCounts.dropFirst() {
                let probabilities = Scheduler.withThreads(threads) { classifier.probabilities(inputs, count: count) }
                #expect(CoreSupport.bits(probabilities) == CoreSupport.bits(reference), "\(count) inputs on \(threads) threads")
            }
            // One sample alone reads exactly as within the batch.
            let alone = Scheduler.withThreads(2) { classifier.probabilities(Array(inputs[..<network.inputSize]), count: 1) }
            #expect(CoreSupport.bits(alone) == CoreSupport.bits(Array(reference[..<10])))
        }
    }

    @Test("Conv2D split by samples: forward and input gradient bit-identical to one thread, weight gradient equal up to rounding",
          arguments: [3, 8], threadCounts.dropFirst())
    func convolutionSplit(filters: Int, threads: Int) {
        let shape = ImageShape(height: 12, width: 12, channels: 8)
        let batch = 13
        let x = CoreSupport.randomFloats(batch * shape.count, seed: 1)
        func run(_ threads: Int) -> (y: [Float], dx: [Float], dw: [Float], db: [Float]) {
            let layer = ConvLayerGradientTests.conv(shape, filters: filters, kernel: 3, same: true, seed: 7)
            return Scheduler.withThreads(threads) {
                let y = layer.forward(x, batch: batch, training: true)
                let dy = CoreSupport.randomFloats(y.count, seed: 2)
                let dx = layer.backward(dy, batch: batch, needsInputGradient: true)
                return (y, dx, layer.weight.gradient, layer.bias.gradient)
            }
        }
        let one = run(1), split = run(threads)
        #expect(CoreSupport.bits(split.y) == CoreSupport.bits(one.y))
        #expect(CoreSupport.bits(split.dx) == CoreSupport.bits(one.dx))
        #expect(CoreSupport.bits(split.db) == CoreSupport.bits(one.db))
        for (a, b) in zip(split.dw, one.dw) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b))) }
    }

    @Test("Training twice with the same seed and thread count gives bit-identical weights",
          arguments: ["mlp:8", "conv:c3k5,p2,drop0.25"], threadCounts)
    func trainingIsDeterministicForAThreadCount(architecture: String, threads: Int) throws {
        let options = BarData.options {
            $0.architecture = architecture
            $0.optimizer = .adam
            $0.learningRate = 0.003
            $0.steps = 6
            $0.seed = 31
        }
        let (first, _) = try BarData.train(options, threads: threads)
        let (second, _) = try BarData.train(options, threads: threads)
        #expect(CoreSupport.parameterBits(first.network) == CoreSupport.parameterBits(second.network))
        #expect(first.history == second.history)
    }

    @Test("A thread count is a whole number from 1 to the maximum: --threads first, then $DIGIT_THREADS, then the cores")
    func threadCountPolicy() throws {
        #expect(try ThreadCount.resolve(flag: "3", environment: ["DIGIT_THREADS": "5"], activeCores: 2, maximum: 64) == 3)
        #expect(try ThreadCount.resolve(flag: nil, environment: ["DIGIT_THREADS": "5"], activeCores: 2, maximum: 64) == 5)
        #expect(try ThreadCount.resolve(flag: nil, environment: ["DIGIT_THREADS": ""], activeCores: 2, maximum: 64) == 2)
        #expect(try ThreadCount.resolve(flag: nil, environment: [:], activeCores: 16, maximum: 64) == 16)
        #expect(try ThreadCount.resolve(flag: nil, environment: [:], activeCores: 100, maximum: 64) == 64)
        for bad in ["0", "-2", "x", "2.5", "", " 3", "65"] {
            #expect(throws: ThreadCountError(source: "--threads", text: bad, maximum: 64)) {
                try ThreadCount.resolve(flag: bad, environment: [:], activeCores: 2, maximum: 64)
            }
        }
        #expect(throws: ThreadCountError(source: "$DIGIT_THREADS", text: "x", maximum: 64)) {
            try ThreadCount.resolve(flag: nil, environment: ["DIGIT_THREADS": "x"], activeCores: 2, maximum: 64)
        }
    }
}
