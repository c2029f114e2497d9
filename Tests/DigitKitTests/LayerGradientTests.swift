@testable import DigitCompute
import Foundation
import Testing

/// Central finite differences in Float against each layer's `backward`.
///
/// The scalar loss is `L = Σ output · R` for fixed random weights R, so dL/dOutput = R.
enum GradientCheck {
    /// |analytic - numeric| must be within `relative * max(|analytic|, |numeric|) + absolute`.
    static func mismatches(_ label: String, analytic: [Float], numeric: [Float],
                           relative: Float = 1e-2, absolute: Float = 1e-3) -> [String] {
        guard analytic.count == numeric.count else {
            return ["\(label): \(analytic.count) analytic values, \(numeric.count) numeric"]
        }
        var found: [String] = []
        for i in analytic.indices {
            let a = analytic[i], n = numeric[i]
            if !(abs(a - n) <= relative * max(abs(a), abs(n)) + absolute) {
                found.append("\(label)[\(i)]: backward \(a), finite difference \(n)")
            }
        }
        return Array(found.prefix(8))
    }

    static func weightedSum(_ output: [Float], _ weights: [Float]) -> Double {
        zip(output, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Checks dL/dInput and dL/dParameter of `layer` at `input`; returns the mismatches.
    static func check(_ layer: Layer, input: [Float], batch: Int, eps: Float = 1e-2,
                      seed: UInt64 = 11, relative: Float = 1e-2, absolute: Float = 1e-3) -> [String] {
        precondition(input.count == batch * layer.inputSize)
        let weights = CoreSupport.randomFloats(batch * layer.outputSize, seed: seed)
        for parameter in layer.parameters {
            parameter.gradient = [Float](repeating: 0, count: parameter.value.count)
        }
        let output = layer.forward(input, batch: batch, training: true)
        guard output.count == batch * layer.outputSize else { return ["output has \(output.count) values"] }
        let inputGradient = layer.backward(weights, batch: batch, needsInputGradient: true)

        func loss(_ x: [Float]) -> Double {
            weightedSum(layer.forward(x, batch: batch, training: false), weights)
        }
        var numericInput = [Float](repeating: 0, count: input.count)
        for i in input.indices {
            var plus = input, minus = input
            plus[i] += eps
            minus[i] -= eps
            numericInput[i] = Float((loss(plus) - loss(minus)) / Double(plus[i] - minus[i]))
        }
        var found = mismatches("input", analytic: inputGradient, numeric: numericInput,
                               relative: relative, absolute: absolute)
        for parameter in layer.parameters {
            var numeric = [Float](repeating: 0, count: parameter.value.count)
            for i in parameter.value.indices {
                let original = parameter.value[i]
                parameter.value[i] = original + eps
                let up = parameter.value[i]
                let lossPlus = loss(input)
                parameter.value[i] = original - eps
                let down = parameter.value[i]
                let lossMinus = loss(input)
                parameter.value[i] = original
                numeric[i] = Float((lossPlus - lossMinus) / Double(up - down))
            }
            found += mismatches(parameter.name, analytic: parameter.gradient, numeric: numeric,
                                relative: relative, absolute: absolute)
        }
        return found
    }

    /// Random values in ±`range` whose magnitude is at least `gap` (away from ReLU's kink).
    static func awayFromZero(_ count: Int, seed: UInt64, range: Float = 2, gap: Float = 0.1) -> [Float] {
        CoreSupport.randomFloats(count, seed: seed, in: -1...1).map { u in
            let magnitude = gap + (range - gap) * abs(u)
            return u < 0 ? -magnitude : magnitude
        }
    }
}

@Suite("Layer gradients")
struct LayerGradientTests {
    static func dense(inputs: Int, outputs: Int, seed: UInt64) -> Dense {
        let layer = Dense(inputs: inputs, outputs: outputs, name: "test",
                          initialWeights: CoreSupport.randomFloats(inputs * outputs, seed: seed))
        layer.bias.value = CoreSupport.randomFloats(outputs, seed: seed &+ 100)
        return layer
    }

    @Test("Dense forward is X·W + b")
    func denseForward() {
        // X = [[1, 2], [3, 4]], W = [[1, 0, -1], [2, 1, 0]], b = [0.5, -1, 2].
        let layer = Dense(inputs: 2, outputs: 3, name: "d", initialWeights: [1, 0, -1, 2, 1, 0])
        layer.bias.value = [0.5, -1, 2]
        let y = layer.forward([1, 2, 3, 4], batch: 2, training: false)
        #expect(y == [5.5, 1, 1, 11.5, 3, -1])
        #expect(layer.parameters.map(\.name) == ["d.weight", "d.bias"])
        #expect(layer.weight.decays && !layer.bias.decays)
    }

    @Test("Dense backward matches finite differences",
          arguments: [(batch: 1, inputs: 1, outputs: 1), (3, 5, 4), (4, 7, 17), (2, 19, 3)])
    func denseGradient(shape: (batch: Int, inputs: Int, outputs: Int)) {
        let layer = Self.dense(inputs: shape.inputs, outputs: shape.outputs, seed: 5)
        let input = CoreSupport.randomFloats(shape.batch * shape.inputs, seed: 6)
        #expect(GradientCheck.check(layer, input: input, batch: shape.batch) == [])
    }

    @Test("Dense backward sets the same parameter gradients with or without the input gradient")
    func denseGradientsWithoutInputGradient() {
        let layer = Self.dense(inputs: 6, outputs: 4, seed: 8)
        let input = CoreSupport.randomFloats(3 * 6, seed: 9)
        let dy = CoreSupport.randomFloats(3 * 4, seed: 10)
        _ = layer.forward(input, batch: 3, training: true)
        let dx = layer.backward(dy, batch: 3, needsInputGradient: true)
        let once = (layer.weight.gradient, layer.bias.gradient)
        #expect(once.0.contains { $0 != 0 } && once.1.contains { $0 != 0 })
        #expect(layer.backward(dy, batch: 3, needsInputGradient: false).isEmpty)
        #expect(layer.weight.gradient == once.0 && layer.bias.gradient == once.1)
        // The input gradient is dY · Wᵀ, independent of how often backward ran.
        #expect(layer.backward(dy, batch: 3, needsInputGradient: true) == dx)
    }

    @Test("ReLU forward, and backward against finite differences away from 0")
    func relu() {
        let layer = ReLU(size: 6)
        #expect(layer.forward([-2, -0.5, 0, 0.25, 1, 3], batch: 1, training: false) == [0, 0, 0, 0.25, 1, 3])
        let input = GradientCheck.awayFromZero(4 * 6, seed: 21)
        #expect(GradientCheck.check(layer, input: input, batch: 4) == [])
        // Exactly: the gradient passes where the input was positive and is 0 elsewhere.
        let dy = CoreSupport.randomFloats(input.count, seed: 22)
        _ = layer.forward(input, batch: 4, training: true)
        let dx = layer.backward(dy, batch: 4, needsInputGradient: true)
        #expect(dx == zip(input, dy).map { $0 > 0 ? $1 : 0 })
    }

    @Test("Sigmoid forward values and backward against finite differences")
    func sigmoid() {
        let layer = Sigmoid(size: 5)
        let y = layer.forward([0, 2, -2, 40, -40], batch: 1, training: false)
        #expect(y[0] == 0.5)
        #expect(abs(y[1] - 0.880797) < 1e-6 && abs(y[2] - 0.119203) < 1e-6)
        #expect(y[3] == 1 && y[4] >= 0 && y[4] < 1e-17)
        let input = CoreSupport.randomFloats(3 * 5, seed: 23, in: -3...3)
        #expect(GradientCheck.check(layer, input: input, batch: 3) == [])
    }

    @Test("Tanh forward values and backward against finite differences")
    func tanhLayer() {
        let layer = Tanh(size: 5)
        let y = layer.forward([0, 1, -1, 20, -20], batch: 1, training: false)
        #expect(y[0] == 0 && abs(y[1] - 0.761594) < 1e-6 && abs(y[2] + 0.761594) < 1e-6)
        #expect(y[3] == 1 && y[4] == -1)
        let input = CoreSupport.randomFloats(3 * 5, seed: 24, in: -2.5...2.5)
        #expect(GradientCheck.check(layer, input: input, batch: 3) == [])
    }

    @Test("makeActivation builds the named layer", arguments: Activation.allCases)
    func activationFactory(activation: Activation) {
        let layer = makeActivation(activation, size: 3)
        #expect(layer.inputSize == 3 && layer.outputSize == 3 && layer.parameters.isEmpty)
        let y = layer.forward([-1, 0, 1], batch: 1, training: false)
        switch activation {
        case .relu: #expect(y == [0, 0, 1])
        case .sigmoid: #expect(abs(y[0] - 0.268941) < 1e-6 && y[1] == 0.5)
        case .tanh: #expect(abs(y[2] - 0.761594) < 1e-6 && y[1] == 0)
        }
    }

    // MARK: softmax cross-entropy

    @Test("softmaxCrossEntropy gradient matches finite differences of the loss, with and without label smoothing",
          arguments: [Float(0), 0.1, 0.5])
    func softmaxGradient(smoothing: Float) {
        let batch = 3, classes = 10
        let logits = CoreSupport.randomFloats(batch * classes, seed: 31, in: -3...3)
        let labels = [2, 9, 0]
        let result = softmaxCrossEntropy(logits: logits, labels: labels, classes: classes, smoothing: smoothing)
        let eps: Float = 1e-2
        var numeric = [Float](repeating: 0, count: logits.count)
        for i in logits.indices {
            var plus = logits, minus = logits
            plus[i] += eps
            minus[i] -= eps
            let up = Double(softmaxCrossEntropy(logits: plus, labels: labels, classes: classes, smoothing: smoothing).loss)
            let down = Double(softmaxCrossEntropy(logits: minus, labels: labels, classes: classes, smoothing: smoothing).loss)
            numeric[i] = Float((up - down) / Double(plus[i] - minus[i]))
        }
        #expect(GradientCheck.mismatches("logits", analytic: result.gradient, numeric: numeric) == [])
        // Each row of (softmax - target) / batch sums to 0.
        for r in 0..<batch {
            let rowSum = result.gradient[(r * classes)..<((r + 1) * classes)].reduce(0, +)
            #expect(abs(rowSum) < 1e-6)
        }
    }

    @Test("Label smoothing: the loss is least where softmax equals the smoothed target")
    func labelSmoothingOptimum() {
        // With ε = 0.5 over 10 classes the target is 0.55 on the label and 0.05 elsewhere:
        // logits log(0.55) and log(0.05) reach it, and the gradient vanishes there.
        let smoothing: Float = 0.5
        var logits = [Float](repeating: logf(0.05), count: 10)
        logits[4] = logf(0.55)
        let best = softmaxCrossEntropy(logits: logits, labels: [4], classes: 10, smoothing: smoothing)
        #expect(best.gradient.allSatisfy { abs($0) < 1e-6 }, "\(best.gradient)")
        // The entropy of the target: -(0.55 ln 0.55 + 9 * 0.05 ln 0.05).
        let entropy = -(0.55 * log(0.55) + 9 * 0.05 * log(0.05))
        #expect(abs(Double(best.loss) - entropy) < 1e-5)
        var sharper = logits
        sharper[4] += 1
        #expect(softmaxCrossEntropy(logits: sharper, labels: [4], classes: 10, smoothing: smoothing).loss > best.loss)
        #expect(softmaxCrossEntropy(logits: sharper, labels: [4], classes: 10).loss
                < softmaxCrossEntropy(logits: logits, labels: [4], classes: 10).loss, "without smoothing sharper is better")
    }

    @Test("softmaxCrossEntropy of all-zero logits is ln(10) with gradient (0.1 - onehot) / batch")
    func uniformLogits() {
        let result = softmaxCrossEntropy(logits: [Float](repeating: 0, count: 20), labels: [3, 7], classes: 10)
        #expect(abs(result.loss - Float(log(10.0))) < 1e-6)
        for r in 0..<2 {
            for j in 0..<10 {
                let expected: Float = ((j == [3, 7][r]) ? -0.9 : 0.1) / 2
                #expect(abs(result.gradient[r * 10 + j] - expected) < 1e-7)
            }
        }
    }

    @Test("softmaxCrossEntropy stays finite for logits of ±1000")
    func extremeLogits() {
        var logits = [Float](repeating: 0, count: 10)
        logits[4] = 1000
        logits[6] = -1000
        // Right with overwhelming confidence: loss 0, gradient 0.
        let right = softmaxCrossEntropy(logits: logits, labels: [4], classes: 10)
        #expect(right.loss == 0 && right.correct == 1)
        #expect(right.gradient.allSatisfy { $0.isFinite && abs($0) < 1e-30 })
        // Wrong: -log softmax(label) = 1000 - l_label exactly.
        let wrong = softmaxCrossEntropy(logits: logits, labels: [6], classes: 10)
        #expect(wrong.loss == 2000 && wrong.correct == 0)
        #expect(wrong.gradient[4] == 1 && wrong.gradient[6] == -1)
        let zeroLabel = softmaxCrossEntropy(logits: logits, labels: [0], classes: 10)
        #expect(zeroLabel.loss == 1000)
        // A whole row of -1000 is the uniform distribution again.
        let low = softmaxCrossEntropy(logits: [Float](repeating: -1000, count: 10), labels: [1], classes: 10)
        #expect(abs(low.loss - Float(log(10.0))) < 1e-4)  // float spacing near 1000 is 6e-5
    }

    @Test("softmaxCrossEntropy averages over the batch and counts correct argmaxes")
    func batchMean() {
        let a: [Float] = [2, 0, 0], b: [Float] = [0, 0, 5]
        let single1 = softmaxCrossEntropy(logits: a, labels: [0], classes: 3)
        let single2 = softmaxCrossEntropy(logits: b, labels: [1], classes: 3)
        let both = softmaxCrossEntropy(logits: a + b, labels: [0, 1], classes: 3)
        #expect(abs(both.loss - (single1.loss + single2.loss) / 2) < 1e-6)
        #expect(both.correct == 1)
        #expect(zip(both.gradient, single1.gradient.map { $0 / 2 } + single2.gradient.map { $0 / 2 })
            .allSatisfy { abs($0 - $1) < 1e-7 })
        // loss for [2,0,0] label 0 is log(e^2 + 2) - 2.
        #expect(abs(single1.loss - Float(log(exp(2.0) + 2) - 2)) < 1e-6)
    }

    @Test("softmax rows sum to 1, are stable and honour the temperature")
    func softmaxValues() {
        let p = softmax([1000, 1000, -1000, 0, 0, 0], classes: 3)
        #expect(p[0] == 0.5 && p[1] == 0.5 && p[2] == 0)
        #expect(p[3...].allSatisfy { abs($0 - 1.0 / 3) < 1e-7 })
        let hot = softmax([0, Float(log(3.0))], classes: 2)
        #expect(abs(hot[0] - 0.25) < 1e-6 && abs(hot[1] - 0.75) < 1e-6)
        let warm = softmax([0, Float(2 * log(3.0))], classes: 2, temperature: 2)
        #expect(abs(warm[0] - 0.25) < 1e-6 && abs(warm[1] - 0.75) < 1e-6)
    }

    // MARK: whole network

    @Test("Network mlp:5,4 parameter gradients through backward match finite differences",
          arguments: Activation.allCases)
    func networkGradient(activation: Activation) throws {
        let architecture = try Architecture(parsing: "mlp:5,4", activation: activation)
        let network = Network(architecture: architecture, seed: 42)
        #expect(network.parameters.map(\.name)
            == ["dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias", "dense3.weight", "dense3.bias"])
        #expect(network.parameterCount == 784 * 5 + 5 + 5 * 4 + 4 + 4 * 10 + 10)
        // Biases start at zero: give them values so their gradients are exercised off the origin.
        for (index, parameter) in network.parameters.enumerated() where !parameter.decays {
            parameter.value = CoreSupport.randomFloats(parameter.value.count, seed: 60 + UInt64(index), in: -0.5...0.5)
        }
        let batch = 3
        let input = CoreSupport.randomFloats(batch * 784, seed: 50, in: 0...1)
        let labels = [3, 8, 0]
        func loss() -> Double {
            let logits = network.logits(input, batch: batch, training: false)
            return Double(softmaxCrossEntropy(logits: logits, labels: labels, classes: 10).loss)
        }
        // Which ReLU inputs are positive: a finite difference that flips one crossed the
        // kink and says nothing about the derivative, so that element is skipped.
        func reluPattern() -> [Bool] {
            var x = input, pattern: [Bool] = []
            for layer in network.layers {
                if layer is ReLU { pattern += x.map { $0 > 0 } }
                x = layer.forward(x, batch: batch, training: false)
            }
            return pattern
        }
        let basePattern = reluPattern()
        var skipped = 0
        network.zeroGradients()
        let logits = network.logits(input, batch: batch, training: true)
        network.backward(softmaxCrossEntropy(logits: logits, labels: labels, classes: 10).gradient, batch: batch)

        let eps: Float = 1e-2
        var random = SeededRandom(seed: 77)
        var problems: [String] = []
        var largest: Float = 0
        for parameter in network.parameters {
            // Every element of the small tensors; a sample of the 3920 first-layer weights.
            let indices = parameter.value.count <= 60
                ? Array(parameter.value.indices)
                : (0..<60).map { _ in random.integer(below: parameter.value.count) }
            var analytic: [Float] = [], numeric: [Float] = []
            for i in indices {
                let original = parameter.value[i]
                parameter.value[i] = original + eps
                let up = loss()
                let upPattern = reluPattern()
                parameter.value[i] = original - eps
                let down = loss()
                let downPattern = reluPattern()
                parameter.value[i] = original
                if upPattern != basePattern || downPattern != basePattern {
                    skipped += 1
                    continue
                }
                analytic.append(parameter.gradient[i])
                numeric.append(Float((up - down) / Double(2 * eps)))
            }
            largest = max(largest, analytic.map(abs).max() ?? 0)
            problems += GradientCheck.mismatches(parameter.name, analytic: analytic, numeric: numeric,
                                                 relative: 2e-2, absolute: 2e-4)
        }
        #expect(problems == [])
        #expect(skipped <= 5, "\(skipped) finite differences crossed a ReLU kink")
        #expect(largest > 1e-2, "gradients too small for the check to mean anything")

        network.zeroGradients()
        #expect(network.parameters.allSatisfy { $0.gradient.allSatisfy { $0 == 0 } })
    }

    @Test("Architecture parsing accepts mlp, conv and presets, and rejects the rest")
    func architectureParsing() throws {
        let parsed = try Architecture(parsing: "mlp:500,300", activation: .tanh)
        #expect(parsed.layers == [.dense(500), .dense(300)] && parsed.activation == .tanh)
        #expect(parsed.description == "mlp:500,300")
        let conv = try Architecture(parsing: "conv:c8k5,p2,c16k3s,d32,drop0.25", activation: .relu)
        #expect(conv.layers == [.conv(filters: 8, kernel: 5, same: false), .maxPool,
                                .conv(filters: 16, kernel: 3, same: true), .dense(32), .dropout(0.25)])
        #expect(try Architecture(parsing: conv.description, activation: .relu) == conv)
        let small = try Architecture(parsing: "cnn-small", activation: .relu)
        #expect(small == (try Architecture(parsing: "conv:c8k5,p2,c16k5,p2", activation: .relu)))
        for bad in ["mlp:", "mlp", "cnn:3", "mlp:0", "mlp:-3", "mlp:5,,6", "mlp:16385", "mlp:abc", "mlp:5,",
                    "conv:", "conv:c8k4s", "conv:d10,c4k3", "conv:d10,p2", "conv:c4k29", "conv:drop1", "conv:x", "conv:p2,p2,p2,p2,p2"] {
            let error = #expect(throws: ArchitectureError.self, "\(bad)") {
                try Architecture(parsing: bad, activation: .relu)
            }
            #expect(error?.description.contains("'\(bad)'") == true)
        }
    }

    @Test("The same seed builds the same network; another seed does not")
    func seededInitialisation() throws {
        let architecture = try Architecture(parsing: "mlp:7", activation: .relu)
        let a = Network(architecture: architecture, seed: 5), b = Network(architecture: architecture, seed: 5)
        let c = Network(architecture: architecture, seed: 6)
        #expect(CoreSupport.parameterBits(a) == CoreSupport.parameterBits(b))
        #expect(CoreSupport.parameterBits(a) != CoreSupport.parameterBits(c))
        // He-normal for ReLU: std sqrt(2/784) ≈ 0.0505 for the first layer.
        let w = a.parameters[0].value
        let std = (w.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)).squareRoot()
        #expect(abs(std - (2.0 / 784).squareRoot()) < 0.005)
        #expect(a.parameters[1].value.allSatisfy { $0 == 0 })
    }
}

/// Conv2D, MaxPool2 and Dropout, checked the same way as the dense stack.
@Suite("Convolution, pooling and dropout gradients")
struct ConvLayerGradientTests {
    static func conv(_ shape: ImageShape, filters: Int, kernel: Int, same: Bool, seed: UInt64) -> Conv2D {
        let count = kernel * kernel * shape.channels * filters
        let layer = Conv2D(input: shape, filters: filters, kernel: kernel, same: same, name: "c",
                           initialWeights: CoreSupport.randomFloats(count, seed: seed))
        layer.bias.value = CoreSupport.randomFloats(filters, seed: seed &+ 1)
        return layer
    }

    @Test("Conv2D forward computed by hand (valid and same padding)")
    func convForward() {
        // One 3x3 channel [[1,2,3],[4,5,6],[7,8,9]], one 2x2 kernel [[1,0],[0,-1]] (rows ky·2+kx), bias 0.5.
        let shape = ImageShape(height: 3, width: 3, channels: 1)
        let valid = Conv2D(input: shape, filters: 1, kernel: 2, same: false, name: "c", initialWeights: [1, 0, 0, -1])
        valid.bias.value = [0.5]
        #expect(valid.output == ImageShape(height: 2, width: 2, channels: 1))
        // x[y][x] - x[y+1][x+1] = -4 everywhere, plus the bias.
        #expect(valid.forward([1, 2, 3, 4, 5, 6, 7, 8, 9], batch: 1, training: false) == [-3.5, -3.5, -3.5, -3.5])
        // 3x3 "same" kernel that picks the left neighbour (kx = 0, ky = 1): zero past the left border.
        var taps = [Float](repeating: 0, count: 9)
        taps[1 * 3 + 0] = 1
        let same = Conv2D(input: shape, filters: 1, kernel: 3, same: true, name: "c", initialWeights: taps)
        #expect(same.output == shape)
        #expect(same.forward([1, 2, 3, 4, 5, 6, 7, 8, 9], batch: 1, training: false) == [0, 1, 2, 0, 4, 5, 0, 7, 8])
        // Two input channels, two filters, 1x1 kernel: a per-pixel matrix product, channels-last.
        let mix = Conv2D(input: ImageShape(height: 1, width: 2, channels: 2), filters: 2, kernel: 1, same: false,
                         name: "c", initialWeights: [1, 2, 3, 4])  // rows = input channel, columns = filter
        #expect(mix.forward([1, 10, 2, 20], batch: 1, training: false) == [31, 42, 62, 84])
    }

    static let convShapes: [(height: Int, width: Int, channels: Int, filters: Int, kernel: Int, same: Bool, batch: Int)] = [
        (5, 6, 2, 3, 3, false, 2),
        (5, 6, 2, 3, 3, true, 3),
        (4, 4, 1, 2, 1, false, 1),
        (6, 5, 3, 2, 2, false, 2),
        (7, 7, 1, 4, 5, true, 2),
        // Multiples of 8 filters take the direct kernels: 8-wide tiles with ragged pixel and
        // tap tails, 16-wide tiles with padding, and 16 + 8.
        (7, 9, 1, 8, 5, false, 2),
        (6, 7, 3, 16, 3, true, 2),
        (5, 5, 2, 24, 3, false, 1),
        // And 8 or 16 input channels: the input gradient too.
        (6, 7, 8, 8, 3, false, 2),
        (5, 6, 16, 16, 3, true, 2),
    ]

    /// Convolution by its definition, one output at a time: the oracle for `forward`.
    static func referenceConvolution(_ layer: Conv2D, _ x: [Float], batch: Int) -> [Float] {
        let (input, output, k, pad) = (layer.input, layer.output, layer.kernel, layer.padding)
        var y = [Float](repeating: 0, count: batch * output.count)
        for n in 0..<batch {
            for oy in 0..<output.height {
                for ox in 0..<output.width {
                    for f in 0..<output.channels {
                        var sum = Double(layer.bias.value[f])
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let iy = oy + ky - pad, ix = ox + kx - pad
                                guard (0..<input.height).contains(iy), (0..<input.width).contains(ix) else { continue }
                                for c in 0..<input.channels {
                                    let tap = ((ky * k + kx) * input.channels + c) * output.channels + f
                                    sum += Double(x[n * input.count + (iy * input.width + ix) * input.channels + c])
                                        * Double(layer.weight.value[tap])
                                }
                            }
                        }
                        y[n * output.count + (oy * output.width + ox) * output.channels + f] = Float(sum)
                    }
                }
            }
        }
        return y
    }

    @Test("Conv2D forward equals the definition (direct kernels and patch matrices)", arguments: convShapes)
    func convForwardMatchesDefinition(c: (height: Int, width: Int, channels: Int, filters: Int, kernel: Int, same: Bool, batch: Int)) {
        let layer = Self.conv(ImageShape(height: c.height, width: c.width, channels: c.channels),
                              filters: c.filters, kernel: c.kernel, same: c.same, seed: 76)
        let input = CoreSupport.randomFloats(c.batch * layer.inputSize, seed: 77)
        let expected = Self.referenceConvolution(layer, input, batch: c.batch)
        let actual = layer.forward(input, batch: c.batch, training: false)
        #expect(GradientCheck.mismatches("output", analytic: actual, numeric: expected, relative: 1e-5, absolute: 1e-5) == [])
    }

    @Test("Conv2D backward matches finite differences", arguments: convShapes)
    func convGradient(c: (height: Int, width: Int, channels: Int, filters: Int, kernel: Int, same: Bool, batch: Int)) {
        let layer = Self.conv(ImageShape(height: c.height, width: c.width, channels: c.channels),
                              filters: c.filters, kernel: c.kernel, same: c.same, seed: 71)
        let input = CoreSupport.randomFloats(c.batch * layer.inputSize, seed: 72)
        #expect(GradientCheck.check(layer, input: input, batch: c.batch) == [])
    }

    /// Layers set their parameters' gradients (the trainer never clears them between steps),
    /// so stale values in the buffers must not leak into the next batch's gradients.
    @Test("Conv2D and Dense backward are deterministic and overwrite stale parameter gradients",
          arguments: [4, 16])
    func backwardOverwritesGradients(filters: Int) {
        let conv = Self.conv(ImageShape(height: 8, width: 8, channels: 2), filters: filters, kernel: 3, same: true, seed: 73)
        let dense = Dense(inputs: 12, outputs: 5, name: "d", initialWeights: CoreSupport.randomFloats(60, seed: 78))
        for (layer, batch) in [(conv as Layer, 6), (dense, 3)] {
            let input = CoreSupport.randomFloats(batch * layer.inputSize, seed: 74)
            let dy = CoreSupport.randomFloats(batch * layer.outputSize, seed: 75)
            _ = layer.forward(input, batch: batch, training: true)
            let dx1 = layer.backward(dy, batch: batch, needsInputGradient: true)
            let once = layer.parameters.map(\.gradient)
            for parameter in layer.parameters { parameter.gradient = parameter.gradient.map { _ in 1e6 } }
            let dx2 = layer.backward(dy, batch: batch, needsInputGradient: true)
            #expect(CoreSupport.bits(dx1) == CoreSupport.bits(dx2))
            #expect(layer.parameters.map { CoreSupport.bits($0.gradient) } == once.map(CoreSupport.bits))
            #expect(layer.backward(dy, batch: batch, needsInputGradient: false).isEmpty)
        }
    }

    @Test("MaxPool2 forward picks each window's maximum and drops an odd edge")
    func poolForward() {
        // 3x5x1: windows cover columns 0-3 of rows 0-1; the last row and column are dropped.
        let pool = MaxPool2(input: ImageShape(height: 3, width: 5, channels: 1))
        #expect(pool.output == ImageShape(height: 1, width: 2, channels: 1))
        let x: [Float] = [1, 9, 2, 3, 100,
                          4, 5, 8, 7, 100,
                          100, 100, 100, 100, 100]
        #expect(pool.forward(x, batch: 1, training: false) == [9, 8])
        // Channels pool separately: 2x2x2 with channel 1 the negation of channel 0.
        let two = MaxPool2(input: ImageShape(height: 2, width: 2, channels: 2))
        #expect(two.forward([1, -1, 4, -4, 3, -3, 2, -2], batch: 1, training: false) == [4, -1])
    }

    @Test("MaxPool2 backward matches finite differences on inputs without ties")
    func poolGradient() {
        let shape = ImageShape(height: 5, width: 7, channels: 2)
        let pool = MaxPool2(input: shape)
        let batch = 2
        // Distinct values 0.1 apart (shuffled), so a ±0.01 nudge never changes a window's winner.
        var random = SeededRandom(seed: 81)
        let input = random.permutation(batch * shape.count).map { Float($0) * 0.1 - 3 }
        #expect(GradientCheck.check(pool, input: input, batch: batch) == [])
        // The dropped last row and column get no gradient; each output's gradient lands once.
        let dy = CoreSupport.randomFloats(batch * pool.outputSize, seed: 82)
        _ = pool.forward(input, batch: batch, training: true)
        let dx = pool.backward(dy, batch: batch, needsInputGradient: true)
        #expect(abs(dx.reduce(0, +) - dy.reduce(0, +)) < 1e-5)
        for b in 0..<batch {
            for x in 0..<shape.width { for ch in 0..<2 { #expect(dx[b * shape.count + (4 * 7 + x) * 2 + ch] == 0) } }
            for y in 0..<shape.height { for ch in 0..<2 { #expect(dx[b * shape.count + (y * 7 + 6) * 2 + ch] == 0) } }
        }
    }

    @Test("MaxPool2 sends a tied window's gradient to its first maximum only")
    func poolTies() {
        let pool = MaxPool2(input: ImageShape(height: 2, width: 2, channels: 1))
        _ = pool.forward([3, 3, 3, 3], batch: 1, training: true)
        #expect(pool.backward([1.5], batch: 1, needsInputGradient: true) == [1.5, 0, 0, 0])
        _ = pool.forward([1, 3, 3, 2], batch: 1, training: true)
        #expect(pool.backward([2], batch: 1, needsInputGradient: true) == [0, 2, 0, 0])
    }

    /// Eight channels at a time go through the vector path, the rest one by one: both must
    /// pick each window's first maximum (values drawn from a few levels, so ties are common).
    @Test("MaxPool2 with 8 and more channels takes each window's first maximum", arguments: [8, 11, 16])
    func poolManyChannels(channels: Int) {
        let shape = ImageShape(height: 5, width: 4, channels: channels)
        let pool = MaxPool2(input: shape)
        var random = SeededRandom(seed: 83)
        let input = (0..<(2 * shape.count)).map { _ in Float(random.integer(below: 4)) }
        let y = pool.forward(input, batch: 2, training: true)
        let dx = pool.backward([Float](repeating: 1, count: y.count), batch: 2, needsInputGradient: true)
        var expectedY: [Float] = [], expectedDx = [Float](repeating: 0, count: input.count)
        for b in 0..<2 {
            for oy in 0..<2 {
                for ox in 0..<2 {
                    for c in 0..<channels {
                        let window = [(0, 0), (0, 1), (1, 0), (1, 1)].map {
                            b * shape.count + ((2 * oy + $0.0) * shape.width + 2 * ox + $0.1) * channels + c
                        }
                        let first = window.first { input[$0] == window.map { input[$0] }.max()! }!
                        expectedY.append(input[first])
                        expectedDx[first] = 1
                    }
                }
            }
        }
        #expect(y == expectedY)
        #expect(dx == expectedDx)
    }

    @Test("Dropout is the identity at inference and for rate 0")
    func dropoutIdentity() {
        let x = CoreSupport.randomFloats(50, seed: 90)
        let dropout = Dropout(size: 25, rate: 0.5, seed: 1)
        #expect(dropout.forward(x, batch: 2, training: false) == x)
        let none = Dropout(size: 25, rate: 0, seed: 1)
        #expect(none.forward(x, batch: 2, training: true) == x)
        #expect(none.backward(x, batch: 2, needsInputGradient: true) == x)
    }

    @Test("Dropout training: zeroes about rate of the values, scales the rest, and backward uses the same mask",
          arguments: [Float(0.25), 0.5, 0.9])
    func dropoutTraining(rate: Float) {
        let size = 1000, batch = 10
        let dropout = Dropout(size: size, rate: rate, seed: 3)
        let x = CoreSupport.randomFloats(size * batch, seed: 91, in: 0.5...1.5)
        let y = dropout.forward(x, batch: batch, training: true)
        let keep = 1 / (1 - rate)
        let mask = zip(y, x).map { $0 / $1 }
        #expect(zip(y, x).allSatisfy { y, x in y == 0 || abs(y - x * keep) <= 1e-6 * abs(y) })
        let dropped = y.filter { $0 == 0 }.count
        let expected = Double(rate) * Double(x.count)
        let sigma = (expected * Double(1 - rate)).squareRoot()
        #expect(abs(Double(dropped) - expected) < 4 * sigma, "\(dropped) dropped, expected about \(expected)")
        // L = Σ y·R has dL/dx = R · mask.
        let r = CoreSupport.randomFloats(x.count, seed: 92)
        let dx = dropout.backward(r, batch: batch, needsInputGradient: true)
        #expect(GradientCheck.mismatches("dropout", analytic: dx, numeric: zip(r, mask).map { $0 * $1 },
                                         relative: 1e-5, absolute: 1e-6) == [])
        #expect(dropout.backward(r, batch: batch, needsInputGradient: false).isEmpty)
        // A fresh mask each training pass, and the same masks from the same seed.
        let again = dropout.forward(x, batch: batch, training: true)
        #expect(again != y)
        let twin = Dropout(size: size, rate: rate, seed: 3)
        #expect(twin.forward(x, batch: batch, training: true) == y)
    }

    /// The loss at `input`, and which way every kink in the network went: ReLU signs and
    /// each pooling window's winner. A finite difference that changes the kinks measured
    /// no derivative, so the caller skips it.
    static func lossAndKinks(_ network: Network, input: [Float], labels: [Int]) -> (loss: Double, kinks: [Int]) {
        let batch = labels.count
        var x = input, pattern: [Int] = []
        for layer in network.layers {
            if layer is ReLU { pattern += x.map { $0 > 0 ? 1 : 0 } }
            if let pool = layer as? MaxPool2 {
                let s = pool.input, c = s.channels
                for b in 0..<batch {
                    for oy in 0..<pool.output.height {
                        for ox in 0..<pool.output.width {
                            let topLeft = b * s.count + ((2 * oy) * s.width + 2 * ox) * c
                            for ch in 0..<c {
                                var best = topLeft + ch
                                for offset in [c, s.width * c, s.width * c + c] where x[topLeft + ch + offset] > x[best] {
                                    best = topLeft + ch + offset
                                }
                                pattern.append(best)
                            }
                        }
                    }
                }
            }
            x = layer.forward(x, batch: batch, training: false)
        }
        return (Double(softmaxCrossEntropy(logits: x, labels: labels, classes: 10).loss), pattern)
    }

    @Test("A small conv network's parameter gradients match finite differences",
          arguments: [("conv:c2k5,c3k3s,d6", Activation.tanh), ("conv:c2k3,d5", .sigmoid),
                      ("conv:c3k5s,p2,c2k3,p2", .tanh), ("conv:c2k3,p2,d6", .relu)])
    func convNetworkGradient(text: String, activation: Activation) throws {
        let network = Network(architecture: try Architecture(parsing: text, activation: activation), seed: 4)
        for (index, parameter) in network.parameters.enumerated() where !parameter.decays {
            parameter.value = CoreSupport.randomFloats(parameter.value.count, seed: 200 + UInt64(index), in: -0.3...0.3)
        }
        let batch = 2
        let input = CoreSupport.randomFloats(batch * 784, seed: 201, in: 0...1)
        let labels = [7, 1]
        network.zeroGradients()
        let logits = network.logits(input, batch: batch, training: true)
        network.backward(softmaxCrossEntropy(logits: logits, labels: labels, classes: 10).gradient, batch: batch)
        let base = Self.lossAndKinks(network, input: input, labels: labels).kinks
        let eps: Float = 2e-3
        var random = SeededRandom(seed: 202)
        var problems: [String] = [], skipped = 0, checked = 0
        var largest: Float = 0
        for parameter in network.parameters {
            let indices = parameter.value.count <= 12
                ? Array(parameter.value.indices)
                : (0..<12).map { _ in random.integer(below: parameter.value.count) }
            var analytic: [Float] = [], numeric: [Float] = []
            for i in indices {
                let original = parameter.value[i]
                parameter.value[i] = original + eps
                let up = Self.lossAndKinks(network, input: input, labels: labels)
                parameter.value[i] = original - eps
                let down = Self.lossAndKinks(network, input: input, labels: labels)
                parameter.value[i] = original
                if up.kinks != base || down.kinks != base { skipped += 1; continue }
                analytic.append(parameter.gradient[i])
                numeric.append(Float((up.loss - down.loss) / Double(2 * eps)))
            }
            checked += analytic.count
            largest = max(largest, analytic.map(abs).max() ?? 0)
            problems += GradientCheck.mismatches(parameter.name, analytic: analytic, numeric: numeric,
                                                 relative: 2e-2, absolute: 3e-4)
        }
        #expect(problems == [])
        // Pooling right after the first conv makes most of its weights' differences cross a
        // winner change (those weights are covered by the layer checks); elsewhere few do.
        #expect(skipped * 2 <= checked, "\(skipped) of \(checked + skipped) finite differences crossed a kink")
        if !text.contains("p2") && activation != .relu { #expect(skipped == 0) }
        #expect(largest > 1e-2, "gradients too small for the check to mean anything")
    }
}
