/// One training step split by samples into one part per thread: the network takes the
/// first share of the batch and each replica (sharing its weights) the next (forward, loss,
/// backward); then every thread updates its share of every shared tensor.
///
/// Dense layers leave their weight gradients to the update (`Dense.defersWeightGradient`),
/// which computes them for the whole batch, block by block, just before each block's
/// update; the other gradients are the sum of the parts'. Deterministic for a given number
/// of parts: the shares are always the same rows (`Partition`) and every sum runs in a
/// fixed order.
final class DataParallelStep: TrainingStep {
    /// The network, then its replicas: one per part.
    private let networks: [Network]
    private let optimizer: Optimizer
    private let batches: TrainingBatches

    /// `replicas` share `network`'s weights; the step has one part per network.
    init(network: Network, replicas: [Network], optimizer: Optimizer, batches: TrainingBatches) {
        networks = [network] + replicas
        self.optimizer = optimizer
        self.batches = batches
    }

    func train(on members: [Int], step: Int, learningRate: Float) -> (loss: Double, correct: Int) {
        let samples = Partition(members.count, parts: networks.count)
        // Only for this step: the network is package, and outside a step its layers keep
        // the usual contract (`backward` sets every gradient).
        let denseLayers = networks.flatMap(\.layers).compactMap { $0 as? Dense }
        for dense in denseLayers { dense.defersWeightGradient = true }
        defer { for dense in denseLayers { dense.defersWeightGradient = false } }
        let result = forwardAndBackward(members, samples: samples, step: step)
        let weightGradients = denseWeightGradients(samples: samples)
        let parts = networks.count
        // The first replica's gradients are added by the optimizer as it updates; those of
        // the others are added to the network's first, in replica order.
        let replicas = networks.dropFirst()
        withGradients(of: Array(replicas.dropFirst())) { laterReplicas in
            optimizer.step(learningRate: learningRate, addingGradientsOf: replicas.first?.parameters ?? []) { update in
                Scheduler.run(parts: parts) { part in
                    for (index, count) in update.counts.enumerated() {
                        guard let dense = weightGradients[index] else {
                            let elements = Partition.aligned(count, parts: parts, alignment: 16)[part]
                            addGradients(laterReplicas, index: index, elements: elements, into: update.gradient(index))
                            update.apply(index, elements: elements)
                            continue
                        }
                        // Blocks of about 16 KB of gradient, in whole GEMM tiles.
                        let columns = dense.layer.outputSize
                        let rows = Partition.aligned(count / columns, parts: parts, alignment: GEMMKernel.tileHeight)[part]
                        let blockRows = max(1, 4096 / columns / GEMMKernel.tileHeight) * GEMMKernel.tileHeight
                        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
                            let block = start..<min(start + blockRows, rows.upperBound)
                            Dense.batchWeightGradient(rows: block, parts: dense.parts, into: update.gradient(index))
                            update.apply(index, elements: block.lowerBound * columns..<block.upperBound * columns,
                                         addingReplica: false)
                        }
                    }
                }
            }
        }
        return result
    }

    /// Rows `samples[p]` forward and backward on network `p`. Each part's loss gradient is
    /// weighted by its share of the batch, so the gradients add up to the whole batch's mean.
    /// Returns the summed loss (mean loss times rows) and the count of correct answers.
    private func forwardAndBackward(_ members: [Int], samples: Partition, step: Int) -> (loss: Double, correct: Int) {
        let batch = members.count
        var losses = [Double](repeating: 0, count: networks.count), corrects = [Int](repeating: 0, count: networks.count)
        losses.withUnsafeMutableBufferPointer { lossOut in
            corrects.withUnsafeMutableBufferPointer { correctOut in
                Scheduler.run(parts: networks.count) { part in
                    let net = networks[part]
                    let rows = samples[part]
                    // A batch smaller than the parts leaves some replicas nothing to add.
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
        return (losses.reduce(0, +), corrects.reduce(0, +))
    }

    /// For each parameter, in `network.parameters` order: a dense layer's weight, with the
    /// dense layer of every network and the number of rows of the batch it took; nil otherwise.
    private func denseWeightGradients(samples: Partition) -> [(layer: Dense, parts: [(layer: Dense, batch: Int)])?] {
        networks[0].layers.indices.flatMap { position -> [(layer: Dense, parts: [(layer: Dense, batch: Int)])?] in
            let layer = networks[0].layers[position]
            return layer.parameters.map { parameter in
                guard let dense = layer as? Dense, parameter === dense.weight else { return nil }
                return (dense, networks.indices.map { (networks[$0].layers[position] as! Dense, samples[$0].count) })
            }
        }
    }
}

/// Calls `body` with, for each of `networks`, the base address of each parameter's gradient
/// (in `parameters` order), all held in place until `body` returns.
func withGradients(of networks: [Network], _ body: ([[UnsafeMutablePointer<Float>]]) -> Void) {
    func pinned(from index: Int, _ gradients: [[UnsafeMutablePointer<Float>]]) {
        guard index < networks.count else { return body(gradients) }
        withBaseAddresses(networks[index].parameters, { $0.gradient.withUnsafeMutableBufferPointer($1) }) { addresses in
            pinned(from: index + 1, gradients + [addresses])
        }
    }
    pinned(from: 0, [])
}

/// Adds `elements` of parameter `index`'s gradient in each of `replicas` (from
/// `withGradients`), in order, to `gradient`.
func addGradients(_ replicas: [[UnsafeMutablePointer<Float>]], index: Int, elements: Range<Int>,
                  into gradient: UnsafeMutablePointer<Float>) {
    for replica in replicas {
        let source = replica[index]
        for i in elements { gradient[i] += source[i] }
    }
}
