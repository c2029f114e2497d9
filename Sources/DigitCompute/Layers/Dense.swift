
/// Fully connected layer: `Y[B x out] = X[B x in] · W[in x out] + b[out]`.
package final class Dense: Layer {
    package let inputSize: Int
    package let outputSize: Int
    /// `[in x out]`, row-major.
    package let weight: Parameter
    /// `[out]`.
    package let bias: Parameter
    /// When set, `backward` leaves `weight.gradient` alone and keeps dY instead, so a
    /// data-parallel trainer can compute the whole batch's weight gradient from all its parts
    /// at once, in row blocks next to the update (`batchWeightGradient`).
    package var defersWeightGradient = false {
        didSet { if !defersWeightGradient { outputGradient = [] } }
    }
    private var input: [Float] = []
    private var outputGradient: [Float] = []

    package init(inputs: Int, outputs: Int, name: String, initialWeights: [Float]) {
        precondition(initialWeights.count == inputs * outputs)
        inputSize = inputs
        outputSize = outputs
        weight = Parameter(name: "\(name).weight", value: initialWeights, decays: true)
        bias = Parameter(name: "\(name).bias", value: [Float](repeating: 0, count: outputs), decays: false)
    }

    package var parameters: [Parameter] { [weight, bias] }

    package func forward(_ input: [Float], batch: Int, training: Bool) -> [Float] {
        if training { self.input = input }
        var output = [Float](repeating: 0, count: batch * outputSize)
        output.withUnsafeMutableBufferPointer { y in
            bias.value.withUnsafeBufferPointer { b in
                for row in 0..<batch {
                    (y.baseAddress! + row * outputSize).update(from: b.baseAddress!, count: outputSize)
                }
            }
        }
        gemm(m: batch, n: outputSize, k: inputSize, input, weight.value, beta: 1, into: &output)
        return output
    }

    package func backward(_ outputGradient: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
        // dW[in x out] = Xᵀ · dY ; db = column sums of dY ; dX[B x in] = dY · Wᵀ
        if defersWeightGradient {
            self.outputGradient = outputGradient
        } else {
            gemm(transA: true, m: inputSize, n: outputSize, k: batch, input, outputGradient,
                 beta: 0, into: &weight.gradient)
        }
        bias.gradient.withUnsafeMutableBufferPointer { db in
            db.update(repeating: 0)
            outputGradient.withUnsafeBufferPointer { dy in
                for row in 0..<batch {
                    for j in 0..<outputSize { db[j] += dy[row * outputSize + j] }
                }
            }
        }
        guard needsInputGradient else { return [] }
        var inputGradient = [Float](repeating: 0, count: batch * inputSize)
        gemm(transB: true, m: batch, n: inputSize, k: outputSize, outputGradient, weight.value,
             into: &inputGradient)
        return inputGradient
    }
}

extension Dense {
    /// Rows `rows` of the weight gradient of a batch that `parts` (twins, with
    /// `defersWeightGradient` set) took forward and backward in parts of `batch` samples
    /// each: `dW[rows] = Σ Xᵀ[rows] · dY` over the parts in order, written to `gradient`
    /// (the `[in x out]` tensor's first element). Parts of no samples are skipped.
    static func batchWeightGradient(rows: Range<Int>, parts: [(layer: Dense, batch: Int)],
                                    into gradient: UnsafeMutablePointer<Float>) {
        guard let first = parts.first?.layer, !rows.isEmpty else { return }
        let columns = first.outputSize
        var beta: Float = 0
        for (layer, batch) in parts where batch > 0 {
            precondition(layer.defersWeightGradient && layer.input.count == batch * layer.inputSize
                         && layer.outputGradient.count == batch * columns, "dense: no deferred batch to use")
            layer.input.withUnsafeBufferPointer { x in
                layer.outputGradient.withUnsafeBufferPointer { dy in
                    // Xᵀ[rows] is columns `rows` of X stored [batch x in].
                    gemm(transA: true, transB: false, m: rows.count, n: columns, k: batch,
                         a: x.baseAddress! + rows.lowerBound, lda: layer.inputSize, b: dy.baseAddress!, ldb: columns,
                         beta: beta, c: gradient + rows.lowerBound * columns, ldc: columns, parallel: false)
                }
            }
            beta = 1
        }
        if beta == 0 { (gradient + rows.lowerBound * columns).update(repeating: 0, count: rows.count * columns) }
    }
}
