// The numeric hot loops of DigitKit, in C so that they can be compiled for AVX2 + FMA
// per function (`__attribute__((target("avx2,fma")))`) while the rest of the package
// keeps the baseline instruction set, and chosen at run time by what the CPU supports.
//
// Each kernel set is a table of function pointers with the same contracts; DigitKit
// (Sources/DigitCompute/Kernels/Kernels.swift) picks one once and calls through it. All
// matrices are row-major floats; strides and counts are in elements.
#ifndef CDIGITKERNELS_H
#define CDIGITKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Rows of C per GEMM micro-tile and columns per panel of B.
#define DIGIT_GEMM_TILE_HEIGHT 6
#define DIGIT_GEMM_PANEL_WIDTH 16

/// One product `C[m x n] = alpha * op(A)[m x k] * B[k x n] + beta * C`, with B already
/// laid out as 16-wide panels. Element (r, p) of op(A) is
/// `a[r * a_row_stride + p * a_column_stride]`. Panel `j` (columns 16j..<16j+16), row `p`:
/// 16 floats at `b_direct + 16j + p * b_direct_stride` when `j < first_packed_panel`,
/// else at `b_packed + (j - first_packed_panel) * k * 16 + p * 16` (zero-padded past n).
/// With `beta == 0`, C is not read.
typedef struct digit_gemm_job {
    const float *a;
    ptrdiff_t a_row_stride;
    ptrdiff_t a_column_stride;
    const float *b_direct;
    ptrdiff_t b_direct_stride;
    const float *b_packed;
    ptrdiff_t first_packed_panel;
    ptrdiff_t m, n, k;
    float alpha, beta;
    float *c;
    ptrdiff_t ldc;
} digit_gemm_job;

/// A convolution read in place (see DirectConvolution.swift): the window of output pixel
/// `p` at tap `t` is `image[pixel_offsets[p] + tap_offsets[t]]`; weights are
/// `[taps x filters]`, outputs `[pixels x filters]`, `filters` a multiple of 8.
typedef struct digit_direct_convolution {
    const ptrdiff_t *pixel_offsets;
    ptrdiff_t pixel_count;
    const ptrdiff_t *tap_offsets;
    ptrdiff_t tap_count;
    ptrdiff_t filters;
    /// kernel * kernel.
    ptrdiff_t kernel_offsets;
} digit_direct_convolution;

typedef enum digit_optimizer_kind {
    DIGIT_OPTIMIZER_SGD = 0,
    DIGIT_OPTIMIZER_MOMENTUM = 1,
    DIGIT_OPTIMIZER_ADAM = 2,
} digit_optimizer_kind;

/// One optimizer update of `count` elements (see Optimizer.swift for the rules): the
/// gradient first gets `replica_gradient` added when that is not NULL. `first` is momentum's
/// velocity or Adam's first moment, `second` Adam's second moment.
typedef struct digit_optimizer_step {
    digit_optimizer_kind kind;
    ptrdiff_t count;
    float *value;
    float *gradient;
    const float *replica_gradient;
    float *first;
    float *second;
    float learning_rate, decay, momentum;
    float beta1, one_minus_beta1, beta2, one_minus_beta2, correction1, correction2, epsilon;
} digit_optimizer_step;

typedef struct digit_kernels {
    /// "avx2" or "portable".
    const char *name;

    /// Computes the tiles `tile_begin..<tile_end` (6 rows each) by panels
    /// `panel_begin..<panel_end` (16 columns each) of `job`. Each element of C is summed
    /// over k in order, so any split of tiles and panels gives the same bits.
    void (*gemm_tiles)(const digit_gemm_job *job, ptrdiff_t tile_begin, ptrdiff_t tile_end,
                       ptrdiff_t panel_begin, ptrdiff_t panel_end);

    /// `output[p][f] = bias[f] + sum_t image[pixel p + tap t] * weight[t][f]` for one image.
    void (*convolution_forward)(const digit_direct_convolution *conv, const float *image,
                                const float *weight, const float *bias, float *output);

    /// `weight_gradient[t][f] += sum_p image[pixel p + tap t] * output_gradient[p][f]`.
    void (*convolution_weight_gradient)(const digit_direct_convolution *conv, const float *image,
                                        const float *output_gradient, float *weight_gradient);

    /// `image[pixel p + offset o][c] += sum_f output_gradient[p][f] * transposed_weight[o][f][c]`
    /// for every kernel offset `o`, when the input channels (`tap_count / kernel_offsets`)
    /// are a multiple of 8.
    void (*convolution_input_gradient)(const digit_direct_convolution *conv, const float *output_gradient,
                                       const float *transposed_weight, float *image);

    /// 2x2 max pooling, stride 2, channels-last: `x[batch x height x width x channels]` to
    /// `y[batch x height/2 x width/2 x channels]`. `winners` (may be NULL) receives, for each
    /// output, the index within its sample of the first maximum of its window.
    void (*max_pool2)(const float *x, float *y, int32_t *winners, ptrdiff_t batch,
                      ptrdiff_t height, ptrdiff_t width, ptrdiff_t channels);

    /// `values[i] = pixels[i] / 255` (as `pixels[i] * (1.0f / 255)`).
    void (*normalise_bytes)(const uint8_t *pixels, ptrdiff_t count, float *values);

    /// Applies one optimizer update.
    void (*optimizer_step)(const digit_optimizer_step *step);
} digit_kernels;

/// Plain C, for any CPU (the compiler vectorises it for the baseline instruction set).
const digit_kernels *digit_kernels_portable(void);

/// AVX2 + FMA intrinsics; NULL unless this is x86-64 and the CPU supports both.
const digit_kernels *digit_kernels_avx2(void);

/// The fastest set this CPU runs: AVX2 where supported, else portable. The environment
/// variable DIGIT_KERNELS=portable forces the portable set (for tests and measurements).
const digit_kernels *digit_kernels_best(void);

#ifdef __cplusplus
}
#endif

#endif
