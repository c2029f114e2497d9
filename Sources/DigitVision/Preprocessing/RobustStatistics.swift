import DigitCompute

extension DigitPreprocessor {
    /// The median of `values` (gray levels or residuals within ±256), to 1/8 level.
    static func median(of values: [Float]) -> Float {
        quantile(0.5, of: values, range: -256...256, binsPerLevel: 8)
    }

    /// The standard deviation of Gaussian noise with the same median absolute deviation as `values`.
    static func robustDeviation(_ values: [Float]) -> Float {
        let centre = median(of: values)
        return 1.4826 * quantile(0.5, of: values.map { abs($0 - centre) }, range: 0...512, binsPerLevel: 8)
    }

    /// The `q`-quantile (0...1) of `values` from a histogram over `range`, resolution `1 / binsPerLevel`.
    /// Values outside `range` count in its end bins. Linear time, unlike sorting.
    static func quantile(_ q: Float, of values: [Float], range: ClosedRange<Float>, binsPerLevel: Float) -> Float {
        guard !values.isEmpty else { return 0 }
        let binCount = Int((range.upperBound - range.lowerBound) * binsPerLevel) + 1
        var histogram = [Int](repeating: 0, count: binCount)
        for v in values {
            let bin = roundedToInt((min(max(v, range.lowerBound), range.upperBound) - range.lowerBound) * binsPerLevel)
            histogram[bin] += 1
        }
        let target = Int((q * Float(values.count - 1)).rounded())
        var seen = 0
        for (bin, count) in histogram.enumerated() {
            seen += count
            if seen > target { return range.lowerBound + Float(bin) / binsPerLevel }
        }
        return range.upperBound
    }
}
