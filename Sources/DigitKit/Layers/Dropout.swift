/// Inverted dropout: while training, zeroes each value with probability `rate` and
/// scales the survivors by `1 / (1 - rate)`, so inference is the identity.
///
/// The masks come from the layer's own `SeededRandom`, so training stays reproducible.
public final class Dropout: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public let rate: Float
    private var random: SeededRandom
    private var mask: [Float] = []

    /// The mask generator's state, saved in checkpoints so a resumed run draws the same masks.
    public var randomState: UInt64 {
        get { random.state }
        set { random = SeededRandom(seed: newValue) }
    }

    public init(size: Int, rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1)
        inputSize = size
        self.rate = rate
        random = SeededRandom(seed: seed)
    }

    public func forward(_ x: [Float], batch: Int, training: Bool) -> [Float] {
        guard training, rate > 0 else { return x }
        let keep = 1 / (1 - rate)
        mask = (0..<x.count).map { _ in random.uniform() < rate ? 0 : keep }
        var y = x
        for i in y.indices { y[i] *= mask[i] }
        return y
    }

    public func backward(_ dy: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
        guard needsInputGradient else { return [] }
        guard rate > 0 else { return dy }
        var dx = dy
        for i in dx.indices { dx[i] *= mask[i] }
        return dx
    }
}
