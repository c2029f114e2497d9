import CDigitKernels

/// Register-blocked kernels for convolution without im2col, on channels-last images whose
/// output channels come in multiples of 8.
///
/// A convolution's patch matrix never needs to exist: the window of output pixel `p` at
/// tap `t` (a kernel offset and input channel) is `input[pixelOffsets[p] + tapOffsets[t]]`.
/// With few input channels (conv 1→8 on MNIST has 25 taps) im2col spends more time copying
/// patches than the product spends multiplying them; these kernels read the image in place.
/// The register-tiled kernels themselves are in C (`Sources/CDigitKernels`, AVX2 or
/// portable, see `Kernels`); `referenceConvolution` in the tests is the oracle.
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
                 output: UnsafeMutablePointer<Float>, kernels: Kernels = .selected) {
        withDescription { conv in kernels.table.pointee.convolution_forward(conv, image, weight, bias, output) }
    }

    /// `weightGradient[t][f] += Σ_p image[pixel p + tap t] · outputGradient[p][f]`: one image.
    func accumulateWeightGradient(image: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                                  into weightGradient: UnsafeMutablePointer<Float>, kernels: Kernels = .selected) {
        withDescription { conv in
            kernels.table.pointee.convolution_weight_gradient(conv, image, outputGradient, weightGradient)
        }
    }

    /// `image[pixel p + offset o][c] += Σ_f outputGradient[p][f] · weight[o·C + c][f]` for every
    /// kernel offset `o = ky·k + kx`: the input gradient of one image (padded, as in
    /// `forward`), when its `channels` are a multiple of 8.
    ///
    /// `transposedWeight` is `transposedForInputGradient(weight)`. For one offset, distinct
    /// output pixels touch distinct input pixels, so a tile of them accumulates in registers.
    func accumulateInputGradient(outputGradient: UnsafePointer<Float>, transposedWeight: UnsafePointer<Float>,
                                 into image: UnsafeMutablePointer<Float>, kernels: Kernels = .selected) {
        let channels = tapOffsets.count / offsetCount
        // Eight lanes are eight channels of one pixel; fewer channels would make the lanes
        // of neighbouring pixels overlap and lose updates.
        precondition(channels % 8 == 0, "the direct input gradient needs a multiple of 8 input channels")
        withDescription { conv in
            kernels.table.pointee.convolution_input_gradient(conv, outputGradient, transposedWeight, image)
        }
    }

    /// The convolution as the C kernels take it, valid inside `body`.
    private func withDescription(_ body: (UnsafePointer<digit_direct_convolution>) -> Void) {
        pixelOffsets.withUnsafeBufferPointer { pixels in
            tapOffsets.withUnsafeBufferPointer { taps in
                var conv = digit_direct_convolution(
                    pixel_offsets: pixels.baseAddress, pixel_count: pixels.count,
                    tap_offsets: taps.baseAddress, tap_count: taps.count,
                    filters: filters, kernel_offsets: offsetCount)
                body(&conv)
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
}
