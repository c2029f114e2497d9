
/// A trainable tensor and the gradient of the loss with respect to it.
package final class Parameter {
    /// Name in the model file, e.g. `dense1.weight`.
    package let name: String
    /// The values; after `shareValues(with:)`, one copy shared with another parameter.
    package var value: [Float] {
        get { storage.values }
        _modify { yield &storage.values }
    }
    package var gradient: [Float]
    /// Whether L2 weight decay applies (weights yes, biases no).
    package let decays: Bool
    private var storage: Values

    package init(name: String, value: [Float], decays: Bool) {
        self.name = name
        self.storage = Values(value)
        self.gradient = [Float](repeating: 0, count: value.count)
        self.decays = decays
    }

    /// Calls `body` with the values in place (shared with the replica, if any).
    package func withUnsafeMutableValues<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.values.withUnsafeMutableBufferPointer(body)
    }

    /// Makes this parameter read and write `other`'s values from now on, keeping its own
    /// gradient: a training replica sees every update without copying the weights.
    package func shareValues(with other: Parameter) {
        precondition(other.value.count == value.count, "shared parameters must have the same size")
        storage = other.storage
    }

    private final class Values {
        var values: [Float]
        init(_ values: [Float]) { self.values = values }
    }
}

/// One stage of a network: a forward/backward pair on flat row-major batches.
///
/// Inputs are `[batch x inputSize]` and outputs `[batch x outputSize]`, each sample's
/// features contiguous (for images: channels-last, `[H x W x C]`). `forward` keeps what
/// `backward` needs; `backward` takes dLoss/dOutput for the same batch, *sets*
/// `Parameter.gradient` to this batch's parameter gradients (nothing to clear between
/// steps), and returns dLoss/dInput. `forward` with `training == false` must not change
/// the layer: inference runs one network on every thread at once.
package protocol Layer: AnyObject {
    var inputSize: Int { get }
    var outputSize: Int { get }
    var parameters: [Parameter] { get }
    func forward(_ input: [Float], batch: Int, training: Bool) -> [Float]
    func backward(_ outputGradient: [Float], batch: Int, needsInputGradient: Bool) -> [Float]
}

extension Layer {
    package var parameters: [Parameter] { [] }
}
