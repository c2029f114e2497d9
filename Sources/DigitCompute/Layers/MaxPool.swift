
/// 2x2 max pooling with stride 2 on channels-last images: `[B x H x W x C]` to
/// `[B x H/2 x W/2 x C]` (an odd last row or column is dropped). The gradient flows
/// to the first maximum of each window.
package final class MaxPool2: Layer {
    package let input: ImageShape
    package let output: ImageShape
    /// For each output value, the input index (within its sample) it was taken from.
    private var winners: [Int32] = []
    /// The C kernel set the forward pass runs on (tests set each in turn).
    var kernels = Kernels.selected

    package var inputSize: Int { input.count }
    package var outputSize: Int { output.count }

    package init(input: ImageShape) {
        self.input = input
        output = ImageShape(height: input.height / 2, width: input.width / 2, channels: input.channels)
        precondition(output.height > 0 && output.width > 0, "image too small to pool")
    }

    package func forward(_ x: [Float], batch: Int, training: Bool) -> [Float] {
        var y = [Float](repeating: 0, count: batch * outputSize)
        var chosen = [Int32](repeating: 0, count: training ? batch * outputSize : 0)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                chosen.withUnsafeMutableBufferPointer { cp in
                    // Branch-free in the AVX2 kernel: which of four values wins is as good as
                    // random, and mispredicted branches made this layer the slowest of cnn-small.
                    kernels.table.pointee.max_pool2(xp.baseAddress, yp.baseAddress, training ? cp.baseAddress : nil,
                                                    batch, input.height, input.width, input.channels)
                }
            }
        }
        if training { winners = chosen }
        return y
    }

    package func backward(_ dy: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
        guard needsInputGradient else { return [] }
        var dx = [Float](repeating: 0, count: batch * inputSize)
        dx.withUnsafeMutableBufferPointer { dxp in
            dy.withUnsafeBufferPointer { dyp in
                winners.withUnsafeBufferPointer { wp in
                    for b in 0..<batch {
                        let base = dxp.baseAddress! + b * inputSize
                        for o in (b * outputSize)..<((b + 1) * outputSize) { base[Int(wp[o])] += dyp[o] }
                    }
                }
            }
        }
        return dx
    }
}
