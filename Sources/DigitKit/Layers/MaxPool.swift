/// 2x2 max pooling with stride 2 on channels-last images: `[B x H x W x C]` to
/// `[B x H/2 x W/2 x C]` (an odd last row or column is dropped). The gradient flows
/// to the first maximum of each window.
public final class MaxPool2: Layer {
    public let input: ImageShape
    public let output: ImageShape
    /// For each output value, the input index (within its sample) it was taken from.
    private var winners: [Int32] = []

    public var inputSize: Int { input.count }
    public var outputSize: Int { output.count }

    public init(input: ImageShape) {
        self.input = input
        output = ImageShape(height: input.height / 2, width: input.width / 2, channels: input.channels)
        precondition(output.height > 0 && output.width > 0, "image too small to pool")
    }

    public func forward(_ x: [Float], batch: Int, training: Bool) -> [Float] {
        var y = [Float](repeating: 0, count: batch * outputSize)
        var chosen = [Int32](repeating: 0, count: training ? batch * outputSize : 0)
        let c = input.channels, w = input.width
        // Offsets of a window's other three values from its top-left one, in order.
        let corners = [c, w * c, w * c + c]
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                chosen.withUnsafeMutableBufferPointer { cp in
                    for b in 0..<batch {
                        let src = xp.baseAddress! + b * inputSize
                        var o = b * outputSize
                        for oy in 0..<output.height {
                            for ox in 0..<output.width {
                                let topLeft = ((2 * oy) * w + 2 * ox) * c
                                var ch = 0
                                // Eight channels at a time, without branches: which of four
                                // values wins is as good as random, and mispredicted
                                // branches made this layer the slowest of cnn-small.
                                while ch + 8 <= c {
                                    let first = Int32(topLeft + ch)
                                    var (best, index) = (load(src + topLeft + ch), SIMD8<Int32>(repeating: first) &+ lanes)
                                    for corner in corners {
                                        let candidate = load(src + topLeft + ch + corner)
                                        let better = candidate .> best
                                        best.replace(with: candidate, where: better)
                                        index.replace(with: SIMD8<Int32>(repeating: first + Int32(corner)) &+ lanes, where: better)
                                    }
                                    UnsafeMutableRawPointer(yp.baseAddress! + o).storeBytes(of: best, as: SIMD8<Float>.self)
                                    if training {
                                        UnsafeMutableRawPointer(cp.baseAddress! + o).storeBytes(of: index, as: SIMD8<Int32>.self)
                                    }
                                    o += 8
                                    ch += 8
                                }
                                while ch < c {
                                    var best = topLeft + ch
                                    for corner in corners {
                                        best = src[topLeft + ch + corner] > src[best] ? topLeft + ch + corner : best
                                    }
                                    yp[o] = src[best]
                                    if training { cp[o] = Int32(best) }
                                    o += 1
                                    ch += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        if training { winners = chosen }
        return y
    }

    public func backward(_ dy: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
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

/// 0, 1, ..., 7: the channel offsets of one 8-wide group.
private let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
