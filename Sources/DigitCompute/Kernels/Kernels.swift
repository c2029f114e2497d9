import CDigitKernels

/// One set of the C kernels behind `gemm`, the direct convolution and max pooling
/// (`Sources/CDigitKernels`): AVX2 + FMA intrinsics, or portable C.
///
/// `selected` is chosen once, on first use, from what the CPU supports (AVX2 and FMA on
/// x86-64), and every call goes through its table of function pointers; the environment
/// variable `DIGIT_KERNELS=portable` forces the portable set for a whole process. Tests
/// pass a set explicitly to check each one against the naive references.
struct Kernels: @unchecked Sendable, CustomStringConvertible {
    /// Points at a static, immutable table in the C target.
    let table: UnsafePointer<digit_kernels>

    /// The set every layer uses unless told otherwise.
    static let selected = Kernels(table: digit_kernels_best())
    /// Plain C, which runs on any CPU.
    static let portable = Kernels(table: digit_kernels_portable())
    /// The AVX2 + FMA set, or nil when this CPU (or architecture) lacks them.
    static let avx2: Kernels? = digit_kernels_avx2().map { Kernels(table: $0) }
    /// Every set this CPU can run.
    static var available: [Kernels] { [portable] + (avx2.map { [$0] } ?? []) }

    var name: String { String(cString: table.pointee.name) }
    var description: String { name }
}

/// The name of the kernel set in use ("avx2" or "portable"), for diagnostics.
package var numericKernelsName: String { Kernels.selected.name }
