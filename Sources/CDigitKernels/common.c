#include "CDigitKernels.h"
#include "kernels_internal.h"

#include <stdlib.h>
#include <string.h>

float *digit_gemm_pack_tail(const digit_gemm_job *job, ptrdiff_t tile_end) {
    const ptrdiff_t th = DIGIT_GEMM_TILE_HEIGHT;
    if (job->m % th == 0 || tile_end * th <= job->m) return NULL;
    const ptrdiff_t i0 = job->m / th * th, k = job->k;
    float *buffer = calloc((size_t)(k * th), sizeof(float));
    if (!buffer) abort();
    for (ptrdiff_t r = 0; r < job->m - i0; r++) {
        for (ptrdiff_t p = 0; p < k; p++) {
            buffer[p * th + r] = job->a[(i0 + r) * job->a_row_stride + p * job->a_column_stride];
        }
    }
    return buffer;
}

const digit_kernels *digit_kernels_best(void) {
    const char *forced = getenv("DIGIT_KERNELS");
    if (forced && strcmp(forced, "portable") == 0) return digit_kernels_portable();
    const digit_kernels *avx2 = digit_kernels_avx2();
    return avx2 ? avx2 : digit_kernels_portable();
}
