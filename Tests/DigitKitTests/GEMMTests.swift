@testable import DigitCompute
import Testing

/// One `gemm` problem: sizes, transpositions, scalars and padding of the leading dimensions.
struct GEMMCase: Sendable, CustomTestStringConvertible {
    var m: Int, n: Int, k: Int
    var transA = false, transB = false
    var alpha: Float = 1, beta: Float = 0
    /// Extra elements per stored row beyond the operand's width.
    var padA = 0, padB = 0, padC = 0

    var testDescription: String {
        "m\(m) n\(n) k\(k) \(transA ? "T" : "N")\(transB ? "T" : "N") α\(alpha) β\(beta) pad\(padA),\(padB),\(padC)"
    }

    func with(transA: Bool, transB: Bool) -> GEMMCase {
        var copy = self
        copy.transA = transA
        copy.transB = transB
        return copy
    }

    // Stored shapes: A is M x K (or K x M transposed), B is K x N (or N x K).
    var aRows: Int { transA ? k : m }
    var aWidth: Int { transA ? m : k }
    var bRows: Int { transB ? n : k }
    var bWidth: Int { transB ? k : n }
    var lda: Int { aWidth + padA }
    var ldb: Int { bWidth + padB }
    var ldc: Int { n + padC }
}

/// Runs `gemm` and `referenceGEMM` on the same random operands (padding filled with NaN,
/// which must never be read) and returns both results with the error bound per element.
struct GEMMRun {
    let c: [Float]
    let expected: [Float]
    let bound: [Float]
    let testCase: GEMMCase
    /// Sentinel stored in C's padding, which must survive untouched.
    static let padSentinel: Float = -12345.5

    init(_ t: GEMMCase, seed: UInt64 = 7, initialC: Float? = nil, kernels: Kernels = .selected) {
        testCase = t
        var a = CoreSupport.randomFloats(max(t.aRows * t.lda, 1), seed: seed)
        var b = CoreSupport.randomFloats(max(t.bRows * t.ldb, 1), seed: seed &+ 1)
        for r in 0..<t.aRows { for p in t.aWidth..<t.lda { a[r * t.lda + p] = .nan } }
        for r in 0..<t.bRows { for p in t.bWidth..<t.ldb { b[r * t.ldb + p] = .nan } }
        var c = CoreSupport.randomFloats(max(t.m * t.ldc, 1), seed: seed &+ 2)
        if let initialC { for i in c.indices { c[i] = initialC } }
        for r in 0..<t.m { for j in t.n..<t.ldc { c[r * t.ldc + j] = Self.padSentinel } }
        var expected = c
        // |alpha| |op(A)| |op(B)| + |beta C|: the scale that float rounding is relative to.
        let absA = a.map { $0.isNaN ? 0 : abs($0) }, absB = b.map { $0.isNaN ? 0 : abs($0) }
        var scale = c.map { $0.isNaN ? 0 : abs($0) }
        referenceGEMM(transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: abs(t.alpha),
                      a: absA, lda: t.lda, b: absB, ldb: t.ldb, beta: abs(t.beta), c: &scale, ldc: t.ldc)
        referenceGEMM(transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
                      a: a, lda: t.lda, b: b, ldb: t.ldb, beta: t.beta, c: &expected, ldc: t.ldc)
        gemm(using: kernels, transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
             a: a, lda: t.lda, b: b, ldb: t.ldb, beta: t.beta, c: &c, ldc: t.ldc)
        self.c = c
        self.expected = expected
        let relative = 1e-5 * Float(max(t.k, 1)).squareRoot()
        bound = scale.map { relative * $0 + 1e-30 }
    }

    /// Indices (row, column) of elements of C outside the bound, at most a few.
    var mismatches: [String] {
        var found: [String] = []
        let t = testCase
        for i in 0..<t.m {
            for j in 0..<t.n {
                let index = i * t.ldc + j
                let error = abs(c[index] - expected[index])
                if !(error <= bound[index]) {
                    found.append("C[\(i),\(j)] = \(c[index]), reference \(expected[index]), bound \(bound[index])")
                    if found.count >= 5 { return found }
                }
            }
        }
        return found
    }

    /// Padding columns of C that changed.
    var paddingChanges: Int {
        let t = testCase
        var changed = 0
        for i in 0..<t.m { for j in t.n..<t.ldc where c[i * t.ldc + j] != Self.padSentinel { changed += 1 } }
        return changed
    }
}

let transpositions: [(Bool, Bool)] = [(false, false), (false, true), (true, false), (true, true)]

@Suite("GEMM")
struct GEMMTests {
    static let oddShapes: [GEMMCase] = [
        GEMMCase(m: 1, n: 1, k: 1),
        GEMMCase(m: 7, n: 7, k: 7),
        GEMMCase(m: 63, n: 63, k: 63),
        GEMMCase(m: 1, n: 785, k: 7),
        GEMMCase(m: 65, n: 17, k: 1),
        GEMMCase(m: 785, n: 1, k: 7),
        GEMMCase(m: 7, n: 63, k: 785),
        GEMMCase(m: 6, n: 16, k: 3),     // exactly one tile and one panel
        GEMMCase(m: 12, n: 32, k: 5),    // whole tiles and panels only
        GEMMCase(m: 13, n: 33, k: 2),    // one past whole tiles and panels
        GEMMCase(m: 5, n: 15, k: 9),     // one short of a tile and a panel
    ]

    @Test("matches referenceGEMM for odd sizes", arguments: oddShapes, 0..<4)
    func oddSizes(shape: GEMMCase, transposition: Int) {
        let (ta, tb) = transpositions[transposition]
        let run = GEMMRun(shape.with(transA: ta, transB: tb))
        #expect(run.mismatches == [])
    }

    static let scalars: [(alpha: Float, beta: Float)] = [(1, 0), (2.5, 0), (-0.75, 0), (1, 1), (0.5, -2), (0, 1), (0, 0), (-1, 0.25)]

    @Test("alpha and beta combinations", arguments: 0..<scalars.count, 0..<4)
    func alphaBeta(scalarIndex: Int, transposition: Int) {
        let (alpha, beta) = Self.scalars[scalarIndex]
        let (ta, tb) = transpositions[transposition]
        let shape = GEMMCase(m: 9, n: 21, k: 11, transA: ta, transB: tb, alpha: alpha, beta: beta)
        let run = GEMMRun(shape)
        #expect(run.mismatches == [])
    }

    @Test("beta 0 never reads C, even when it is NaN", arguments: 0..<4)
    func betaZeroIgnoresNaN(transposition: Int) {
        let (ta, tb) = transpositions[transposition]
        for shape in [GEMMCase(m: 13, n: 35, k: 9), GEMMCase(m: 6, n: 16, k: 4), GEMMCase(m: 1, n: 3, k: 2)] {
            var t = shape.with(transA: ta, transB: tb)
            t.alpha = 1.5
            let run = GEMMRun(t, initialC: .nan)
            #expect(run.mismatches == [], "\(t.testDescription)")
            let nans = (0..<t.m).flatMap { i in (0..<t.n).map { j in run.c[i * t.ldc + j] } }.filter(\.isNaN).count
            #expect(nans == 0, "\(t.testDescription)")
        }
    }

    @Test("beta 1 accumulates onto C")
    func betaOneAccumulates() {
        // C starts at 10 everywhere; A·B with A = all 1 (2x3) and B = all 2 (3x4) is 6: C must become 16.
        var c = [Float](repeating: 10, count: 8)
        gemm(m: 2, n: 4, k: 3, [Float](repeating: 1, count: 6), [Float](repeating: 2, count: 12), beta: 1, into: &c)
        #expect(c == [Float](repeating: 16, count: 8))
        gemm(m: 2, n: 4, k: 3, [Float](repeating: 1, count: 6), [Float](repeating: 2, count: 12), beta: 1, into: &c)
        #expect(c == [Float](repeating: 22, count: 8))
        gemm(m: 2, n: 4, k: 3, [Float](repeating: 1, count: 6), [Float](repeating: 2, count: 12), beta: 0, into: &c)
        #expect(c == [Float](repeating: 6, count: 8))
    }

    @Test("small product computed by hand, all transpositions")
    func handComputed() {
        // op(A) = [[1, 2], [3, 4]] (2x2), op(B) = [[5, 6, 7], [8, 9, 10]] (2x3).
        // op(A)·op(B) = [[21, 24, 27], [47, 54, 61]].
        let a: [Float] = [1, 2, 3, 4], aT: [Float] = [1, 3, 2, 4]
        let b: [Float] = [5, 6, 7, 8, 9, 10], bT: [Float] = [5, 8, 6, 9, 7, 10]
        let expected: [Float] = [21, 24, 27, 47, 54, 61]
        for (ta, tb) in transpositions {
            var c = [Float](repeating: .nan, count: 6)
            gemm(transA: ta, transB: tb, m: 2, n: 3, k: 2, ta ? aT : a, tb ? bT : b, into: &c)
            #expect(c == expected, "transA \(ta) transB \(tb)")
        }
    }

    @Test("k = 0 scales C by beta", arguments: [Float(0), 1, 3])
    func emptyK(beta: Float) {
        var c: [Float] = beta == 0 ? [.nan, .nan, .nan, .nan] : [1, 2, 3, 4]
        let before = c
        gemm(transA: false, transB: false, m: 2, n: 2, k: 0, alpha: 2, a: [Float](), lda: 0, b: [Float](), ldb: 2,
             beta: beta, c: &c, ldc: 2)
        #expect(c == before.map { beta == 0 ? 0 : beta * $0 })
    }

    static let paddedShapes: [GEMMCase] = [
        GEMMCase(m: 7, n: 17, k: 5, padA: 3, padB: 5, padC: 2),
        GEMMCase(m: 13, n: 32, k: 9, padA: 1, padB: 16, padC: 7),
        GEMMCase(m: 1, n: 40, k: 33, padA: 11, padB: 2, padC: 1),
        GEMMCase(m: 20, n: 5, k: 1, alpha: 2, beta: 0.5, padA: 4, padB: 3, padC: 3),
    ]

    @Test("leading dimensions larger than the widths", arguments: paddedShapes, 0..<4)
    func leadingDimensions(shape: GEMMCase, transposition: Int) {
        let (ta, tb) = transpositions[transposition]
        let run = GEMMRun(shape.with(transA: ta, transB: tb))
        #expect(run.mismatches == [])
        #expect(run.paddingChanges == 0, "gemm wrote into C's padding")
    }

    // m*n*k >= 2^21 takes the two-thread path: the first splits tiles (rows), the second panels (columns).
    static let largeShapes: [GEMMCase] = [
        GEMMCase(m: 301, n: 41, k: 171, alpha: 1, beta: 0.5, padA: 2, padB: 1, padC: 3),
        GEMMCase(m: 19, n: 601, k: 185),
    ]

    @Test("large products split over 1, 2, 3, 4 and 8 threads match the reference", arguments: largeShapes, [1, 2, 3, 4, 8])
    func splitOverThreads(shape: GEMMCase, threads: Int) {
        for (ta, tb) in transpositions {
            let t = shape.with(transA: ta, transB: tb)
            #expect(t.m * t.n * t.k >= GEMMKernel.parallelThreshold)
            let run = Scheduler.withThreads(threads) { GEMMRun(t) }
            #expect(run.mismatches == [])
            #expect(run.paddingChanges == 0)
        }
    }

    @Test("same inputs twice give bit-identical results", arguments: largeShapes + [GEMMCase(m: 13, n: 33, k: 300)])
    func deterministic(shape: GEMMCase) {
        let first = GEMMRun(shape, seed: 99)
        let second = GEMMRun(shape, seed: 99)
        #expect(CoreSupport.bits(first.c) == CoreSupport.bits(second.c))
    }

    @Test("parallel: false gives the same bits as a split over 2, 3, 4 or 8 threads", arguments: largeShapes, [2, 3, 4, 8])
    func serialEqualsParallel(shape: GEMMCase, threads: Int) {
        let t = shape
        let a = CoreSupport.randomFloats(t.aRows * t.lda, seed: 21), b = CoreSupport.randomFloats(t.bRows * t.ldb, seed: 22)
        let start = CoreSupport.randomFloats(t.m * t.ldc, seed: 23)
        var parallel = start, serial = start
        Scheduler.withThreads(threads) {
            gemm(transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha, a: a, lda: t.lda,
                 b: b, ldb: t.ldb, beta: t.beta, c: &parallel, ldc: t.ldc)
        }
        gemm(transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha, a: a, lda: t.lda,
             b: b, ldb: t.ldb, beta: t.beta, c: &serial, ldc: t.ldc, parallel: false)
        #expect(CoreSupport.bits(parallel) == CoreSupport.bits(serial))
    }

    @Test("a product split over the threads is bit-identical to computing one row at a time")
    func splitIndependent() {
        // Each element is summed by one thread in a fixed order, so the split cannot change a bit.
        let m = 300, n = 41, k = 180
        #expect(m * n * k >= GEMMKernel.parallelThreshold)
        let a = CoreSupport.randomFloats(m * k, seed: 3), b = CoreSupport.randomFloats(k * n, seed: 4)
        var whole = [Float](repeating: 0, count: m * n)
        gemm(m: m, n: n, k: k, alpha: 0.75, a, b, into: &whole)
        var rows = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            var row = [Float](repeating: 0, count: n)
            gemm(m: 1, n: n, k: k, alpha: 0.75, Array(a[(i * k)..<((i + 1) * k)]), b, into: &row)
            rows.replaceSubrange((i * n)..<((i + 1) * n), with: row)
        }
        #expect(CoreSupport.bits(whole) == CoreSupport.bits(rows))
    }
}
