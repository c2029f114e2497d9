@testable import DigitCompute
@testable import DigitVision
import Testing

@Suite("Background normal equations")
struct NormalEquationsTests {
    /// The sums as 8-wide vectors, one row of the matrix per basis function: the oracle.
    static func reference(_ bases: [SIMD8<Double>], _ values: [Double], around coefficients: SIMD8<Double>,
                          within band: Double) -> (matrix: [Double], right: [Double], inliers: Int) {
        var rows = [SIMD8<Double>](repeating: .zero, count: 6)
        var right = SIMD8<Double>.zero
        var inliers = 0
        for (basis, value) in zip(bases, values) where abs(value - (coefficients * basis).sum()) <= band {
            for r in 0..<6 { rows[r] += basis[r] * basis }
            right += value * basis
            inliers += 1
        }
        return (rows.flatMap { row in (0..<6).map { row[$0] } }, (0..<6).map { right[$0] }, inliers)
    }

    @Test("the symmetric pairwise sums equal the full 8-wide ones bit for bit", arguments: [(37, 29), (1, 1), (128, 96)])
    func matchesReference(width: Int, height: Int) {
        let surface = DigitPreprocessor.BackgroundSurface(width: width, height: height, level: 140)
        var random = SeededRandom(seed: 201)
        var bases: [SIMD8<Double>] = [], values: [Double] = []
        for y in 0..<height {
            for x in 0..<width {
                bases.append(surface.basis(x: x, y: y))
                // Paper near 140 with some ink far from it, which the band leaves out.
                values.append(random.integer(below: 5) == 0 ? 30 : 140 + Double(random.integer(below: 9)) - 4)
            }
        }
        var coefficients = surface.vector
        coefficients[1] = 3.5
        coefficients[4] = -1.25
        for band in [4.0, 20, 1000] {
            let fast = DigitPreprocessor.normalEquations(bases, values, around: coefficients, within: band)
            let expected = Self.reference(bases, values, around: coefficients, within: band)
            #expect(fast.inliers == expected.inliers)
            #expect(fast.matrix.map(\.bitPattern) == expected.matrix.map(\.bitPattern))
            #expect(fast.right.map(\.bitPattern) == expected.right.map(\.bitPattern))
        }
    }
}
