
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
/// Inputs are 28x28x1 images; a final dense layer to 10 class logits is always added.
package struct Architecture: Equatable, Sendable, CustomStringConvertible {
    package let layers: [LayerSpec]
    package let activation: Activation

    package static let inputShape = ImageShape(height: 28, width: 28, channels: 1)
    package static var inputSize: Int { inputShape.count }
    package static let classes = 10
    package static let presets = [
        "cnn-small": "conv:c8k5,p2,c16k5,p2",
        "cnn": "conv:c32k5,p2,c64k5,p2,d384,drop0.5",
    ]

    package init(layers: [LayerSpec], activation: Activation) {
        self.layers = layers
        self.activation = activation
    }

    /// Parses `--arch` text; throws `ArchitectureError` saying what is wrong.
    package init(parsing text: String, activation: Activation) throws {
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
        self.init(layers: layers, activation: activation)
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

    /// Builds the layers with initial weights drawn from `random`: He-normal for ReLU,
    /// Xavier-normal for sigmoid and tanh; biases start at zero.
    package func makeLayers(random: inout SeededRandom) -> [Layer] {
        let gain: Float = activation == .relu ? 2 : 1
        func weights(fanIn: Int, count: Int) -> [Float] {
            let std = sqrtf(gain / Float(fanIn))
            return (0..<count).map { _ in random.normal() * std }
        }
        var built: [Layer] = []
        var shape = Self.inputShape
        var width = shape.count
        var convIndex = 0, denseIndex = 0
        for layer in layers {
            switch layer {
            case .conv(let filters, let kernel, let same):
                convIndex += 1
                let fanIn = kernel * kernel * shape.channels
                let conv = Conv2D(input: shape, filters: filters, kernel: kernel, same: same, name: "conv\(convIndex)",
                                  initialWeights: weights(fanIn: fanIn, count: fanIn * filters))
                built.append(conv)
                built.append(makeActivation(activation, size: conv.outputSize))
                shape = conv.output
                width = shape.count
            case .maxPool:
                let pool = MaxPool2(input: shape)
                built.append(pool)
                shape = pool.output
                width = shape.count
            case .dense(let units):
                denseIndex += 1
                built.append(Dense(inputs: width, outputs: units, name: "dense\(denseIndex)",
                                   initialWeights: weights(fanIn: width, count: width * units)))
                built.append(makeActivation(activation, size: units))
                width = units
            case .dropout(let rate):
                built.append(Dropout(size: width, rate: rate, seed: random.next()))
            }
        }
        denseIndex += 1
        built.append(Dense(inputs: width, outputs: Self.classes, name: "dense\(denseIndex)",
                           initialWeights: weights(fanIn: width, count: width * Self.classes)))
        return built
    }
}

/// An `--arch` text that does not describe a network.
package struct ArchitectureError: Error, CustomStringConvertible, Sendable {
    package let text: String
    package let reason: String
    package var description: String { "invalid architecture '\(text)': \(reason)" }
}
