import CDigitKernels

/// The register-blocked 6x16 micro-kernel behind `gemm`, in C (`Sources/CDigitKernels`).
///
/// A 6-row x 16-column tile of C lives in twelve 8-wide accumulators (AVX2 registers, or
/// the portable kernel's fixed-size arrays that the compiler keeps in vector registers).
/// Each step of K broadcasts six values of A and multiply-adds them with two 8-wide
/// vectors of B. Rows past M are read from a zero-padded copy so the ragged last tile
/// still runs the vector path.
enum GEMMKernel {
    static let tileHeight = Int(DIGIT_GEMM_TILE_HEIGHT)
    static let panelWidth = Int(DIGIT_GEMM_PANEL_WIDTH)
    /// Multiply-adds above which a product is split over the threads: below this the
    /// dispatch costs about as much as the work saves.
    static let parallelThreshold = 1 << 21

    struct Job {
        let a: MatrixView
        let b: PanelledB
        let k: Int
        let m: Int
        let n: Int
        let alpha: Float
        let beta: Float
        let c: UnsafeMutablePointer<Float>
        let ldc: Int
        let kernels: Kernels

        func run(tiles: Range<Int>, panels: Range<Int>) {
            guard !tiles.isEmpty, !panels.isEmpty else { return }
            var job = digit_gemm_job(
                a: a.base, a_row_stride: a.rowStride, a_column_stride: a.columnStride,
                b_direct: b.direct, b_direct_stride: b.directStride,
                b_packed: b.packed, first_packed_panel: b.firstPackedPanel,
                m: m, n: n, k: k, alpha: alpha, beta: beta, c: c, ldc: ldc)
            kernels.table.pointee.gemm_tiles(&job, tiles.lowerBound, tiles.upperBound,
                                             panels.lowerBound, panels.upperBound)
        }
    }
}
