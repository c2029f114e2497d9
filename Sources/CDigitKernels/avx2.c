// The AVX2 + FMA kernels: every function carries `target("avx2,fma")`, so this file needs
// no compiler flags and the rest of the program stays at the baseline instruction set.
// They are only reached through `digit_kernels_avx2()`, which checks the CPU first.
//
// Accumulators are locals so that they stay in the sixteen ymm registers. Every sum is a
// chain of fused multiply-adds in a fixed order and every scaling a separate multiply and
// add, as the Swift SIMD8 kernels they replace did, so results are bit-identical to those.
#include "CDigitKernels.h"
#include "kernels_internal.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>

#pragma STDC FP_CONTRACT OFF

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma")))

// MARK: GEMM

/// Stores a 16-wide row of a tile: `alpha * value`, plus `beta * C` unless beta is 0.
AVX2_INLINE void gemm_store(__m256 low, __m256 high, float *target, ptrdiff_t columns, float alpha, float beta) {
    const __m256 scale = _mm256_set1_ps(alpha);
    low = _mm256_mul_ps(low, scale);
    high = _mm256_mul_ps(high, scale);
    if (columns == DIGIT_GEMM_PANEL_WIDTH) {
        if (beta != 0) {
            const __m256 b = _mm256_set1_ps(beta);
            low = _mm256_add_ps(low, _mm256_mul_ps(b, _mm256_loadu_ps(target)));
            high = _mm256_add_ps(high, _mm256_mul_ps(b, _mm256_loadu_ps(target + 8)));
        }
        _mm256_storeu_ps(target, low);
        _mm256_storeu_ps(target + 8, high);
        return;
    }
    float values[16];
    _mm256_storeu_ps(values, low);
    _mm256_storeu_ps(values + 8, high);
    for (ptrdiff_t j = 0; j < columns; j++) {
        float product = beta * target[j];
        target[j] = beta == 0 ? values[j] : values[j] + product;
    }
}

/// One 6x16 tile: twelve accumulators, each step of k broadcasting six values of A against
/// two 8-wide vectors of B. Only `rows` rows and `columns` columns are stored.
AVX2_INLINE void gemm_micro_kernel(const float *a, ptrdiff_t rs, ptrdiff_t cs, const float *b, ptrdiff_t bs,
                                   ptrdiff_t k, float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns,
                                   float alpha, float beta) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (ptrdiff_t p = 0; p < k; p++) {
        const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        __m256 v = _mm256_broadcast_ss(a);
        c00 = _mm256_fmadd_ps(v, b0, c00); c01 = _mm256_fmadd_ps(v, b1, c01);
        v = _mm256_broadcast_ss(a + rs);
        c10 = _mm256_fmadd_ps(v, b0, c10); c11 = _mm256_fmadd_ps(v, b1, c11);
        v = _mm256_broadcast_ss(a + 2 * rs);
        c20 = _mm256_fmadd_ps(v, b0, c20); c21 = _mm256_fmadd_ps(v, b1, c21);
        v = _mm256_broadcast_ss(a + 3 * rs);
        c30 = _mm256_fmadd_ps(v, b0, c30); c31 = _mm256_fmadd_ps(v, b1, c31);
        v = _mm256_broadcast_ss(a + 4 * rs);
        c40 = _mm256_fmadd_ps(v, b0, c40); c41 = _mm256_fmadd_ps(v, b1, c41);
        v = _mm256_broadcast_ss(a + 5 * rs);
        c50 = _mm256_fmadd_ps(v, b0, c50); c51 = _mm256_fmadd_ps(v, b1, c51);
        a += cs;
        b += bs;
    }
    gemm_store(c00, c01, c, columns, alpha, beta);
    if (rows > 1) gemm_store(c10, c11, c + ldc, columns, alpha, beta);
    if (rows > 2) gemm_store(c20, c21, c + 2 * ldc, columns, alpha, beta);
    if (rows > 3) gemm_store(c30, c31, c + 3 * ldc, columns, alpha, beta);
    if (rows > 4) gemm_store(c40, c41, c + 4 * ldc, columns, alpha, beta);
    if (rows > 5) gemm_store(c50, c51, c + 5 * ldc, columns, alpha, beta);
}

AVX2 static void avx2_gemm_tiles(const digit_gemm_job *job, ptrdiff_t tile_begin, ptrdiff_t tile_end,
                                 ptrdiff_t panel_begin, ptrdiff_t panel_end) {
    if (tile_begin >= tile_end || panel_begin >= panel_end) return;
    const ptrdiff_t th = DIGIT_GEMM_TILE_HEIGHT, pw = DIGIT_GEMM_PANEL_WIDTH;
    // The ragged last tile's rows of A come from a zero-padded copy, so it runs the same kernel.
    float *padded = digit_gemm_pack_tail(job, tile_end);
    for (ptrdiff_t tile = tile_begin; tile < tile_end; tile++) {
        const ptrdiff_t i0 = tile * th;
        const ptrdiff_t rows = job->m - i0 < th ? job->m - i0 : th;
        const float *a = rows == th ? job->a + i0 * job->a_row_stride : padded;
        const ptrdiff_t rs = rows == th ? job->a_row_stride : 1;
        const ptrdiff_t cs = rows == th ? job->a_column_stride : th;
        for (ptrdiff_t panel = panel_begin; panel < panel_end; panel++) {
            ptrdiff_t bs;
            const float *b = digit_gemm_panel(job, panel, &bs);
            const ptrdiff_t j0 = panel * pw;
            const ptrdiff_t columns = job->n - j0 < pw ? job->n - j0 : pw;
            gemm_micro_kernel(a, rs, cs, b, bs, job->k, job->c + i0 * job->ldc + j0, job->ldc, rows, columns,
                              job->alpha, job->beta);
        }
    }
    free(padded);
}

// MARK: Direct convolution

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/// Up to 4 output pixels x 16 filters. Missing pixels of a ragged tile repeat the last one;
/// their sums are not stored.
AVX2_INLINE void forward4x16(const digit_direct_convolution *conv, const float *image, const ptrdiff_t *pixels,
                             ptrdiff_t count, const float *weight, const float *bias, float *output) {
    const ptrdiff_t f = conv->filters, last = count - 1;
    const __m256 b0 = _mm256_loadu_ps(bias), b1 = _mm256_loadu_ps(bias + 8);
    __m256 a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
    const float *x0 = image + pixels[0], *x1 = image + pixels[MIN(1, last)];
    const float *x2 = image + pixels[MIN(2, last)], *x3 = image + pixels[MIN(3, last)];
    const ptrdiff_t *taps = conv->tap_offsets;
    for (ptrdiff_t t = 0; t < conv->tap_count; t++) {
        const ptrdiff_t tap = taps[t];
        const __m256 w0 = _mm256_loadu_ps(weight), w1 = _mm256_loadu_ps(weight + 8);
        __m256 v = _mm256_broadcast_ss(x0 + tap);
        a00 = _mm256_fmadd_ps(v, w0, a00); a01 = _mm256_fmadd_ps(v, w1, a01);
        v = _mm256_broadcast_ss(x1 + tap);
        a10 = _mm256_fmadd_ps(v, w0, a10); a11 = _mm256_fmadd_ps(v, w1, a11);
        v = _mm256_broadcast_ss(x2 + tap);
        a20 = _mm256_fmadd_ps(v, w0, a20); a21 = _mm256_fmadd_ps(v, w1, a21);
        v = _mm256_broadcast_ss(x3 + tap);
        a30 = _mm256_fmadd_ps(v, w0, a30); a31 = _mm256_fmadd_ps(v, w1, a31);
        weight += f;
    }
    _mm256_storeu_ps(output, a00); _mm256_storeu_ps(output + 8, a01);
    if (count > 1) { _mm256_storeu_ps(output + f, a10); _mm256_storeu_ps(output + f + 8, a11); }
    if (count > 2) { _mm256_storeu_ps(output + 2 * f, a20); _mm256_storeu_ps(output + 2 * f + 8, a21); }
    if (count > 3) { _mm256_storeu_ps(output + 3 * f, a30); _mm256_storeu_ps(output + 3 * f + 8, a31); }
}

/// Up to 6 output pixels x 8 filters.
AVX2_INLINE void forward6x8(const digit_direct_convolution *conv, const float *image, const ptrdiff_t *pixels,
                            ptrdiff_t count, const float *weight, const float *bias, float *output) {
    const ptrdiff_t f = conv->filters, last = count - 1;
    const __m256 b = _mm256_loadu_ps(bias);
    __m256 a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b;
    const float *x0 = image + pixels[0], *x1 = image + pixels[MIN(1, last)], *x2 = image + pixels[MIN(2, last)];
    const float *x3 = image + pixels[MIN(3, last)], *x4 = image + pixels[MIN(4, last)];
    const float *x5 = image + pixels[MIN(5, last)];
    const ptrdiff_t *taps = conv->tap_offsets;
    for (ptrdiff_t t = 0; t < conv->tap_count; t++) {
        const ptrdiff_t tap = taps[t];
        const __m256 w = _mm256_loadu_ps(weight);
        a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(x0 + tap), w, a0);
        a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(x1 + tap), w, a1);
        a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(x2 + tap), w, a2);
        a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(x3 + tap), w, a3);
        a4 = _mm256_fmadd_ps(_mm256_broadcast_ss(x4 + tap), w, a4);
        a5 = _mm256_fmadd_ps(_mm256_broadcast_ss(x5 + tap), w, a5);
        weight += f;
    }
    _mm256_storeu_ps(output, a0);
    if (count > 1) _mm256_storeu_ps(output + f, a1);
    if (count > 2) _mm256_storeu_ps(output + 2 * f, a2);
    if (count > 3) _mm256_storeu_ps(output + 3 * f, a3);
    if (count > 4) _mm256_storeu_ps(output + 4 * f, a4);
    if (count > 5) _mm256_storeu_ps(output + 5 * f, a5);
}

AVX2 static void avx2_convolution_forward(const digit_direct_convolution *conv, const float *image,
                                          const float *weight, const float *bias, float *output) {
    const ptrdiff_t filters = conv->filters, pixels = conv->pixel_count;
    for (ptrdiff_t j0 = 0; j0 < filters;) {
        const int wide = filters - j0 >= 16;
        const ptrdiff_t tile = wide ? 4 : 6;
        for (ptrdiff_t p = 0; p < pixels;) {
            const ptrdiff_t count = MIN(tile, pixels - p);
            if (wide) {
                forward4x16(conv, image, conv->pixel_offsets + p, count, weight + j0, bias + j0,
                            output + p * filters + j0);
            } else {
                forward6x8(conv, image, conv->pixel_offsets + p, count, weight + j0, bias + j0,
                           output + p * filters + j0);
            }
            p += count;
        }
        j0 += wide ? 16 : 8;
    }
}

AVX2_INLINE void add_to(float *target, __m256 value) {
    _mm256_storeu_ps(target, _mm256_add_ps(_mm256_loadu_ps(target), value));
}

/// Up to 4 taps x 16 filters of the weight gradient. Missing taps repeat the last one.
AVX2_INLINE void gradient4x16(const digit_direct_convolution *conv, const float *image, const ptrdiff_t *taps,
                              ptrdiff_t count, const float *dy, float *gradient) {
    const ptrdiff_t f = conv->filters, last = count - 1;
    __m256 a00 = _mm256_setzero_ps(), a01 = _mm256_setzero_ps(), a10 = _mm256_setzero_ps(), a11 = _mm256_setzero_ps();
    __m256 a20 = _mm256_setzero_ps(), a21 = _mm256_setzero_ps(), a30 = _mm256_setzero_ps(), a31 = _mm256_setzero_ps();
    const ptrdiff_t t0 = taps[0], t1 = taps[MIN(1, last)], t2 = taps[MIN(2, last)], t3 = taps[MIN(3, last)];
    const ptrdiff_t *pixels = conv->pixel_offsets;
    for (ptrdiff_t p = 0; p < conv->pixel_count; p++) {
        const __m256 d0 = _mm256_loadu_ps(dy), d1 = _mm256_loadu_ps(dy + 8);
        const float *x = image + pixels[p];
        __m256 v = _mm256_broadcast_ss(x + t0);
        a00 = _mm256_fmadd_ps(v, d0, a00); a01 = _mm256_fmadd_ps(v, d1, a01);
        v = _mm256_broadcast_ss(x + t1);
        a10 = _mm256_fmadd_ps(v, d0, a10); a11 = _mm256_fmadd_ps(v, d1, a11);
        v = _mm256_broadcast_ss(x + t2);
        a20 = _mm256_fmadd_ps(v, d0, a20); a21 = _mm256_fmadd_ps(v, d1, a21);
        v = _mm256_broadcast_ss(x + t3);
        a30 = _mm256_fmadd_ps(v, d0, a30); a31 = _mm256_fmadd_ps(v, d1, a31);
        dy += f;
    }
    add_to(gradient, a00); add_to(gradient + 8, a01);
    if (count > 1) { add_to(gradient + f, a10); add_to(gradient + f + 8, a11); }
    if (count > 2) { add_to(gradient + 2 * f, a20); add_to(gradient + 2 * f + 8, a21); }
    if (count > 3) { add_to(gradient + 3 * f, a30); add_to(gradient + 3 * f + 8, a31); }
}

/// Up to 7 taps x 8 filters (eight accumulators and their operands would spill one register).
AVX2_INLINE void gradient7x8(const digit_direct_convolution *conv, const float *image, const ptrdiff_t *taps,
                             ptrdiff_t count, const float *dy, float *gradient) {
    const ptrdiff_t f = conv->filters, last = count - 1;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    __m256 a4 = _mm256_setzero_ps(), a5 = _mm256_setzero_ps(), a6 = _mm256_setzero_ps();
    const ptrdiff_t t0 = taps[0], t1 = taps[MIN(1, last)], t2 = taps[MIN(2, last)], t3 = taps[MIN(3, last)];
    const ptrdiff_t t4 = taps[MIN(4, last)], t5 = taps[MIN(5, last)], t6 = taps[MIN(6, last)];
    const ptrdiff_t *pixels = conv->pixel_offsets;
    for (ptrdiff_t p = 0; p < conv->pixel_count; p++) {
        const __m256 d = _mm256_loadu_ps(dy);
        const float *x = image + pixels[p];
        a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(x + t0), d, a0);
        a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(x + t1), d, a1);
        a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(x + t2), d, a2);
        a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(x + t3), d, a3);
        a4 = _mm256_fmadd_ps(_mm256_broadcast_ss(x + t4), d, a4);
        a5 = _mm256_fmadd_ps(_mm256_broadcast_ss(x + t5), d, a5);
        a6 = _mm256_fmadd_ps(_mm256_broadcast_ss(x + t6), d, a6);
        dy += f;
    }
    add_to(gradient, a0);
    if (count > 1) add_to(gradient + f, a1);
    if (count > 2) add_to(gradient + 2 * f, a2);
    if (count > 3) add_to(gradient + 3 * f, a3);
    if (count > 4) add_to(gradient + 4 * f, a4);
    if (count > 5) add_to(gradient + 5 * f, a5);
    if (count > 6) add_to(gradient + 6 * f, a6);
}

AVX2 static void avx2_convolution_weight_gradient(const digit_direct_convolution *conv, const float *image,
                                                  const float *output_gradient, float *weight_gradient) {
    const ptrdiff_t filters = conv->filters, taps = conv->tap_count;
    for (ptrdiff_t j0 = 0; j0 < filters;) {
        const int wide = filters - j0 >= 16;
        const ptrdiff_t tile = wide ? 4 : 7;
        for (ptrdiff_t t = 0; t < taps;) {
            const ptrdiff_t count = MIN(tile, taps - t);
            if (wide) {
                gradient4x16(conv, image, conv->tap_offsets + t, count, output_gradient + j0,
                             weight_gradient + t * filters + j0);
            } else {
                gradient7x8(conv, image, conv->tap_offsets + t, count, output_gradient + j0,
                            weight_gradient + t * filters + j0);
            }
            t += count;
        }
        j0 += wide ? 16 : 8;
    }
}

/// Up to 6 pixels x 8 input channels of the input gradient at one kernel offset. For one
/// offset distinct output pixels touch distinct input pixels, so the tile accumulates in
/// registers. Missing pixels repeat the last one; only real pixels are stored.
AVX2_INLINE void input_gradient6x8(const digit_direct_convolution *conv, const ptrdiff_t *pixels, ptrdiff_t count,
                                   ptrdiff_t offset, const float *dy, const float *weight, ptrdiff_t channels,
                                   float *image) {
    const ptrdiff_t f = conv->filters, last = count - 1;
    float *x0 = image + pixels[0] + offset, *x1 = image + pixels[MIN(1, last)] + offset;
    float *x2 = image + pixels[MIN(2, last)] + offset, *x3 = image + pixels[MIN(3, last)] + offset;
    float *x4 = image + pixels[MIN(4, last)] + offset, *x5 = image + pixels[MIN(5, last)] + offset;
    __m256 a0 = _mm256_loadu_ps(x0), a1 = _mm256_loadu_ps(x1), a2 = _mm256_loadu_ps(x2);
    __m256 a3 = _mm256_loadu_ps(x3), a4 = _mm256_loadu_ps(x4), a5 = _mm256_loadu_ps(x5);
    const float *d0 = dy, *d1 = dy + MIN(1, last) * f, *d2 = dy + MIN(2, last) * f;
    const float *d3 = dy + MIN(3, last) * f, *d4 = dy + MIN(4, last) * f, *d5 = dy + MIN(5, last) * f;
    for (ptrdiff_t j = 0; j < f; j++) {
        const __m256 w = _mm256_loadu_ps(weight);
        a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(d0 + j), w, a0);
        a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(d1 + j), w, a1);
        a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(d2 + j), w, a2);
        a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(d3 + j), w, a3);
        a4 = _mm256_fmadd_ps(_mm256_broadcast_ss(d4 + j), w, a4);
        a5 = _mm256_fmadd_ps(_mm256_broadcast_ss(d5 + j), w, a5);
        weight += channels;
    }
    _mm256_storeu_ps(x0, a0);
    if (count > 1) _mm256_storeu_ps(x1, a1);
    if (count > 2) _mm256_storeu_ps(x2, a2);
    if (count > 3) _mm256_storeu_ps(x3, a3);
    if (count > 4) _mm256_storeu_ps(x4, a4);
    if (count > 5) _mm256_storeu_ps(x5, a5);
}

AVX2 static void avx2_convolution_input_gradient(const digit_direct_convolution *conv, const float *output_gradient,
                                                 const float *transposed_weight, float *image) {
    const ptrdiff_t channels = conv->tap_count / conv->kernel_offsets, filters = conv->filters;
    const ptrdiff_t pixels = conv->pixel_count;
    for (ptrdiff_t o = 0; o < conv->kernel_offsets; o++) {
        const ptrdiff_t offset = conv->tap_offsets[o * channels];
        for (ptrdiff_t c0 = 0; c0 < channels; c0 += 8) {
            const float *weight = transposed_weight + o * filters * channels + c0;
            for (ptrdiff_t p = 0; p < pixels;) {
                const ptrdiff_t count = MIN(6, pixels - p);
                input_gradient6x8(conv, conv->pixel_offsets + p, count, offset + c0, output_gradient + p * filters,
                                  weight, channels, image);
                p += count;
            }
        }
    }
}

// MARK: Max pooling

AVX2 static void avx2_max_pool2(const float *x, float *y, int32_t *winners, ptrdiff_t batch,
                                ptrdiff_t height, ptrdiff_t width, ptrdiff_t channels) {
    const ptrdiff_t c = channels, w = width, oh = height / 2, ow = width / 2;
    const ptrdiff_t sample = height * width * channels;
    // Offsets of a window's other three values from its top-left one, in order.
    const ptrdiff_t corners[3] = {c, w * c, w * c + c};
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    ptrdiff_t o = 0;
    for (ptrdiff_t b = 0; b < batch; b++) {
        const float *src = x + b * sample;
        for (ptrdiff_t oy = 0; oy < oh; oy++) {
            for (ptrdiff_t ox = 0; ox < ow; ox++) {
                const ptrdiff_t top_left = ((2 * oy) * w + 2 * ox) * c;
                ptrdiff_t ch = 0;
                // Eight channels at a time, without branches: which of four values wins is as
                // good as random, and mispredicted branches would dominate this layer.
                for (; ch + 8 <= c; ch += 8, o += 8) {
                    const ptrdiff_t first = top_left + ch;
                    __m256 best = _mm256_loadu_ps(src + first);
                    __m256i index = _mm256_add_epi32(_mm256_set1_epi32((int32_t)first), lanes);
                    for (int i = 0; i < 3; i++) {
                        const __m256 candidate = _mm256_loadu_ps(src + first + corners[i]);
                        const __m256 better = _mm256_cmp_ps(candidate, best, _CMP_GT_OQ);
                        best = _mm256_blendv_ps(best, candidate, better);
                        const __m256i at = _mm256_add_epi32(_mm256_set1_epi32((int32_t)(first + corners[i])), lanes);
                        index = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(index),
                                                                     _mm256_castsi256_ps(at), better));
                    }
                    _mm256_storeu_ps(y + o, best);
                    if (winners) _mm256_storeu_si256((__m256i *)(winners + o), index);
                }
                for (; ch < c; ch++, o++) {
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

#define ELEMENTWISE_NAME(name) avx2_##name
#define ELEMENTWISE_ATTRIBUTES __attribute__((target("avx2,fma")))
#include "elementwise.inc"

static const digit_kernels avx2_kernels = {
    .name = "avx2",
    .gemm_tiles = avx2_gemm_tiles,
    .convolution_forward = avx2_convolution_forward,
    .convolution_weight_gradient = avx2_convolution_weight_gradient,
    .convolution_input_gradient = avx2_convolution_input_gradient,
    .max_pool2 = avx2_max_pool2,
    .normalise_bytes = avx2_normalise_bytes,
    .optimizer_step = avx2_optimizer_step,
};

const digit_kernels *digit_kernels_avx2(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &avx2_kernels;
    return NULL;
}

#else

const digit_kernels *digit_kernels_avx2(void) { return NULL; }

#endif
