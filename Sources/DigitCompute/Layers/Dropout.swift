
/// Inverted dropout: while training, zeroes each value with probability `rate` and
/// scales the survivors by `1 / (1 - rate)`, so inference is the identity.
///
/// The masks come from the layer's own `SeededRandom`, so training stays reproducible.
package final class Dropout: Layer {
    package let inputSize: Int
    package var outputSize: Int { inputSize }
    package let rate: Float
    private var random: SeededRandom
    private var mask: [Float] = []

    /// The mask generator's state, saved in checkpoints so a resumed run draws the same masks.
    package var randomState: UInt64 {
        get { random.state }
        set { random = SeededRandom(seed: newValue) }
    }

    package init(size: Int, rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1)
        inputSize = size
        self.rate = rate
        random = SeededRandom(seed: seed)
    }

    package func forward(_ x: [Float], batch: Int, training: Bool) -> [Float] {
        guard training, rate > 0 else { return x }
        let keep = 1 / (1 - rate)
        mask = (0..<x.count).map { _ in random.uniform() < rate ? 0 : keep }
        var y = x
        for i in y.indices { y[i] *= mask[i] }
        return y
    }

    package func backward(_ dy: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
        guard needsInputGradient else { return [] }
        guard rate > 0 else { return dy }
        var dx = dy
        for i in dx.indices { dx[i] *= mask[i] }
        return dx
    }
}
