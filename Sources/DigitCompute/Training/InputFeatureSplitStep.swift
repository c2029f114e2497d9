/// One training step split by input feature, for networks whose first layer is a dense
/// layer holding nearly all the weights (`mlp:128`: 99%): each thread takes the whole batch
/// through its share of the first layer's rows (the weights of its share of the pixels),
/// and later computes and applies those rows' gradient. The rest of the network, small,
/// runs in between split by sample, on the network and its replicas.
///
/// Split by sample throughout, every thread would read the whole first weight matrix after
/// every update, most of it just written by the others: for mlp:128 that traffic (400 KB
/// per step) cost more than the arithmetic. Here each thread's rows, and their optimizer
/// state, never leave its cache; what crosses is the partial pre-activations
/// (batch x hidden) and their gradient, smaller while the batch is smaller than the
/// input. Deterministic for a given number of parts: the splits are fixed and every sum
/// runs in a fixed order.
final class InputFeatureSplitStep: TrainingStep {
    /// The network, then its replicas: one per part.
    private let networks: [Network]
    private let optimizer: Optimizer
    private let batches: TrainingBatches
    /// The network's first layer, and the index of its weight among the optimizer's parameters.
    private let first: Dense
    private let weightIndex: Int
    /// The input features (rows of the first weight matrix) of each part.
    private let features: [Range<Int>]

    /// Nil unless this split suits the network and the batch (see the type's comment):
    /// the first layer is dense with at least 90% of the weights, the batch has fewer
    /// samples than the first layer has inputs, every part gets at least one GEMM tile of
    /// them, and there is no augmentation (which distorts whole samples, so each thread
    /// would redo the others'). `replicas` share `network`'s weights; one part per network.
    init?(network: Network, replicas: [Network], optimizer: Optimizer, batches: TrainingBatches, batchSize: Int) {
        let parts = replicas.count + 1
        guard let first = network.layers.first as? Dense, replicas.allSatisfy({ $0.layers.first is Dense }),
              batches.augmentation.isIdentity, batchSize < first.inputSize,
              first.inputSize >= max(2, parts) * GEMMKernel.tileHeight,
              10 * first.weight.value.count >= 9 * network.parameterCount else { return nil }
        networks = [network] + replicas
        self.optimizer = optimizer
        self.batches = batches
        self.first = first
        weightIndex = network.parameters.firstIndex { $0 === first.weight }!
        // Split at whole GEMM tiles.
        features = Partition.aligned(first.inputSize, parts: parts, alignment: GEMMKernel.tileHeight)
    }

    func train(on members: [Int], step: Int, learningRate: Float) -> (loss: Double, correct: Int) {
        let parts = networks.count
        let samples = Array(Partition(members.count, parts: parts))
        // Per part: its features of the whole batch, [batch x features]; its partial
        // pre-activations, [batch x hidden]; dLoss/dZ for its samples, [samples x hidden].
        var inputs = [[Float]](repeating: [], count: parts), partials = inputs, zGradients = inputs
        var losses = [Double](repeating: 0, count: parts), corrects = [Int](repeating: 0, count: parts)
        inputs.withUnsafeMutableBufferPointer { inputs in
            partials.withUnsafeMutableBufferPointer { partials in
                Scheduler.run(parts: parts) { part in
                    (inputs[part], partials[part]) = partialPreactivations(members, features: features[part])
                }
            }
        }
        zGradients.withUnsafeMutableBufferPointer { zGradients in
            losses.withUnsafeMutableBufferPointer { losses in
                corrects.withUnsafeMutableBufferPointer { corrects in
                    Scheduler.run(parts: parts) { part in
                        let net = networks[part]
                        let rows = samples[part]
                        guard !rows.isEmpty else { return net.zeroGradients() }
                        var loss: Float
                        (zGradients[part], loss, corrects[part]) = rest(of: net, rows: rows, batch: members.count,
                                                                        members: members, partials: partials)
                        losses[part] = Double(loss) * Double(rows.count)
                    }
                }
            }
        }
        // The first replica's gradients are added by the optimizer as it updates; those of
        // the others are added to the network's first, in replica order.
        let replicas = networks.dropFirst()
        withGradients(of: Array(replicas.dropFirst())) { laterReplicas in
            optimizer.step(learningRate: learningRate, addingGradientsOf: replicas.first?.parameters ?? []) { update in
                Scheduler.run(parts: parts) { part in
                    firstWeightGradient(features: features[part], input: inputs[part], zGradients: zGradients,
                                        samples: samples, update: update)
                    // The other parameters are small: the first part updates them.
                    guard part == 0 else { return }
                    for (index, count) in update.counts.enumerated() where index != weightIndex {
                        addGradients(laterReplicas, index: index, elements: 0..<count, into: update.gradient(index))
                        update.apply(index, elements: 0..<count)
                    }
                }
            }
        }
        return (losses.reduce(0, +), corrects.reduce(0, +))
    }

    /// The whole batch's `features` (pixels), [batch x features], and their part of the
    /// first layer's pre-activations, `X[:, features] · W[features, :]`, [batch x hidden].
    private func partialPreactivations(_ members: [Int], features: Range<Int>) -> (input: [Float], partial: [Float]) {
        let batch = members.count, hidden = first.outputSize
        // The whole batch undistorted: the initialiser admits no augmentation.
        let x = batches.undistorted(members[...], features: features)
        let z = [Float](unsafeUninitializedCapacity: batch * hidden) { z, count in
            first.weight.value.withUnsafeBufferPointer { w in
                x.withUnsafeBufferPointer { x in
                    gemm(transA: false, transB: false, m: batch, n: hidden, k: features.count,
                         a: x.baseAddress!, lda: features.count, b: w.baseAddress! + features.lowerBound * hidden,
                         ldb: hidden, c: z.baseAddress!, ldc: hidden)
                }
            }
            count = batch * hidden
        }
        return (x, z)
    }

    /// Batch rows `rows` on `net`: the first layer's pre-activations `b + Z_0 + Z_1 + ...`
    /// (summed in part order), the rest of the network forward, the loss (weighted by the
    /// rows' share of the batch, so the parts' gradients add up to the batch mean) and
    /// backward, setting the gradients of
    /// the rest of the network and of the first bias. Returns dLoss/dZ for the rows.
    private func rest(of net: Network, rows: Range<Int>, batch: Int, members: [Int], partials: [[Float]])
        -> (zGradient: [Float], loss: Float, correct: Int) {
        let layer = net.layers[0] as! Dense, hidden = layer.outputSize
        var activations = [Float](unsafeUninitializedCapacity: rows.count * hidden) { z, count in
            layer.bias.value.withUnsafeBufferPointer { b in
                for row in rows {
                    let target = (row - rows.lowerBound) * hidden
                    (z.baseAddress! + target).update(from: b.baseAddress!, count: hidden)
                }
                for partial in partials {
                    partial.withUnsafeBufferPointer { zp in
                        for row in rows {
                            let source = row * hidden, target = (row - rows.lowerBound) * hidden
                            for j in 0..<hidden { z[target + j] += zp[source + j] }
                        }
                    }
                }
            }
            count = rows.count * hidden
        }
        let rest = net.layers.dropFirst()
        for layer in rest { activations = layer.forward(activations, batch: rows.count, training: true) }
        let result = batches.loss(activations, for: members[rows], classes: net.classes,
                                  share: Float(rows.count) / Float(batch))
        var gradient = result.gradient
        for layer in rest.reversed() { gradient = layer.backward(gradient, batch: rows.count, needsInputGradient: true) }
        // db = column sums of dZ.
        layer.bias.gradient.withUnsafeMutableBufferPointer { db in
            db.update(repeating: 0)
            gradient.withUnsafeBufferPointer { dz in
                for row in 0..<rows.count {
                    for j in 0..<hidden { db[j] += dz[row * hidden + j] }
                }
            }
        }
        return (gradient, result.loss, result.correct)
    }

    /// `dW[features, :] = X[:, features]ᵀ · dZ` over the whole batch (every part's samples,
    /// in order), in blocks of about 16 KB of gradient, each updated while it is in cache.
    private func firstWeightGradient(features: Range<Int>, input: [Float], zGradients: [[Float]], samples: [Range<Int>],
                                     update: Optimizer.Update) {
        let hidden = first.outputSize
        let blockRows = max(1, 4096 / hidden / GEMMKernel.tileHeight) * GEMMKernel.tileHeight
        input.withUnsafeBufferPointer { x in
            for start in stride(from: features.lowerBound, to: features.upperBound, by: blockRows) {
                let block = start..<min(start + blockRows, features.upperBound)
                for (part, rows) in samples.enumerated() where !rows.isEmpty {
                    zGradients[part].withUnsafeBufferPointer { dz in
                        gemm(transA: true, transB: false, m: block.count, n: hidden, k: rows.count,
                             a: x.baseAddress! + rows.lowerBound * features.count + (block.lowerBound - features.lowerBound),
                             lda: features.count, b: dz.baseAddress!, ldb: hidden,
                             beta: part == 0 ? 0 : 1, c: update.gradient(weightIndex) + block.lowerBound * hidden, ldc: hidden)
                    }
                }
                update.apply(weightIndex, elements: block.lowerBound * hidden..<block.upperBound * hidden, addingReplica: false)
            }
        }
    }
}
