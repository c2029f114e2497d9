// The portable kernels: plain C for any CPU (x86-64 without AVX2, arm64, ...), in the shape
// the compiler vectorises well at the baseline instruction set: small fixed-size tiles of
// accumulators (at most 12 4-wide registers of SSE2 or NEON) whose lanes are inner loops of
// constant length.
//
// Each output is summed in the same order as by the AVX2 kernels. Where the target has a
// fused multiply-add instruction (`__FP_FAST_FMAF`, e.g. arm64) the sums use it, so results
// match the AVX2 kernels bit for bit; elsewhere a multiply and an add round twice.
#include "CDigitKernels.h"
#include "kernels_internal.h"

#include <math.h>
#include <stdlib.h>

#pragma STDC FP_CONTRACT OFF

#if defined(__FP_FAST_FMAF)
#define MULTIPLY_ADD(a, b, c) fmaf((a), (b), (c))
#else
#define MULTIPLY_ADD(a, b, c) ((c) + (a) * (b))
#endif

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define LANES 8

// MARK: GEMM

/// Columns `half..<half+8` of a 6x16 tile (`rows` x `columns` of it stored).
static inline void gemm_half_tile(const float *a, ptrdiff_t rs, ptrdiff_t cs, const float *b, ptrdiff_t bs,
                                  ptrdiff_t k, float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns,
                                  float alpha, float beta) {
    float acc[DIGIT_GEMM_TILE_HEIGHT][LANES] = {{0}};
    for (ptrdiff_t p = 0; p < k; p++) {
        for (int r = 0; r < DIGIT_GEMM_TILE_HEIGHT; r++) {
            const float v = a[r * rs];
            for (int l = 0; l < LANES; l++) acc[r][l] = MULTIPLY_ADD(v, b[l], acc[r][l]);
        }
        a += cs;
        b += bs;
    }
    for (ptrdiff_t r = 0; r < rows; r++) {
        float *target = c + r * ldc;
        if (columns == LANES && beta == 0) {
            for (int l = 0; l < LANES; l++) target[l] = acc[r][l] * alpha;
        } else if (columns == LANES) {
            for (int l = 0; l < LANES; l++) {
                const float scaled = acc[r][l] * alpha, old = beta * target[l];
                target[l] = scaled + old;
            }
        } else {
            for (ptrdiff_t l = 0; l < columns; l++) {
                const float scaled = acc[r][l] * alpha, old = beta * target[l];
                target[l] = beta == 0 ? scaled : scaled + old;
            }
        }
    }
}

static void portable_gemm_tiles(const digit_gemm_job *job, ptrdiff_t tile_begin, ptrdiff_t tile_end,
                                ptrdiff_t panel_begin, ptrdiff_t panel_end) {
    if (tile_begin >= tile_end || panel_begin >= panel_end) return;
    const ptrdiff_t th = DIGIT_GEMM_TILE_HEIGHT, pw = DIGIT_GEMM_PANEL_WIDTH;
    float *padded = digit_gemm_pack_tail(job, tile_end);
    for (ptrdiff_t tile = tile_begin; tile < tile_end; tile++) {
        const ptrdiff_t i0 = tile * th;
        const ptrdiff_t rows = MIN(th, job->m - i0);
        const float *a = rows == th ? job->a + i0 * job->a_row_stride : padded;
        const ptrdiff_t rs = rows == th ? job->a_row_stride : 1;
        const ptrdiff_t cs = rows == th ? job->a_column_stride : th;
        for (ptrdiff_t panel = panel_begin; panel < panel_end; panel++) {
            ptrdiff_t bs;
            const float *b = digit_gemm_panel(job, panel, &bs);
            const ptrdiff_t j0 = panel * pw;
            const ptrdiff_t columns = MIN(pw, job->n - j0);
            float *c = job->c + i0 * job->ldc + j0;
            gemm_half_tile(a, rs, cs, b, bs, job->k, c, job->ldc, rows, MIN(columns, LANES), job->alpha, job->beta);
            if (columns > LANES) {
                gemm_half_tile(a, rs, cs, b + LANES, bs, job->k, c + LANES, job->ldc, rows, columns - LANES,
                               job->alpha, job->beta);
            }
        }
    }
    free(padded);
}

// MARK: Direct convolution

#define CONV_PIXELS 4

/// Up to 4 output pixels x 8 filters; missing pixels repeat the last one and are not stored.
static inline void forward_tile(const digit_direct_convolution *conv, const float *image, const ptrdiff_t *pixels,
                                ptrdiff_t count, const float *weight, const float *bias, float *output) {
    const ptrdiff_t f = conv->filters;
    const float *x[CONV_PIXELS];
    float acc[CONV_PIXELS][LANES];
    for (int i = 0; i < CONV_PIXELS; i++) {
        x[i] = image + pixels[MIN(i, count - 1)];
        for (int l = 0; l < LANES; l++) acc[i][l] = bias[l];
    }
    const ptrdiff_t *taps = conv->tap_offsets;
    for (ptrdiff_t t = 0; t < conv->tap_count; t++) {
        for (int i = 0; i < CONV_PIXELS; i++) {
            const float v = x[i][taps[t]];
            for (int l = 0; l < LANES; l++) acc[i][l] = MULTIPLY_ADD(v, weight[l], acc[i][l]);
        }
        weight += f;
    }
    for (ptrdiff_t i = 0; i < count; i++) {
        for (int l = 0; l < LANES; l++) output[i * f + l] = acc[i][l];
    }
}

static void portable_convolution_forward(const digit_direct_convolution *conv, const float *image,
                                         const float *weight, const float *bias, float *output) {
    const ptrdiff_t filters = conv->filters, pixels = conv->pixel_count;
    for (ptrdiff_t j0 = 0; j0 < filters; j0 += LANES) {
        for (ptrdiff_t p = 0; p < pixels; p += CONV_PIXELS) {
            forward_tile(conv, image, conv->pixel_offsets + p, MIN(CONV_PIXELS, pixels - p), weight + j0,
                         bias + j0, output + p * filters + j0);
        }
    }
}

/// Up to 4 taps x 8 filters of the weight gradient, added onto `gradient`.
static inline void gradient_tile(const digit_direct_convolution *conv, const float *image, const ptrdiff_t *taps,
                                 ptrdiff_t count, const float *dy, float *gradient) {
    const ptrdiff_t f = conv->filters;
    ptrdiff_t t[CONV_PIXELS];
    float acc[CONV_PIXELS][LANES] = {{0}};
    for (int i = 0; i < CONV_PIXELS; i++) t[i] = taps[MIN(i, count - 1)];
    const ptrdiff_t *pixels = conv->pixel_offsets;
    for (ptrdiff_t p = 0; p < conv->pixel_count; p++) {
        const float *x = image + pixels[p];
        for (int i = 0; i < CONV_PIXELS; i++) {
            const float v = x[t[i]];
            for (int l = 0; l < LANES; l++) acc[i][l] = MULTIPLY_ADD(v, dy[l], acc[i][l]);
        }
        dy += f;
    }
    for (ptrdiff_t i = 0; i < count; i++) {
        for (int l = 0; l < LANES; l++) gradient[i * f + l] += acc[i][l];
    }
}

static void portable_convolution_weight_gradient(const digit_direct_convolution *conv, const float *image,
                                                 const float *output_gradient, float *weight_gradient) {
    const ptrdiff_t filters = conv->filters, taps = conv->tap_count;
    for (ptrdiff_t j0 = 0; j0 < filters; j0 += LANES) {
        for (ptrdiff_t t = 0; t < taps; t += CONV_PIXELS) {
            gradient_tile(conv, image, conv->tap_offsets + t, MIN(CONV_PIXELS, taps - t), output_gradient + j0,
                          weight_gradient + t * filters + j0);
        }
    }
}

/// Up to 4 pixels x 8 input channels of the input gradient at one kernel offset.
static inline void input_gradient_tile(const digit_direct_convolution *conv, const ptrdiff_t *pixels, ptrdiff_t count,
                                       ptrdiff_t offset, const float *dy, const float *weight, ptrdiff_t channels,
                                       float *image) {
    const ptrdiff_t f = conv->filters;
    float *x[CONV_PIXELS];
    const float *d[CONV_PIXELS];
    float acc[CONV_PIXELS][LANES];
    for (int i = 0; i < CONV_PIXELS; i++) {
        x[i] = image + pixels[MIN(i, count - 1)] + offset;
        d[i] = dy + MIN(i, count - 1) * f;
        for (int l = 0; l < LANES; l++) acc[i][l] = x[i][l];
    }
    for (ptrdiff_t j = 0; j < f; j++) {
        for (int i = 0; i < CONV_PIXELS; i++) {
            const float v = d[i][j];
            for (int l = 0; l < LANES; l++) acc[i][l] = MULTIPLY_ADD(v, weight[l], acc[i][l]);
        }
        weight += channels;
    }
    for (ptrdiff_t i = 0; i < count; i++) {
        for (int l = 0; l < LANES; l++) x[i][l] = acc[i][l];
    }
}

static void portable_convolution_input_gradient(const digit_direct_convolution *conv, const float *output_gradient,
                                                const float *transposed_weight, float *image) {
    const ptrdiff_t channels = conv->tap_count / conv->kernel_offsets, filters = conv->filters;
    const ptrdiff_t pixels = conv->pixel_count;
    for (ptrdiff_t o = 0; o < conv->kernel_offsets; o++) {
        const ptrdiff_t offset = conv->tap_offsets[o * channels];
        for (ptrdiff_t c0 = 0; c0 < channels; c0 += LANES) {
            const float *weight = transposed_weight + o * filters * channels + c0;
            for (ptrdiff_t p = 0; p < pixels; p += CONV_PIXELS) {
                input_gradient_tile(conv, conv->pixel_offsets + p, MIN(CONV_PIXELS, pixels - p), offset + c0,
                                    output_gradient + p * filters, weight, channels, image);
            }
        }
    }
}

// MARK: Max pooling

static void portable_max_pool2(const float *x, float *y, int32_t *winners, ptrdiff_t batch,
                               ptrdiff_t height, ptrdiff_t width, ptrdiff_t channels) {
    const ptrdiff_t c = channels, w = width, oh = height / 2, ow = width / 2;
    const ptrdiff_t sample = height * width * channels;
    const ptrdiff_t corners[3] = {c, w * c, w * c + c};
    ptrdiff_t o = 0;
    for (ptrdiff_t b = 0; b < batch; b++) {
        const float *src = x + b * sample;
        for (ptrdiff_t oy = 0; oy < oh; oy++) {
            for (ptrdiff_t ox = 0; ox < ow; ox++) {
                const ptrdiff_t top_left = ((2 * oy) * w + 2 * ox) * c;
                for (ptrdiff_t ch = 0; ch < c; ch++, o++) {
                    ptrdiff_t best = top_left + ch;
                    for (int i = 0; i < 3; i++) {
                        const ptrdiff_t at = top_left + ch + corners[i];
                        best = src[at] > src[best] ? at : best;
                    }
                    y[o] = src[best];
                    if (winners) winners[o] = (int32_t)best;
                }
            }
        }
    }
}

// MARK: Element-wise loops

#define ELEMENTWISE_NAME(name) portable_##name
#define ELEMENTWISE_ATTRIBUTES 
#include "elementwise.inc"

static const digit_kernels portable_kernels = {
    .name = "portable",
    .gemm_tiles = portable_gemm_tiles,
    .convolution_forward = portable_convolution_forward,
    .convolution_weight_gradient = portable_convolution_weight_gradient,
    .convolution_input_gradient = portable_convolution_input_gradient,
    .max_pool2 = portable_max_pool2,
    .normalise_bytes = portable_normalise_bytes,
    .optimizer_step = portable_optimizer_step,
};

const digit_kernels *digit_kernels_portable(void) { return &portable_kernels; }
