import DigitCompute

extension DigitPreprocessor {
    /// Otsu's threshold of ink strengths (gray levels, clamped to 0...255): the level that best
    /// separates the values into two classes (maximum between-class variance). When a range of
    /// levels ties (an empty gap between background and ink), returns the middle of that range.
    static func otsuThreshold(_ values: [Float]) -> Float {
        var histogram = [Double](repeating: 0, count: 256)
        for v in values { histogram[roundedToInt(min(max(v, 0), 255))] += 1 }
        let total = histogram.reduce(0, +)
        let totalSum = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset) * $1.element }
        var belowCount = 0.0
        var belowSum = 0.0
        var best = -1.0
        var firstBest = 0
        var lastBest = 0
        for level in 0..<255 {
            belowCount += histogram[level]
            belowSum += Double(level) * histogram[level]
            let aboveCount = total - belowCount
            guard belowCount > 0, aboveCount > 0 else { continue }
            let difference = belowSum / belowCount - (totalSum - belowSum) / aboveCount
            let spread = belowCount * aboveCount * difference * difference
            if spread > best * (1 + 1e-12) {
                best = spread
                firstBest = level
                lastBest = level
            } else if spread >= best * (1 - 1e-12) {
                lastBest = level
            }
        }
        // The split lies between `level` and `level + 1`.
        return Float(firstBest + lastBest) / 2 + 0.5
    }

    /// The threshold that separates ink from background: Otsu's, but never inside the background
    /// noise (3 deviations) nor below half the minimum ink contrast (gray levels).
    static func inkThreshold(strength: Plane<Float>, noise: Float, minimumContrast: Float) -> Float {
        max(otsuThreshold(strength.values), 3 * noise, minimumContrast / 2)
    }

    /// A mask of the pixels whose strength exceeds `threshold`: 1 for ink, 0 otherwise.
    static func inkMask(strength: Plane<Float>, threshold: Float) -> Plane<UInt8> {
        Plane(width: strength.width, height: strength.height,
              values: strength.values.map { $0 > threshold ? 1 : 0 })
    }

    /// The ink's typical peak strength (gray levels): the 90th percentile of `strength` over mask pixels,
    /// robust to a few outliers. 0 when the mask is empty.
    static func inkLevel(strength: Plane<Float>, mask: Plane<UInt8>) -> Float {
        var inked: [Float] = []
        for (s, m) in zip(strength.values, mask.values) where m == 1 { inked.append(s) }
        return quantile(0.9, of: inked, range: 0...256, binsPerLevel: 4)
    }
}
