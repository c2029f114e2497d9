// Helpers shared by the kernel sets (not part of the module's interface).
#ifndef DIGIT_KERNELS_INTERNAL_H
#define DIGIT_KERNELS_INTERNAL_H

#include "CDigitKernels.h"

/// Row 0 of panel `panel` of B, and (in `stride`) the distance between its rows.
static inline const float *digit_gemm_panel(const digit_gemm_job *job, ptrdiff_t panel, ptrdiff_t *stride) {
    if (panel < job->first_packed_panel) {
        *stride = job->b_direct_stride;
        return job->b_direct + panel * DIGIT_GEMM_PANEL_WIDTH;
    }
    *stride = DIGIT_GEMM_PANEL_WIDTH;
    return job->b_packed + (panel - job->first_packed_panel) * job->k * DIGIT_GEMM_PANEL_WIDTH;
}

/// When the tiles up to `tile_end` include a ragged last one, its rows of op(A) as a
/// zero-padded k x 6 block (free with `free`); otherwise NULL.
float *digit_gemm_pack_tail(const digit_gemm_job *job, ptrdiff_t tile_end);

#endif
