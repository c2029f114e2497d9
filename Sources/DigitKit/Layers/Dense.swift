/// Fully connected layer: `Y[B x out] = X[B x in] · W[in x out] + b[out]`.
public final class Dense: Layer {
    public let inputSize: Int
    public let outputSize: Int
    /// `[in x out]`, row-major.
    public let weight: Parameter
    /// `[out]`.
    public let bias: Parameter
    private var input: [Float] = []

    public init(inputs: Int, outputs: Int, name: String, initialWeights: [Float]) {
        precondition(initialWeights.count == inputs * outputs)
        inputSize = inputs
        outputSize = outputs
        weight = Parameter(name: "\(name).weight", value: initialWeights, decays: true)
        bias = Parameter(name: "\(name).bias", value: [Float](repeating: 0, count: outputs), decays: false)
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ input: [Float], batch: Int, training: Bool) -> [Float] {
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

    public func backward(_ outputGradient: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
        // dW[in x out] = Xᵀ · dY ; db = column sums of dY ; dX[B x in] = dY · Wᵀ
        gemm(transA: true, m: inputSize, n: outputSize, k: batch, input, outputGradient,
             beta: 0, into: &weight.gradient)
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
