#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A network's shape, parsed from the `--arch` grammar.
///
/// - `mlp:H1[,H2...]`: dense layers of the given hidden widths, each followed by the
///   activation; `mlp:` with no widths is not allowed (use `mlp:10` for 784-10-10).
/// Inputs are 28x28 gray images; the output is 10 class logits.
public struct Architecture: Equatable, Sendable, CustomStringConvertible {
    public let hiddenWidths: [Int]
    public let activation: Activation

    public static let inputSize = 784
    public static let classes = 10

    public init(hiddenWidths: [Int], activation: Activation) {
        self.hiddenWidths = hiddenWidths
        self.activation = activation
    }

    /// Parses e.g. `mlp:128` or `mlp:500,300`. Throws `ArchitectureError` on anything else.
    public init(parsing text: String, activation: Activation) throws {
        guard text.hasPrefix("mlp:") else {
            throw ArchitectureError(text: text, reason: "expected mlp:H1[,H2...]")
        }
        let widths = text.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard !widths.isEmpty, widths.allSatisfy({ $0 != nil && $0! > 0 && $0! <= 16384 }) else {
            throw ArchitectureError(text: text, reason: "hidden widths must be whole numbers from 1 to 16384")
        }
        self.init(hiddenWidths: widths.map { $0! }, activation: activation)
    }

    /// The `--arch` text that parses back to this architecture.
    public var description: String { "mlp:" + hiddenWidths.map(String.init).joined(separator: ",") }

    /// Builds the layers with initial weights drawn from `random`: He-normal for ReLU,
    /// Xavier-normal for sigmoid and tanh; biases start at zero.
    public func makeLayers(random: inout SeededRandom) -> [Layer] {
        var layers: [Layer] = []
        var width = Self.inputSize
        for (index, hidden) in (hiddenWidths + [Self.classes]).enumerated() {
            let gain: Float = activation == .relu ? 2 : 1
            let std = sqrtf(gain / Float(width))
            let weights = (0..<(width * hidden)).map { _ in random.normal() * std }
            layers.append(Dense(inputs: width, outputs: hidden, name: "dense\(index + 1)", initialWeights: weights))
            if index < hiddenWidths.count { layers.append(makeActivation(activation, size: hidden)) }
            width = hidden
        }
        return layers
    }
}

/// An `--arch` text that does not describe a network.
public struct ArchitectureError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "invalid architecture '\(text)': \(reason)" }
}
