
/// Single-precision matrix product, row-major:
/// `C[M x N] = alpha * op(A)[M x K] * op(B)[K x N] + beta * C`.
///
/// `op(A)` is `A` stored M x K with row stride `lda`, or with `transA` the transpose of
/// `A` stored K x M; likewise `op(B)`. With `beta == 0` the old contents of C are not
/// read (they may be uninitialised or NaN). The result equals `referenceGEMM` up to
/// float rounding, and is bit-identical from run to run: each element of C is always
/// summed by one thread in the same order, whatever the thread count.
///
/// Products of more than `parallelThreshold` multiply-adds are split into `Scheduler.threads`
/// bands of whole tiles (or of whole column panels, when there are more of those), unless
/// `parallel` is false or the caller is already running a part of a split.
package func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
    parallel: Bool = true
) {
    gemm(using: .selected, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
         b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, parallel: parallel)
}

/// `gemm` with the given kernel set (tests run each set against the reference).
func gemm(
    using kernels: Kernels, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
    parallel: Bool = true
) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        scale(c, rows: m, columns: n, ldc: ldc, by: beta)
        return
    }
    let operandA = MatrixView(base: a, rowStride: transA ? 1 : lda, columnStride: transA ? lda : 1)
    let panels = (n + GEMMKernel.panelWidth - 1) / GEMMKernel.panelWidth
    let tiles = (m + GEMMKernel.tileHeight - 1) / GEMMKernel.tileHeight
    let bands = max(tiles, panels)
    let threads = parallel && m * n * k >= GEMMKernel.parallelThreshold ? min(Scheduler.partsHere, bands) : 1

    // B is read as 16-wide rows. Row-major B is used in place; a transposed B, or the
    // ragged last panel, is packed into contiguous K x 16 panels first.
    withPackedB(transB: transB, b: b, ldb: ldb, n: n, k: k) { packedB in
        let job = GEMMKernel.Job(a: operandA, b: packedB, k: k, m: m, n: n,
                                 alpha: alpha, beta: beta, c: c, ldc: ldc, kernels: kernels)
        guard threads > 1 else { return job.run(tiles: 0..<tiles, panels: 0..<panels) }
        let partition = Partition(bands, parts: threads)
        Scheduler.run(parts: threads) { part in
            if tiles >= panels {
                job.run(tiles: partition[part], panels: 0..<panels)
            } else {
                job.run(tiles: 0..<tiles, panels: partition[part])
            }
        }
    }
}

/// Convenience over arrays: `C = alpha * op(A) * op(B) + beta * C` with dense
/// row-major operands (leading dimensions equal to their stored widths).
package func gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, _ a: [Float], _ b: [Float], beta: Float = 0, into c: inout [Float]
) {
    precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "gemm: operand too small")
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                     a: pa.baseAddress!, lda: transA ? m : k, b: pb.baseAddress!, ldb: transB ? k : n,
                     beta: beta, c: pc.baseAddress!, ldc: n)
            }
        }
    }
}

/// Element (r, c) of a strided matrix is `base[r * rowStride + c * columnStride]`.
struct MatrixView {
    let base: UnsafePointer<Float>
    let rowStride: Int
    let columnStride: Int
}

/// B as the kernel reads it: panel `p` (columns 16p..<16p+16), row `k`, is 16 contiguous
/// floats of row-major B used in place (`direct`, for the panels before `firstPackedPanel`)
/// or of the packed K x 16 panels (`packed`, the rest). See `digit_gemm_job`.
struct PanelledB {
    /// Row-major B used in place (nil when everything was packed).
    let direct: UnsafePointer<Float>?
    let directStride: Int
    /// Packed panels, each K x 16, for those not read directly.
    let packed: UnsafePointer<Float>?
    /// Index of the first panel held in `packed`.
    let firstPackedPanel: Int
}

private func withPackedB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, n: Int, k: Int,
                         _ body: (PanelledB) -> Void) {
    let width = GEMMKernel.panelWidth
    let firstPacked = transB ? 0 : n / width
    let panels = (n + width - 1) / width
    let packedPanels = panels - firstPacked
    guard packedPanels > 0 else {
        body(PanelledB(direct: b, directStride: ldb, packed: nil, firstPackedPanel: panels))
        return
    }
    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: packedPanels * k * width)
    defer { buffer.deallocate() }
    for panel in firstPacked..<panels {
        let dst = buffer + (panel - firstPacked) * k * width
        let j0 = panel * width
        let columns = min(width, n - j0)
        for p in 0..<k {
            let row = dst + p * width
            if transB {
                for j in 0..<columns { row[j] = b[(j0 + j) * ldb + p] }
            } else {
                for j in 0..<columns { row[j] = b[p * ldb + j0 + j] }
            }
            for j in columns..<width { row[j] = 0 }
        }
    }
    body(PanelledB(direct: transB ? nil : b, directStride: ldb, packed: buffer, firstPackedPanel: firstPacked))
}

private func scale(_ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ldc: Int, by beta: Float) {
    for i in 0..<rows {
        for j in 0..<columns {
            c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j]
        }
    }
}
