
/// One training step split by samples: the network takes the first half of the batch and
/// a replica sharing its weights the second, one on each core (forward, loss, backward);
/// then both cores update the shared weights, each taking half of every tensor.
///
/// Dense layers leave their weight gradients to the update (`Dense.defersWeightGradient`),
/// which computes them for the whole batch, block by block, just before each block's
/// update; the other gradients are the sum of the two halves'. Deterministic: the halves
/// are always the same rows and every sum runs in a fixed order.
final class DataParallelStep: TrainingStep {
    private let network: Network
    private let replica: Network
    private let optimizer: Optimizer
    private let batches: TrainingBatches

    init(network: Network, replica: Network, optimizer: Optimizer, batches: TrainingBatches) {
        self.network = network
        self.replica = replica
        self.optimizer = optimizer
        self.batches = batches
    }

    func train(on members: [Int], step: Int, learningRate: Float) -> (loss: Double, correct: Int) {
        let batch = members.count, half = (batch + 1) / 2
        // Only for this step: the network is package, and outside a step its layers keep
        // the usual contract (`backward` sets every gradient).
        let denseLayers = (network.layers + replica.layers).compactMap { $0 as? Dense }
        for dense in denseLayers { dense.defersWeightGradient = true }
        defer { for dense in denseLayers { dense.defersWeightGradient = false } }
        let result = forwardAndBackward(members, half: half, step: step)
        let weightGradients = denseWeightGradients(batch: batch, half: half)
        optimizer.step(learningRate: learningRate, addingGradientsOf: replica.parameters) { update in
            BothCores.run { part in
                for (index, count) in update.counts.enumerated() {
                    guard let dense = weightGradients[index] else {
                        update.apply(index, elements: Self.half(part, of: count, alignedTo: 16))
                        continue
                    }
                    // Blocks of about 16 KB of gradient, in whole GEMM tiles.
                    let columns = dense.layer.outputSize
                    let rows = Self.half(part, of: count / columns, alignedTo: GEMMKernel.tileHeight)
                    let blockRows = max(1, 4096 / columns / GEMMKernel.tileHeight) * GEMMKernel.tileHeight
                    for start in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
                        let block = start..<min(start + blockRows, rows.upperBound)
                        Dense.batchWeightGradient(rows: block, halves: dense.halves, into: update.gradient(index))
                        update.apply(index, elements: block.lowerBound * columns..<block.upperBound * columns,
                                     addingReplica: false)
                    }
                }
            }
        }
        return result
    }

    /// Rows `0..<half` forward and backward on `network`, the rest on `replica`. Each half's
    /// loss gradient is weighted by its share of the batch, so the two gradients add up to
    /// the whole batch's mean. Returns the summed loss (mean loss times rows) and the count
    /// of correct answers.
    private func forwardAndBackward(_ members: [Int], half: Int, step: Int) -> (loss: Double, correct: Int) {
        let batch = members.count
        var losses = [Double](repeating: 0, count: 2), corrects = [Int](repeating: 0, count: 2)
        losses.withUnsafeMutableBufferPointer { lossOut in
            corrects.withUnsafeMutableBufferPointer { correctOut in
                BothCores.run { part in
                    let net = part == 0 ? network : replica
                    let rows = part == 0 ? 0..<half : half..<batch
                    // A one-sample batch leaves the replica nothing to add.
                    guard !rows.isEmpty else { return net.zeroGradients() }
                    let input = batches.gather(members[rows], firstRow: rows.lowerBound, step: step)
                    let logits = net.logits(input, batch: rows.count, training: true)
                    let result = batches.loss(logits, for: members[rows], classes: net.classes,
                                              share: Float(rows.count) / Float(batch))
                    net.backward(result.gradient, batch: rows.count)
                    lossOut[part] = Double(result.loss) * Double(rows.count)
                    correctOut[part] = result.correct
                }
            }
        }
        return (losses[0] + losses[1], corrects[0] + corrects[1])
    }

    /// For each parameter, in `network.parameters` order: a dense layer's weight, with the
    /// network's and the replica's layer and their rows of the batch; nil otherwise.
    private func denseWeightGradients(batch: Int, half: Int) -> [(layer: Dense, halves: [(layer: Dense, batch: Int)])?] {
        zip(network.layers, replica.layers).flatMap { layer, twin in
            layer.parameters.map { parameter in
                guard let dense = layer as? Dense, let twinDense = twin as? Dense, parameter === dense.weight else { return nil }
                return (dense, [(dense, half), (twinDense, batch - half)])
            }
        }
    }

    /// Part `part` (0 or 1) of `0..<count`, split near the middle at a multiple of `alignment`.
    private static func half(_ part: Int, of count: Int, alignedTo alignment: Int) -> Range<Int> {
        let middle = min(count, (count / 2 + alignment - 1) / alignment * alignment)
        return part == 0 ? 0..<middle : middle..<count
    }
}
