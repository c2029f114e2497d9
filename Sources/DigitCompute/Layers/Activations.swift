
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element-wise nonlinearities a network may use between layers.
package enum Activation: String, CaseIterable, Codable, Sendable {
    case relu
    case sigmoid
    case tanh
}

/// `y = max(0, x)`; the gradient passes where the input was positive.
package final class ReLU: Layer {
    package let inputSize: Int
    package var outputSize: Int { inputSize }
    private var output: [Float] = []

    package init(size: Int) { inputSize = size }

    package func forward(_ input: [Float], batch: Int, training: Bool) -> [Float] {
        var y = input
        y.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = max(p[i], 0) }
        }
        if training { output = y }
        return y
    }

    package func backward(_ outputGradient: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
        var dx = outputGradient
        dx.withUnsafeMutableBufferPointer { d in
            output.withUnsafeBufferPointer { y in
                // Read d[i] unconditionally: the loop then vectorises at the baseline
                // instruction set (a conditional load needs AVX's masked loads).
                for i in d.indices {
                    let g = d[i]
                    d[i] = y[i] > 0 ? g : 0
                }
            }
        }
        return dx
    }
}

/// `y = 1 / (1 + e^-x)`; `dy/dx = y (1 - y)`.
package final class Sigmoid: Layer {
    package let inputSize: Int
    package var outputSize: Int { inputSize }
    private var output: [Float] = []

    package init(size: Int) { inputSize = size }

    package func forward(_ input: [Float], batch: Int, training: Bool) -> [Float] {
        let y = input.map { 1 / (1 + expf(-$0)) }
        if training { output = y }
        return y
    }

    package func backward(_ outputGradient: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
        var dx = outputGradient
        for i in dx.indices { dx[i] *= output[i] * (1 - output[i]) }
        return dx
    }
}

/// `y = tanh(x)`; `dy/dx = 1 - y²`.
package final class Tanh: Layer {
    package let inputSize: Int
    package var outputSize: Int { inputSize }
    private var output: [Float] = []

    package init(size: Int) { inputSize = size }

    package func forward(_ input: [Float], batch: Int, training: Bool) -> [Float] {
        let y = input.map { tanhf($0) }
        if training { output = y }
        return y
    }

    package func backward(_ outputGradient: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
        var dx = outputGradient
        for i in dx.indices { dx[i] *= 1 - output[i] * output[i] }
        return dx
    }
}

/// The layer for `activation` on `size` features per sample.
package func makeActivation(_ activation: Activation, size: Int) -> Layer {
    switch activation {
    case .relu: return ReLU(size: size)
    case .sigmoid: return Sigmoid(size: size)
    case .tanh: return Tanh(size: size)
    }
}
