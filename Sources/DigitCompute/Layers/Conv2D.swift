
/// 2-D convolution, stride 1, on channels-last images.
///
/// Input `[B x H x W x C]`, output `[B x OH x OW x F]`, weight `[(k·k·C) x F]` whose
/// row `(ky·k + kx)·C + c` holds the taps for input channel `c` at kernel offset
/// (ky, kx); bias `[F]`. Padding `valid` gives `OH = H - k + 1`; `same` pads
/// `(k - 1) / 2` zeros on each side so `OH = H` (odd `k`).
///
/// With a multiple of 8 filters, the forward pass and the weight gradient read the image in
/// place (`DirectConvolution`), and so does the input gradient when the input channels are
/// a multiple of 8 too. Otherwise each sample's patches form the rows of a `[OH·OW x k·k·C]`
/// matrix (im2col), so a chunk of samples is one `gemm` with the weight, and the input
/// gradient is `dY · Wᵀ` scattered back by `col2im`. Work is split by samples over the
/// scheduler's threads (`Scheduler.forEachPart`), with one weight-gradient buffer per part,
/// summed in part order: deterministic for a given thread count.
package final class Conv2D: Layer {
    package let input: ImageShape
    package let output: ImageShape
    package let kernel: Int
    package let padding: Int
    package let weight: Parameter
    package let bias: Parameter
    private var savedInput: [Float] = []
    /// The im2col-free kernels, used when the output channels are a multiple of 8.
    private let direct: DirectConvolution?
    /// The C kernel set the direct convolution runs on (tests set each in turn).
    var kernels = Kernels.selected

    package var inputSize: Int { input.count }
    package var outputSize: Int { output.count }
    package var parameters: [Parameter] { [weight, bias] }
    private var patchSize: Int { kernel * kernel * input.channels }
    private var pixels: Int { output.height * output.width }

    package init(input: ImageShape, filters: Int, kernel: Int, same: Bool, name: String, initialWeights: [Float]) {
        precondition(initialWeights.count == kernel * kernel * input.channels * filters)
        self.input = input
        self.kernel = kernel
        padding = same ? (kernel - 1) / 2 : 0
        output = ImageShape(height: input.height + 2 * padding - kernel + 1,
                            width: input.width + 2 * padding - kernel + 1, channels: filters)
        precondition(output.height > 0 && output.width > 0, "kernel larger than the image")
        weight = Parameter(name: "\(name).weight", value: initialWeights, decays: true)
        bias = Parameter(name: "\(name).bias", value: [Float](repeating: 0, count: filters), decays: false)
        direct = filters % 8 == 0
            ? DirectConvolution(height: input.height + 2 * padding, width: input.width + 2 * padding,
                                channels: input.channels, kernel: kernel, filters: filters)
            : nil
    }

    /// Writes one sample's input gradient into `dx` (which must hold zeros). With padding it
    /// goes through `scratch` (a padded image, cleared here), whose border is then dropped.
    private func accumulateInputGradient(_ direct: DirectConvolution, transposed: UnsafePointer<Float>,
                                         outputGradient: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>,
                                         scratch: UnsafeMutablePointer<Float>?) {
        guard let scratch else {
            return direct.accumulateInputGradient(outputGradient: outputGradient, transposedWeight: transposed, into: dx,
                                                  kernels: kernels)
        }
        scratch.update(repeating: 0, count: paddedSize)
        direct.accumulateInputGradient(outputGradient: outputGradient, transposedWeight: transposed, into: scratch,
                                       kernels: kernels)
        let c = input.channels, paddedWidth = input.width + 2 * padding
        for y in 0..<input.height {
            (dx + y * input.width * c).update(from: scratch + ((y + padding) * paddedWidth + padding) * c,
                                              count: input.width * c)
        }
    }

    /// Floats in one sample padded with `padding` zeros on each side.
    private var paddedSize: Int { (input.height + 2 * padding) * (input.width + 2 * padding) * input.channels }

    /// Calls `body` with a zeroed buffer for `padded` (nil when there is no padding).
    private func withPaddingScratch(_ body: (UnsafeMutablePointer<Float>?) -> Void) {
        guard padding > 0 else { return body(nil) }
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: paddedSize)
        scratch.initialize(repeating: 0, count: paddedSize)
        defer { scratch.deallocate() }
        body(scratch)
    }

    /// `image` with its zero border: copied into `scratch` (whose border stays zero), or
    /// `image` itself when there is no padding.
    private func padded(_ image: UnsafePointer<Float>, _ scratch: UnsafeMutablePointer<Float>?) -> UnsafePointer<Float> {
        guard let scratch else { return image }
        let c = input.channels, paddedWidth = input.width + 2 * padding
        for y in 0..<input.height {
            (scratch + ((y + padding) * paddedWidth + padding) * c)
                .update(from: image + y * input.width * c, count: input.width * c)
        }
        return UnsafePointer(scratch)
    }

    /// Samples per chunk: for im2col, the patch matrix stays near 256K floats (1 MB, within
    /// L2); the direct kernels need no patches, so one chunk per part. A batch always makes
    /// at least as many chunks as there are parts, so every thread gets work.
    private func chunkSamples(batch: Int) -> Int {
        let share = max(1, (batch + Scheduler.partsHere - 1) / Scheduler.partsHere)
        return direct != nil ? share : max(1, min((1 << 18) / (pixels * patchSize), share))
    }

    package func forward(_ x: [Float], batch: Int, training: Bool) -> [Float] {
        if training { savedInput = x }
        var y = [Float](repeating: 0, count: batch * outputSize)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                weight.value.withUnsafeBufferPointer { w in
                    bias.value.withUnsafeBufferPointer { b in
                        if let direct {
                            forwardDirect(direct, x: xp.baseAddress!, weight: w.baseAddress!, bias: b.baseAddress!,
                                          y: yp.baseAddress!, batch: batch)
                        } else {
                            forwardIm2col(x: xp.baseAddress!, weight: w.baseAddress!, bias: b.baseAddress!,
                                          y: yp.baseAddress!, batch: batch)
                        }
                    }
                }
            }
        }
        return y
    }

    private func forwardDirect(_ direct: DirectConvolution, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, batch: Int) {
        let kernels = kernels
        Scheduler.forEachPart(batch) { samples, _ in
            withPaddingScratch { scratch in
                for s in samples {
                    direct.forward(image: padded(x + s * inputSize, scratch), weight: weight, bias: bias,
                                   output: y + s * outputSize, kernels: kernels)
                }
            }
        }
    }

    private func forwardIm2col(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               y: UnsafeMutablePointer<Float>, batch: Int) {
        let f = output.channels
        forEachChunk(batch: batch) { first, count, columns in
            for s in 0..<count {
                im2col(x + (first + s) * inputSize, into: columns + s * pixels * patchSize)
            }
            let out = y + first * outputSize
            let rows = count * pixels
            for r in 0..<rows { (out + r * f).update(from: bias, count: f) }
            gemm(transA: false, transB: false, m: rows, n: f, k: patchSize,
                 a: columns, lda: patchSize, b: weight, ldb: f,
                 beta: 1, c: out, ldc: f, parallel: false)
        }
    }

    /// Calls `body(first, count, columns)` for each chunk of `chunkSamples(batch:)` samples
    /// (`count` of them from sample `first`), the chunks split over the scheduler's parts, with
    /// one buffer of `[chunk·OH·OW x k·k·C]` floats per part for patches or their gradient.
    private func forEachChunk(batch: Int,
                              _ body: (_ first: Int, _ count: Int, _ columns: UnsafeMutablePointer<Float>) -> Void) {
        let chunkSamples = chunkSamples(batch: batch)
        let chunks = (batch + chunkSamples - 1) / chunkSamples
        Scheduler.forEachPart(chunks) { range, _ in
            let columns = UnsafeMutablePointer<Float>.allocate(capacity: chunkSamples * pixels * patchSize)
            defer { columns.deallocate() }
            for chunk in range {
                let first = chunk * chunkSamples
                body(first, min(chunkSamples, batch - first), columns)
            }
        }
    }

    /// The gradients of a loss with output gradient `dy` `[B x OH x OW x F]`, for the input
    /// `forward` saved: sets `weight.gradient` and `bias.gradient`, and returns the input
    /// gradient `[B x H x W x C]` when `needsInputGradient` (else an empty array).
    package func backward(_ dy: [Float], batch: Int, needsInputGradient: Bool) -> [Float] {
        savedInput.withUnsafeBufferPointer { x in
            dy.withUnsafeBufferPointer { dy in
                weight.gradient.withUnsafeMutableBufferPointer { dw in
                    weightGradient(x: x.baseAddress!, dy: dy.baseAddress!, batch: batch, into: dw.baseAddress!)
                }
            }
        }
        bias.gradient = biasGradient(dy, batch: batch)
        return needsInputGradient ? inputGradient(dy, batch: batch) : []
    }

    /// dW `[(k·k·C) x F]` = Σ over samples of patchesᵀ · dY, written to `dw`.
    /// x: `[B x H x W x C]`, dy: `[B x OH x OW x F]`.
    ///
    /// Each scheduler part sums its chunks of samples into its own buffer; the buffers are then
    /// added in part order, so the result depends only on the thread count.
    private func weightGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, batch: Int,
                                into dw: UnsafeMutablePointer<Float>) {
        let chunkSamples = chunkSamples(batch: batch)
        let chunks = (batch + chunkSamples - 1) / chunkSamples
        let weightCount = weight.value.count
        let parts = max(1, min(Scheduler.partsHere, chunks))
        let partGradients = UnsafeMutablePointer<Float>.allocate(capacity: parts * weightCount)
        partGradients.initialize(repeating: 0, count: parts * weightCount)
        defer { partGradients.deallocate() }
        Scheduler.forEachPart(chunks) { range, part in
            let samples = range.lowerBound * chunkSamples ..< min(range.upperBound * chunkSamples, batch)
            if let direct {
                accumulateWeightGradient(direct, x: x, dy: dy, samples: samples, into: partGradients + part * weightCount)
            } else {
                accumulateWeightGradientIm2col(x: x, dy: dy, samples: samples, chunkSamples: chunkSamples,
                                               into: partGradients + part * weightCount)
            }
        }
        dw.update(from: partGradients, count: weightCount)
        for part in 1..<parts {
            let partGradient = partGradients + part * weightCount
            for i in 0..<weightCount { dw[i] += partGradient[i] }
        }
    }

    /// dW `[(k·k·C) x F]` += each sample's image ⋆ dY, the direct kernels reading the image in place.
    /// x: `[B x H x W x C]`, dy: `[B x OH x OW x F]`.
    private func accumulateWeightGradient(_ direct: DirectConvolution, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                          samples: Range<Int>, into dw: UnsafeMutablePointer<Float>) {
        let kernels = kernels
        withPaddingScratch { scratch in
            for s in samples {
                direct.accumulateWeightGradient(image: padded(x + s * inputSize, scratch),
                                                outputGradient: dy + s * outputSize, into: dw, kernels: kernels)
            }
        }
    }

    /// dW `[(k·k·C) x F]` += colsᵀ · dY, one `gemm` per chunk of `chunkSamples` samples, cols
    /// `[chunk·OH·OW x k·k·C]` their patches. x: `[B x H x W x C]`, dy: `[B x OH x OW x F]`.
    private func accumulateWeightGradientIm2col(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, samples: Range<Int>,
                                                chunkSamples: Int, into dw: UnsafeMutablePointer<Float>) {
        let f = output.channels
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: chunkSamples * pixels * patchSize)
        defer { columns.deallocate() }
        for first in stride(from: samples.lowerBound, to: samples.upperBound, by: chunkSamples) {
            let count = min(chunkSamples, samples.upperBound - first)
            for s in 0..<count {
                im2col(x + (first + s) * inputSize, into: columns + s * pixels * patchSize)
            }
            gemm(transA: true, transB: false, m: patchSize, n: f, k: count * pixels,
                 a: columns, lda: patchSize, b: dy + first * outputSize, ldb: f,
                 beta: 1, c: dw, ldc: f, parallel: false)
        }
    }

    /// dB `[F]` = the column sums of dY `[B·OH·OW x F]`.
    private func biasGradient(_ dy: [Float], batch: Int) -> [Float] {
        let f = output.channels
        var db = [Float](repeating: 0, count: f)
        for r in 0..<(batch * pixels) {
            for j in 0..<f { db[j] += dy[r * f + j] }
        }
        return db
    }

    /// dX `[B x H x W x C]` for dY `[B x OH x OW x F]`: by the direct kernels when both the
    /// filters and the input channels come in multiples of 8 (the weights rearranged once per
    /// batch), else as dY · Wᵀ scattered back by `col2im`.
    private func inputGradient(_ dy: [Float], batch: Int) -> [Float] {
        var dx = [Float](repeating: 0, count: batch * inputSize)
        dy.withUnsafeBufferPointer { dy in
            weight.value.withUnsafeBufferPointer { w in
                dx.withUnsafeMutableBufferPointer { dx in
                    if let direct, input.channels % 8 == 0 {
                        directInputGradient(direct, dy: dy.baseAddress!, transposed: direct.transposedForInputGradient(w.baseAddress!),
                                            batch: batch, into: dx.baseAddress!)
                    } else {
                        im2colInputGradient(dy: dy.baseAddress!, weight: w.baseAddress!, batch: batch, into: dx.baseAddress!)
                    }
                }
            }
        }
        return dx
    }

    /// dX `[B x H x W x C]` (zeros on entry) from dY `[B x OH x OW x F]` and the weights as
    /// `DirectConvolution.transposedForInputGradient` arranges them, one sample at a time.
    private func directInputGradient(_ direct: DirectConvolution, dy: UnsafePointer<Float>, transposed: [Float],
                                     batch: Int, into dx: UnsafeMutablePointer<Float>) {
        transposed.withUnsafeBufferPointer { wt in
            Scheduler.forEachPart(batch) { samples, _ in
                withPaddingScratch { scratch in
                    for s in samples {
                        accumulateInputGradient(direct, transposed: wt.baseAddress!, outputGradient: dy + s * outputSize,
                                                into: dx + s * inputSize, scratch: scratch)
                    }
                }
            }
        }
    }

    /// dX `[B x H x W x C]` (zeros on entry) += col2im(dCols), dCols `[chunk·OH·OW x k·k·C]` =
    /// dY · Wᵀ for each chunk of samples, dY `[B x OH x OW x F]`, W `[(k·k·C) x F]`.
    private func im2colInputGradient(dy: UnsafePointer<Float>, weight: UnsafePointer<Float>, batch: Int,
                                     into dx: UnsafeMutablePointer<Float>) {
        let f = output.channels
        forEachChunk(batch: batch) { first, count, columns in
            gemm(transA: false, transB: true, m: count * pixels, n: patchSize, k: f,
                 a: dy + first * outputSize, lda: f, b: weight, ldb: f,
                 beta: 0, c: columns, ldc: patchSize, parallel: false)
            for s in 0..<count {
                col2im(columns + s * pixels * patchSize, into: dx + (first + s) * inputSize)
            }
        }
    }

    /// One sample's patches: row `oy·OW + ox` holds the `k x k x C` window at (oy, ox),
    /// zeros where it hangs over the padded border. For a fixed kernel row the window
    /// is `k·C` contiguous input floats, copied in one run.
    private func im2col(_ image: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        let c = input.channels, run = kernel * c
        var row = columns
        for oy in 0..<output.height {
            for ox in 0..<output.width {
                var dst = row
                let x0 = ox - padding
                for ky in 0..<kernel {
                    let iy = oy + ky - padding
                    if iy < 0 || iy >= input.height {
                        for j in 0..<run { dst[j] = 0 }
                    } else if x0 >= 0 && x0 + kernel <= input.width {
                        let src = image + (iy * input.width + x0) * c
                        for j in 0..<run { dst[j] = src[j] }
                    } else {
                        for kx in 0..<kernel {
                            let ix = x0 + kx
                            let inside = ix >= 0 && ix < input.width
                            let src = image + (iy * input.width + ix) * c
                            for j in 0..<c { dst[kx * c + j] = inside ? src[j] : 0 }
                        }
                    }
                    dst += run
                }
                row += patchSize
            }
        }
    }

    /// The adjoint of `im2col`: adds each patch row back onto the pixels it came from.
    private func col2im(_ columns: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
        let c = input.channels, run = kernel * c
        var row = columns
        for oy in 0..<output.height {
            for ox in 0..<output.width {
                var src = row
                let x0 = ox - padding
                for ky in 0..<kernel {
                    let iy = oy + ky - padding
                    if iy >= 0 && iy < input.height {
                        if x0 >= 0 && x0 + kernel <= input.width {
                            let dst = image + (iy * input.width + x0) * c
                            for j in 0..<run { dst[j] += src[j] }
                        } else {
                            for kx in 0..<kernel {
                                let ix = x0 + kx
                                guard ix >= 0 && ix < input.width else { continue }
                                let dst = image + (iy * input.width + ix) * c
                                for j in 0..<c { dst[j] += src[kx * c + j] }
                            }
                        }
                    }
                    src += run
                }
                row += patchSize
            }
        }
    }
}
