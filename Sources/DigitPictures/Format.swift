
/// Deterministic number formatting (no locale, no Foundation) for labels.
package enum NumberText {
    /// `value` rounded to `decimals` places (half away from zero), e.g. `fixed(0.125, 2) == "0.13"`.
    /// Non-finite values give "nan", "inf" or "-inf"; "-0" never appears.
    package static func fixed(_ value: Double, decimals: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let d = max(0, min(9, decimals))
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return String(value) }
        let n = Int64(scaled)
        let unit = Int64(scale)
        var text = String(n / unit)
        if d > 0 {
            let frac = String(n % unit)
            text += "." + String(repeating: "0", count: d - frac.count) + frac
        }
        return (value < 0 && n != 0) ? "-" + text : text
    }

    /// A probability in 0...1 as a percentage, e.g. `percent(0.998, decimals: 1) == "99.8%"`.
    /// NaN gives "?%".
    package static func percent(_ p: Float, decimals: Int = 0) -> String {
        p.isNaN ? "?%" : fixed(Double(p) * 100, decimals: decimals) + "%"
    }
}
