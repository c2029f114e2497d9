/// Inference with a trained network: class probabilities for batches of inputs.
public struct Classifier {
    public let network: Network
    /// Softmax temperature (1 = the raw network; fitted values calibrate confidence).
    public let temperature: Float
    /// Samples per forward pass: large enough for fast GEMM, small enough for cache.
    static let chunk = 500

    public init(network: Network, temperature: Float = 1) {
        self.network = network
        self.temperature = temperature
    }

    /// Logits `[count x classes]` for `count` inputs laid out `[count x inputSize]`.
    public func logits(_ inputs: [Float], count: Int) -> [Float] {
        let width = network.inputSize
        var result = [Float]()
        result.reserveCapacity(count * network.classes)
        var start = 0
        while start < count {
            let end = min(start + Self.chunk, count)
            let slice = Array(inputs[(start * width)..<(end * width)])
            result.append(contentsOf: network.logits(slice, batch: end - start))
            start = end
        }
        return result
    }

    /// Probabilities `[count x classes]`, each row summing to 1.
    public func probabilities(_ inputs: [Float], count: Int) -> [Float] {
        softmax(logits(inputs, count: count), classes: network.classes, temperature: temperature)
    }

    /// The most probable class of each input.
    public func predictions(_ inputs: [Float], count: Int) -> [Int] {
        let all = logits(inputs, count: count)
        let classes = network.classes
        return (0..<count).map { row in
            var best = 0
            for j in 1..<classes where all[row * classes + j] > all[row * classes + best] { best = j }
            return best
        }
    }
}
