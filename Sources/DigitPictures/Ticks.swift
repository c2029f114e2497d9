import Foundation

/// "Nice" axis ticks: multiples of 1, 2 or 5 times a power of ten.
package struct AxisTicks: Equatable, Sendable {
    /// Axis range, widened outward to whole multiples of `step`.
    package let lower: Double
    package let upper: Double
    package let step: Double
    /// Tick positions from `lower` to `upper` inclusive.
    package let values: [Double]
    /// Decimal places that show `step` exactly.
    package let decimals: Int

    /// About `target` ticks covering `low...high`. Non-finite input gives 0...1; an empty
    /// range is widened by 10% of the value (or ±0.5 around 0) first.
    package init(low: Double, high: Double, target: Int = 5) {
        var lo = low, hi = high
        if !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
        if lo > hi { swap(&lo, &hi) }
        if hi - lo < 1e-12 * max(1, abs(lo)) {
            let pad = lo == 0 ? 0.5 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let rough = (hi - lo) / Double(max(1, target))
        let power = pow(10, floor(log10(rough)))
        let f = rough / power
        let nice: Double = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
        let step = nice * power
        let first = floor(lo / step + 1e-9), last = ceil(hi / step - 1e-9)
        lower = first * step
        upper = last * step
        self.step = step
        values = (0...max(0, Int((last - first).rounded()))).map { (first + Double($0)) * step }
        decimals = max(0, -Int(floor(log10(step) + 1e-9)))
    }

    /// Tick `value` as text with `decimals` places.
    package func label(_ value: Double) -> String { NumberText.fixed(value, decimals: decimals) }
}
