
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One stage in an `Architecture`; the activation follows every conv and hidden dense.
package enum LayerSpec: Equatable, Sendable {
    /// `cFkK` (valid) or `cFkKs` (same padding): F filters of K x K, stride 1.
    case conv(filters: Int, kernel: Int, same: Bool)
    /// `p2`: 2x2 max pooling, stride 2.
    case maxPool
    /// `dN`: a hidden dense layer of N units.
    case dense(Int)
    /// `dropP`: dropout with rate P (e.g. `drop0.25`) while training.
    case dropout(Float)
}

/// A network's shape, parsed from the `--arch` grammar:
///
/// - `mlp:H1[,H2...]`: dense hidden layers of the given widths (`mlp:10` is 784-10-10).
/// - `cnn-small`: `conv:c8k5,p2,c16k5,p2` (the PyTorch peer's net).
/// - `cnn`: the default model's net, `conv:c32k5,p2,c64k5,p2,d384,drop0.5`.
/// - `conv:TOKENS`: comma-separated `cFkK[s]`, `p2`, `dN`, `dropP` (see `LayerSpec`).
///
/// Inputs are 28x28x1 images; a final dense layer to `classes` logits is always added (10
/// digits; 2 for the whole-digit scorer).
package struct Architecture: Equatable, Sendable, CustomStringConvertible {
    package let layers: [LayerSpec]
    package let activation: Activation
    /// How many logits the final dense layer makes: `digitClasses` unless a model says otherwise.
    package let classes: Int

    package static let inputShape = ImageShape(height: 28, width: 28, channels: 1)
    package static var inputSize: Int { inputShape.count }
    /// The ten digits: the classes of every digit model.
    package static let digitClasses = 10
    package static let presets = [
        "cnn-small": "conv:c8k5,p2,c16k5,p2",
        "cnn": "conv:c32k5,p2,c64k5,p2,d384,drop0.5",
    ]

    package init(layers: [LayerSpec], activation: Activation, classes: Int = Architecture.digitClasses) {
        precondition(classes >= 2, "Architecture: \(classes) classes")
        self.layers = layers
        self.activation = activation
        self.classes = classes
    }

    /// Parses `--arch` text; throws `ArchitectureError` saying what is wrong.
    package init(parsing text: String, activation: Activation, classes: Int = Architecture.digitClasses) throws {
        let expanded = Self.presets[text] ?? text
        func fail(_ reason: String) -> ArchitectureError { ArchitectureError(text: text, reason: reason) }
        let layers: [LayerSpec]
        if expanded.hasPrefix("mlp:") {
            let widths = expanded.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard !widths.isEmpty, widths.allSatisfy({ ($0 ?? 0) > 0 && $0! <= 16384 }) else {
                throw fail("hidden widths must be whole numbers from 1 to 16384, e.g. mlp:128 or mlp:500,300")
            }
            layers = widths.map { .dense($0!) }
        } else if expanded.hasPrefix("conv:") {
            layers = try expanded.dropFirst(5).split(separator: ",", omittingEmptySubsequences: false).map { token in
                guard let layer = Self.parseToken(String(token)) else {
                    throw fail("unknown layer '\(token)' (use cFkK, cFkKs, p2, dN, dropP)")
                }
                return layer
            }
        } else {
            throw fail("expected mlp:H1[,H2...], cnn-small, cnn or conv:LAYERS")
        }
        guard (2...1024).contains(classes) else { throw fail("\(classes) classes: a network tells 2 to 1024 apart") }
        self.init(layers: layers, activation: activation, classes: classes)
        if let problem = shapeProblem() { throw fail(problem) }
    }

    private static func parseToken(_ token: String) -> LayerSpec? {
        if token == "p2" { return .maxPool }
        if token.hasPrefix("drop"), let rate = Float(token.dropFirst(4)), rate >= 0, rate < 1 { return .dropout(rate) }
        if token.hasPrefix("d"), let width = Int(token.dropFirst()), width > 0, width <= 16384 { return .dense(width) }
        if token.hasPrefix("c"), let k = token.firstIndex(of: "k") {
            let same = token.hasSuffix("s")
            let kernelText = token[token.index(after: k)...].dropLast(same ? 1 : 0)
            if let filters = Int(token[token.index(after: token.startIndex)..<k]), let kernel = Int(kernelText),
               (1...1024).contains(filters), (1...15).contains(kernel), !same || kernel % 2 == 1 {
                return .conv(filters: filters, kernel: kernel, same: same)
            }
        }
        return nil
    }

    /// Why the layers do not fit a 28x28 input, or nil when they do.
    private func shapeProblem() -> String? {
        var shape: ImageShape? = Self.inputShape
        for layer in layers {
            switch layer {
            case .conv(_, let kernel, let same):
                guard let s = shape else { return "a conv layer cannot follow a dense layer" }
                guard same || (s.height >= kernel && s.width >= kernel) else { return "the image is \(s) at a \(kernel)x\(kernel) conv" }
                shape = Self.convOutput(s, layer)
            case .maxPool:
                guard let s = shape else { return "pooling cannot follow a dense layer" }
                guard s.height >= 2, s.width >= 2 else { return "the image is \(s) at a pooling layer" }
                shape = ImageShape(height: s.height / 2, width: s.width / 2, channels: s.channels)
            case .dense:
                shape = nil
            case .dropout:
                break
            }
        }
        return nil
    }

    private static func convOutput(_ s: ImageShape, _ layer: LayerSpec) -> ImageShape {
        guard case .conv(let filters, let kernel, let same) = layer else { return s }
        let shrink = same ? 0 : kernel - 1
        return ImageShape(height: s.height - shrink, width: s.width - shrink, channels: filters)
    }

    /// Canonical text (`mlp:...` when every layer is dense, else `conv:...`).
    package var description: String {
        if layers.allSatisfy({ if case .dense = $0 { return true } else { return false } }) {
            return "mlp:" + layers.map { if case .dense(let n) = $0 { return String(n) } else { return "" } }.joined(separator: ",")
        }
        return "conv:" + layers.map { layer -> String in
            switch layer {
            case .conv(let f, let k, let same): return "c\(f)k\(k)" + (same ? "s" : "")
            case .maxPool: return "p2"
            case .dense(let n): return "d\(n)"
            case .dropout(let rate): return "drop\(rate)"
            }
        }.joined(separator: ",")
    }

    /// One layer of the network as built, with the shapes it works on: the single walk over
    /// `layers` that both `tensors` (what a model file holds) and `makeLayers` follow. Every
    /// conv and hidden dense layer is followed by its activation; a final dense layer makes
    /// the class logits.
    package enum BuiltLayer: Equatable {
        case conv(input: ImageShape, filters: Int, kernel: Int, same: Bool, name: String)
        case maxPool(input: ImageShape)
        case dense(inputs: Int, outputs: Int, name: String)
        case activation(size: Int)
        case dropout(size: Int, rate: Float)

        /// The layer's weight count and how many inputs feed each output (for initialisation).
        var weights: (name: String, count: Int, fanIn: Int)? {
            switch self {
            case let .conv(input, filters, kernel, _, name):
                let fanIn = kernel * kernel * input.channels
                return ("\(name).weight", fanIn * filters, fanIn)
            case let .dense(inputs, outputs, name): return ("\(name).weight", inputs * outputs, inputs)
            case .maxPool, .activation, .dropout: return nil
            }
        }

        /// The layer's tensors as a model file stores them: weight, then bias.
        var tensors: [(name: String, count: Int)] {
            switch self {
            case let .conv(_, filters, _, _, name): return [("\(name).weight", weights!.count), ("\(name).bias", filters)]
            case let .dense(_, outputs, name): return [("\(name).weight", weights!.count), ("\(name).bias", outputs)]
            case .maxPool, .activation, .dropout: return []
            }
        }
    }

    /// The layers as built, in order (see `BuiltLayer`).
    package var builtLayers: [BuiltLayer] {
        var built: [BuiltLayer] = []
        var shape = Self.inputShape
        var width = shape.count
        var convIndex = 0, denseIndex = 0
        for layer in layers {
            switch layer {
            case .conv(let filters, let kernel, let same):
                convIndex += 1
                built.append(.conv(input: shape, filters: filters, kernel: kernel, same: same, name: "conv\(convIndex)"))
                shape = Self.convOutput(shape, layer)
                width = shape.count
                built.append(.activation(size: width))
            case .maxPool:
                built.append(.maxPool(input: shape))
                shape = ImageShape(height: shape.height / 2, width: shape.width / 2, channels: shape.channels)
                width = shape.count
            case .dense(let units):
                denseIndex += 1
                built.append(.dense(inputs: width, outputs: units, name: "dense\(denseIndex)"))
                built.append(.activation(size: units))
                width = units
            case .dropout(let rate):
                built.append(.dropout(size: width, rate: rate))
            }
        }
        built.append(.dense(inputs: width, outputs: classes, name: "dense\(denseIndex + 1)"))
        return built
    }

    /// The network's tensors in order, named as its parameters are (`conv1.weight`,
    /// `conv1.bias`, ..., `dense1.weight`, ...), with their element counts.
    package var tensors: [(name: String, count: Int)] { builtLayers.flatMap(\.tensors) }

    /// Builds the layers with initial weights drawn from `random`: He-normal for ReLU,
    /// Xavier-normal for sigmoid and tanh; biases start at zero.
    package func makeLayers(random: inout SeededRandom) -> [Layer] {
        let gain: Float = activation == .relu ? 2 : 1
        return makeLayers(weights: { weights in
            let std = sqrtf(gain / Float(weights.fanIn))
            return (0..<weights.count).map { _ in random.normal() * std }
        }, dropoutSeed: { random.next() })
    }

    /// Builds the layers with the given weights (`weights[i]` for the i-th conv or dense layer,
    /// of the size `tensors` gives) and zero biases, drawing nothing at random: how a model
    /// file's network is made before its biases are filled in.
    package func makeLayers(weights: [[Float]]) -> [Layer] {
        var next = weights.makeIterator()
        return makeLayers(weights: { _ in next.next()! }, dropoutSeed: { 0 })
    }

    private func makeLayers(weights: ((name: String, count: Int, fanIn: Int)) -> [Float], dropoutSeed: () -> UInt64) -> [Layer] {
        builtLayers.map { layer -> Layer in
            switch layer {
            case let .conv(input, filters, kernel, same, name):
                return Conv2D(input: input, filters: filters, kernel: kernel, same: same, name: name,
                              initialWeights: weights(layer.weights!))
            case let .maxPool(input): return MaxPool2(input: input)
            case let .dense(inputs, outputs, name):
                return Dense(inputs: inputs, outputs: outputs, name: name, initialWeights: weights(layer.weights!))
            case let .activation(size): return makeActivation(activation, size: size)
            case let .dropout(size, rate): return Dropout(size: size, rate: rate, seed: dropoutSeed())
            }
        }
    }
}

/// An `--arch` text that does not describe a network.
package struct ArchitectureError: Error, CustomStringConvertible, Sendable {
    package let text: String
    package let reason: String
    package var description: String { "invalid architecture '\(text)': \(reason)" }
}
