
/// A stack of layers ending in class logits.
package final class Network {
    package let architecture: Architecture
    package let layers: [Layer]

    /// A fresh network with initial weights drawn from `seed`.
    package init(architecture: Architecture, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        self.architecture = architecture
        self.layers = architecture.makeLayers(random: &random)
    }

    /// A network holding `tensors` (in `architecture.tensors` order and sizes: each layer's
    /// weight, then its bias), built without drawing initial weights.
    package init(architecture: Architecture, tensors: [[Float]]) {
        let expected = architecture.tensors
        precondition(tensors.map(\.count) == expected.map(\.count), "Network: tensors do not fit \(architecture)")
        self.architecture = architecture
        // Each layer's weight is handed over as it is; the biases are filled in after.
        layers = architecture.makeLayers(weights: stride(from: 0, to: tensors.count, by: 2).map { tensors[$0] })
        for (parameter, values) in zip(layers.flatMap(\.parameters), tensors) where parameter.name.hasSuffix(".bias") {
            parameter.value = values
        }
    }

    /// A twin to train beside this one on another thread: the same architecture, sharing
    /// this network's weights (an update to either is seen by both), with its own gradients
    /// and saved activations, and dropout masks drawn from `seed`.
    package func replica(seed: UInt64) -> Network {
        let twin = Network(architecture: architecture, seed: seed)
        for (mine, original) in zip(twin.parameters, parameters) { mine.shareValues(with: original) }
        return twin
    }

    package var parameters: [Parameter] { layers.flatMap(\.parameters) }
    package var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
    package var inputSize: Int { layers.first!.inputSize }
    package var classes: Int { layers.last!.outputSize }

    /// Logits `[batch x classes]` for inputs `[batch x inputSize]` (pixels scaled to 0...1).
    package func logits(_ input: [Float], batch: Int, training: Bool = false) -> [Float] {
        var activations = input
        for layer in layers {
            activations = layer.forward(activations, batch: batch, training: training)
        }
        return activations
    }

    /// Back-propagates dLoss/dLogits through every layer, setting every parameter's gradient.
    package func backward(_ logitGradient: [Float], batch: Int) {
        var gradient = logitGradient
        for (index, layer) in layers.enumerated().reversed() {
            gradient = layer.backward(gradient, batch: batch, needsInputGradient: index > 0)
        }
    }

    package func zeroGradients() {
        for parameter in parameters {
            parameter.gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
    }
}
