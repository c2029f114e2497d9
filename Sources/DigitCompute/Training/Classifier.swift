import DigitImage

/// Inference with a trained network: class probabilities for batches of inputs.
package struct Classifier {
    package let network: Network
    /// Softmax temperature (1 = the raw network; fitted values calibrate confidence).
    package let temperature: Float
    /// Most samples per forward pass: large enough for fast GEMM, small enough for cache.
    static let largestChunk = 250

    package init(network: Network, temperature: Float = 1) {
        self.network = network
        self.temperature = temperature
    }

    /// The forward passes of a batch of `count` inputs on `parts` threads: part `p` takes
    /// the `p`-th of `count` cut into `parts` equal shares (`Partition`: sizes differ by at
    /// most one), in chunks of at most `largestChunk` samples.
    static func chunks(count: Int, parts: Int) -> [[Range<Int>]] {
        Partition(count, parts: parts).map { share in
            let pieces = (share.count + largestChunk - 1) / largestChunk
            return Partition(share.count, parts: max(pieces, 1)).filter { !$0.isEmpty }
                .map { (share.lowerBound + $0.lowerBound)..<(share.lowerBound + $0.upperBound) }
        }
    }

    /// Logits `[count x classes]` for `count` inputs laid out `[count x inputSize]`.
    ///
    /// The batch is shared equally between the threads (`chunks`), each running whole
    /// forward passes: the layers keep no state when not training, so one network serves
    /// all. A sample's logits never depend on the batch around it, so the answers are the
    /// same for every thread count.
    package func logits(_ inputs: [Float], count: Int) -> [Float] {
        precondition(inputs.count >= count * network.inputSize, "logits: fewer inputs than count")
        let width = network.inputSize, classes = network.classes
        let parts = max(1, min(Scheduler.partsHere, count))
        let chunks = Self.chunks(count: count, parts: parts)
        var result = [Float](repeating: 0, count: count * classes)
        result.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            Scheduler.run(parts: parts) { part in
                for chunk in chunks[part] {
                    let logits = network.logits(Array(inputs[(chunk.lowerBound * width)..<(chunk.upperBound * width)]),
                                                batch: chunk.count)
                    logits.withUnsafeBufferPointer {
                        (outBase + chunk.lowerBound * classes).update(from: $0.baseAddress!, count: $0.count)
                    }
                }
            }
        }
        return result
    }

    /// Probabilities `[count x classes]`, each row summing to 1.
    package func probabilities(_ inputs: [Float], count: Int) -> [Float] {
        softmax(logits(inputs, count: count), classes: network.classes, temperature: temperature)
    }

    /// The most probable class of each input.
    package func predictions(_ inputs: [Float], count: Int) -> [Int] {
        let all = logits(inputs, count: count)
        let classes = network.classes
        return (0..<count).map { indexOfLargest(all, row: $0, classes: classes) }
    }
}

extension Classifier {
    /// For each picture's candidate inputs (28x28 bytes, white ink on black; at least one per
    /// picture, the likelier reading first), the candidate read most confidently and its
    /// probabilities, all candidates classified in one batch. A later candidate replaces the
    /// first only when its top probability is higher by more than `margin` (0.3 was chosen on
    /// generated validation pictures: tight crops read as light ink on dark, against cut ones
    /// misread so): a reading of the paper as ink can look confident too.
    package func mostConfident(_ candidates: [[GrayImage]], margin: Float = 0.3) -> [(choice: Int, probabilities: [Float])] {
        let all = candidates.flatMap { $0 }
        let classes = network.classes
        let probabilities = self.probabilities(normalisedPixels(all.flatMap(\.pixels)), count: all.count)
        var start = 0
        return candidates.map { options in
            precondition(!options.isEmpty, "mostConfident: a picture without candidates")
            let rows = options.indices.map { Array(probabilities[((start + $0) * classes)..<((start + $0 + 1) * classes)]) }
            start += options.count
            let best = rows.indices.map { rows[$0].max()! - ($0 == 0 ? 0 : margin) }.indexOfLargest!
            return (best, rows[best])
        }
    }
}
