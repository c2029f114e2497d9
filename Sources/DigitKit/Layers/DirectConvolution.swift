/// Register-blocked kernels for convolution without im2col, on channels-last images whose
/// output channels come in multiples of 8.
///
/// A convolution's patch matrix never needs to exist: the window of output pixel `p` at
/// tap `t` (a kernel offset and input channel) is `input[pixelOffsets[p] + tapOffsets[t]]`.
/// With few input channels (conv 1→8 on MNIST has 25 taps) im2col spends more time copying
/// patches than the product spends multiplying them; these kernels read the image in place.
/// Accumulators are locals, not arrays, so they stay in AVX registers (see `GEMMKernel`).
/// `referenceConvolution` in the tests is the oracle.
struct DirectConvolution {
    /// Offset of each output pixel's window origin in the (padded) input image.
    let pixelOffsets: [Int]
    /// Offset of each tap `(ky·k + kx)·C + c` from a window's origin.
    let tapOffsets: [Int]
    /// Output channels; a multiple of 8.
    let filters: Int
    let kernelSize: Int

    /// A `kernel x kernel` convolution of a `height x width x channels` image (already
    /// padded), output pixels in row-major order.
    init(height: Int, width: Int, channels: Int, kernel: Int, filters: Int) {
        precondition(filters % 8 == 0, "direct convolution needs a multiple of 8 output channels")
        let outputHeight = height - kernel + 1, outputWidth = width - kernel + 1
        var pixels: [Int] = []
        pixels.reserveCapacity(outputHeight * outputWidth)
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth { pixels.append((oy * width + ox) * channels) }
        }
        var taps: [Int] = []
        taps.reserveCapacity(kernel * kernel * channels)
        for ky in 0..<kernel {
            for kx in 0..<kernel {
                for c in 0..<channels { taps.append((ky * width + kx) * channels + c) }
            }
        }
        pixelOffsets = pixels
        tapOffsets = taps
        self.filters = filters
        kernelSize = kernel
    }

    /// `output[p][f] = bias[f] + Σ_t image[pixel p + tap t] · weight[t][f]`: one image.
    ///
    /// `weight` is `[taps x filters]`, `output` `[pixels x filters]` (overwritten).
    func forward(image: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 output: UnsafeMutablePointer<Float>) {
        pixelOffsets.withUnsafeBufferPointer { pixels in
            tapOffsets.withUnsafeBufferPointer { taps in
                var j0 = 0
                while j0 < filters {
                    let wide = filters - j0 >= 16
                    let tile = wide ? 4 : 6
                    var p = 0
                    while p < pixels.count {
                        let count = min(tile, pixels.count - p)
                        if wide {
                            forward4x16(image: image, pixels: pixels.baseAddress! + p, count: count, taps: taps,
                                        weight: weight + j0, bias: bias + j0, output: output + p * filters + j0)
                        } else {
                            forward6x8(image: image, pixels: pixels.baseAddress! + p, count: count, taps: taps,
                                       weight: weight + j0, bias: bias + j0, output: output + p * filters + j0)
                        }
                        p += count
                    }
                    j0 += wide ? 16 : 8
                }
            }
        }
    }

    /// `weightGradient[t][f] += Σ_p image[pixel p + tap t] · outputGradient[p][f]`: one image.
    func accumulateWeightGradient(image: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                                  into weightGradient: UnsafeMutablePointer<Float>) {
        pixelOffsets.withUnsafeBufferPointer { pixels in
            tapOffsets.withUnsafeBufferPointer { taps in
                var j0 = 0
                while j0 < filters {
                    let wide = filters - j0 >= 16
                    let tile = wide ? 4 : 7
                    var t = 0
                    while t < taps.count {
                        let count = min(tile, taps.count - t)
                        if wide {
                            gradient4x16(image: image, pixels: pixels, taps: taps.baseAddress! + t, count: count,
                                         outputGradient: outputGradient + j0, into: weightGradient + t * filters + j0)
                        } else {
                            gradient7x8(image: image, pixels: pixels, taps: taps.baseAddress! + t, count: count,
                                        outputGradient: outputGradient + j0, into: weightGradient + t * filters + j0)
                        }
                        t += count
                    }
                    j0 += wide ? 16 : 8
                }
            }
        }
    }

    /// `image[pixel p + offset o][c] += Σ_f outputGradient[p][f] · weight[o·C + c][f]` for every
    /// kernel offset `o = ky·k + kx`: the input gradient of one image (padded, as in
    /// `forward`), when its `channels` are a multiple of 8.
    ///
    /// `transposedWeight` is `transposedForInputGradient(weight)`. For one offset, distinct
    /// output pixels touch distinct input pixels, so a tile of them accumulates in registers.
    func accumulateInputGradient(outputGradient: UnsafePointer<Float>, transposedWeight: UnsafePointer<Float>,
                                 into image: UnsafeMutablePointer<Float>) {
        let channels = tapOffsets.count / offsetCount
        // Eight lanes are eight channels of one pixel; fewer channels would make the lanes
        // of neighbouring pixels overlap and lose updates.
        precondition(channels % 8 == 0, "the direct input gradient needs a multiple of 8 input channels")
        pixelOffsets.withUnsafeBufferPointer { pixels in
            for o in 0..<offsetCount {
                let offset = tapOffsets[o * channels]
                for c0 in stride(from: 0, to: channels, by: 8) {
                    let weight = transposedWeight + o * filters * channels + c0
                    var p = 0
                    while p < pixels.count {
                        let count = min(6, pixels.count - p)
                        inputGradient6x8(pixels: pixels.baseAddress! + p, count: count, offset: offset + c0,
                                         outputGradient: outputGradient + p * filters, weight: weight,
                                         channels: channels, into: image)
                        p += count
                    }
                }
            }
        }
    }

    /// Kernel offsets `k·k`.
    private var offsetCount: Int { kernelSize * kernelSize }

    /// `weight[(o·C + c) x F]` rearranged as `[o][f][c]`, for `accumulateInputGradient`.
    func transposedForInputGradient(_ weight: UnsafePointer<Float>) -> [Float] {
        let channels = tapOffsets.count / offsetCount
        var result = [Float](repeating: 0, count: tapOffsets.count * filters)
        for o in 0..<offsetCount {
            for c in 0..<channels {
                for f in 0..<filters {
                    result[(o * filters + f) * channels + c] = weight[(o * channels + c) * filters + f]
                }
            }
        }
        return result
    }

    // MARK: Forward tiles: up to 4 pixels x 16 channels, or 6 pixels x 8 channels.

    @inline(__always)
    private func forward4x16(image: UnsafePointer<Float>, pixels: UnsafePointer<Int>, count: Int,
                             taps: UnsafeBufferPointer<Int>, weight: UnsafePointer<Float>,
                             bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let f = filters
        let b0 = load(bias), b1 = load(bias + 8)
        var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
        // Missing pixels of a ragged tile repeat the last one; their sums are not stored.
        let x0 = image + pixels[0]
        let x1 = image + pixels[min(1, count - 1)]
        let x2 = image + pixels[min(2, count - 1)]
        let x3 = image + pixels[min(3, count - 1)]
        var w = weight
        for tap in taps {
            let w0 = load(w), w1 = load(w + 8)
            var v = SIMD8<Float>(repeating: x0[tap]); a00.addProduct(v, w0); a01.addProduct(v, w1)
            v = SIMD8<Float>(repeating: x1[tap]); a10.addProduct(v, w0); a11.addProduct(v, w1)
            v = SIMD8<Float>(repeating: x2[tap]); a20.addProduct(v, w0); a21.addProduct(v, w1)
            v = SIMD8<Float>(repeating: x3[tap]); a30.addProduct(v, w0); a31.addProduct(v, w1)
            w += f
        }
        store(a00, output); store(a01, output + 8)
        if count > 1 { store(a10, output + f); store(a11, output + f + 8) }
        if count > 2 { store(a20, output + 2 * f); store(a21, output + 2 * f + 8) }
        if count > 3 { store(a30, output + 3 * f); store(a31, output + 3 * f + 8) }
    }

    @inline(__always)
    private func forward6x8(image: UnsafePointer<Float>, pixels: UnsafePointer<Int>, count: Int,
                            taps: UnsafeBufferPointer<Int>, weight: UnsafePointer<Float>,
                            bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let f = filters
        let b = load(bias)
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b
        let last = count - 1
        let x0 = image + pixels[0], x1 = image + pixels[min(1, last)], x2 = image + pixels[min(2, last)]
        let x3 = image + pixels[min(3, last)], x4 = image + pixels[min(4, last)], x5 = image + pixels[min(5, last)]
        var w = weight
        for tap in taps {
            let w0 = load(w)
            a0.addProduct(SIMD8<Float>(repeating: x0[tap]), w0)
            a1.addProduct(SIMD8<Float>(repeating: x1[tap]), w0)
            a2.addProduct(SIMD8<Float>(repeating: x2[tap]), w0)
            a3.addProduct(SIMD8<Float>(repeating: x3[tap]), w0)
            a4.addProduct(SIMD8<Float>(repeating: x4[tap]), w0)
            a5.addProduct(SIMD8<Float>(repeating: x5[tap]), w0)
            w += f
        }
        store(a0, output)
        if count > 1 { store(a1, output + f) }
        if count > 2 { store(a2, output + 2 * f) }
        if count > 3 { store(a3, output + 3 * f) }
        if count > 4 { store(a4, output + 4 * f) }
        if count > 5 { store(a5, output + 5 * f) }
    }

    // MARK: Input-gradient tile: 6 pixels x 8 input channels.

    @inline(__always)
    private func inputGradient6x8(pixels: UnsafePointer<Int>, count: Int, offset: Int,
                                  outputGradient: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                  channels: Int, into image: UnsafeMutablePointer<Float>) {
        let f = filters, last = count - 1
        // Missing pixels of a ragged tile repeat the last one; only real pixels are stored.
        let x0 = image + pixels[0] + offset, x1 = image + pixels[min(1, last)] + offset
        let x2 = image + pixels[min(2, last)] + offset, x3 = image + pixels[min(3, last)] + offset
        let x4 = image + pixels[min(4, last)] + offset, x5 = image + pixels[min(5, last)] + offset
        var a0 = load(x0), a1 = load(x1), a2 = load(x2), a3 = load(x3), a4 = load(x4), a5 = load(x5)
        let d0 = outputGradient, d1 = outputGradient + min(1, last) * f, d2 = outputGradient + min(2, last) * f
        let d3 = outputGradient + min(3, last) * f, d4 = outputGradient + min(4, last) * f
        let d5 = outputGradient + min(5, last) * f
        var w = weight
        for j in 0..<f {
            let w0 = load(w)
            a0.addProduct(SIMD8<Float>(repeating: d0[j]), w0)
            a1.addProduct(SIMD8<Float>(repeating: d1[j]), w0)
            a2.addProduct(SIMD8<Float>(repeating: d2[j]), w0)
            a3.addProduct(SIMD8<Float>(repeating: d3[j]), w0)
            a4.addProduct(SIMD8<Float>(repeating: d4[j]), w0)
            a5.addProduct(SIMD8<Float>(repeating: d5[j]), w0)
            w += channels
        }
        store(a0, x0)
        if count > 1 { store(a1, x1) }
        if count > 2 { store(a2, x2) }
        if count > 3 { store(a3, x3) }
        if count > 4 { store(a4, x4) }
        if count > 5 { store(a5, x5) }
    }

    // MARK: Weight-gradient tiles: up to 4 taps x 16 channels, or 7 taps x 8 channels.
    // (Eight 8-wide accumulators plus their operands spill one register; seven do not.)

    @inline(__always)
    private func gradient4x16(image: UnsafePointer<Float>, pixels: UnsafeBufferPointer<Int>,
                              taps: UnsafePointer<Int>, count: Int, outputGradient: UnsafePointer<Float>,
                              into gradient: UnsafeMutablePointer<Float>) {
        let f = filters
        var a00 = SIMD8<Float>(), a01 = SIMD8<Float>(), a10 = SIMD8<Float>(), a11 = SIMD8<Float>()
        var a20 = SIMD8<Float>(), a21 = SIMD8<Float>(), a30 = SIMD8<Float>(), a31 = SIMD8<Float>()
        // Missing taps of a ragged tile repeat the last one; their sums are not stored.
        let t0 = taps[0], t1 = taps[min(1, count - 1)], t2 = taps[min(2, count - 1)], t3 = taps[min(3, count - 1)]
        var dy = outputGradient
        for pixel in pixels {
            let d0 = load(dy), d1 = load(dy + 8)
            let x = image + pixel
            var v = SIMD8<Float>(repeating: x[t0]); a00.addProduct(v, d0); a01.addProduct(v, d1)
            v = SIMD8<Float>(repeating: x[t1]); a10.addProduct(v, d0); a11.addProduct(v, d1)
            v = SIMD8<Float>(repeating: x[t2]); a20.addProduct(v, d0); a21.addProduct(v, d1)
            v = SIMD8<Float>(repeating: x[t3]); a30.addProduct(v, d0); a31.addProduct(v, d1)
            dy += f
        }
        add(a00, gradient); add(a01, gradient + 8)
        if count > 1 { add(a10, gradient + f); add(a11, gradient + f + 8) }
        if count > 2 { add(a20, gradient + 2 * f); add(a21, gradient + 2 * f + 8) }
        if count > 3 { add(a30, gradient + 3 * f); add(a31, gradient + 3 * f + 8) }
    }

    @inline(__always)
    private func gradient7x8(image: UnsafePointer<Float>, pixels: UnsafeBufferPointer<Int>,
                             taps: UnsafePointer<Int>, count: Int, outputGradient: UnsafePointer<Float>,
                             into gradient: UnsafeMutablePointer<Float>) {
        let f = filters
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>()
        let last = count - 1
        let t0 = taps[0], t1 = taps[min(1, last)], t2 = taps[min(2, last)], t3 = taps[min(3, last)]
        let t4 = taps[min(4, last)], t5 = taps[min(5, last)], t6 = taps[min(6, last)]
        var dy = outputGradient
        for pixel in pixels {
            let d = load(dy)
            let x = image + pixel
            a0.addProduct(SIMD8<Float>(repeating: x[t0]), d)
            a1.addProduct(SIMD8<Float>(repeating: x[t1]), d)
            a2.addProduct(SIMD8<Float>(repeating: x[t2]), d)
            a3.addProduct(SIMD8<Float>(repeating: x[t3]), d)
            a4.addProduct(SIMD8<Float>(repeating: x[t4]), d)
            a5.addProduct(SIMD8<Float>(repeating: x[t5]), d)
            a6.addProduct(SIMD8<Float>(repeating: x[t6]), d)
            dy += f
        }
        add(a0, gradient)
        if count > 1 { add(a1, gradient + f) }
        if count > 2 { add(a2, gradient + 2 * f) }
        if count > 3 { add(a3, gradient + 3 * f) }
        if count > 4 { add(a4, gradient + 4 * f) }
        if count > 5 { add(a5, gradient + 5 * f) }
        if count > 6 { add(a6, gradient + 6 * f) }
    }
}

/// Eight floats from `pointer`, which need not be aligned.
@inline(__always)
func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
}

@inline(__always)
private func add(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    store(load(pointer) + value, pointer)
}
