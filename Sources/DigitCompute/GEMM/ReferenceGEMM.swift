
/// The naive triple loop that defines what `gemm` computes; tests use it as the oracle.
///
/// Row-major: `C[M x N] = alpha * op(A)[M x K] * op(B)[K x N] + beta * C`, where
/// `op(A)` is `A` (stored M x K, row stride `lda`) or, with `transA`, its transpose
/// (A stored K x M). Likewise for B. Accumulates in Double so it is a true reference.
package func referenceGEMM(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum = 0.0
            for p in 0..<k {
                let aValue = transA ? a[p * lda + i] : a[i * lda + p]
                let bValue = transB ? b[j * ldb + p] : b[p * ldb + j]
                sum += Double(aValue) * Double(bValue)
            }
            let previous = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
            c[i * ldc + j] = Float(Double(alpha) * sum + previous)
        }
    }
}
