
/// Rounding to an integer without a libm call.
///
/// DigitKit is built for the baseline x86-64 instruction set, which has no rounding
/// instruction (SSE4.1's `roundss`), so `x.rounded()`, `.rounded(.down)` and `floorf` each
/// call libm. These give the same integers from a truncating conversion, inline, for the
/// loops that round once per pixel or value.

/// `Int(x.rounded())`: to nearest, halves away from zero (traps where that would).
@inline(__always)
package func roundedToInt(_ x: Double) -> Int {
    let whole = Int(x)  // toward zero
    let fraction = x - Double(whole)  // exact
    return fraction >= 0.5 ? whole + 1 : fraction <= -0.5 ? whole - 1 : whole
}

/// `Int(x.rounded())` for a Float (exact through Double).
@inline(__always)
package func roundedToInt(_ x: Float) -> Int { roundedToInt(Double(x)) }

/// `Int(x.rounded(.down))`, i.e. `Int(floorf(x))`.
@inline(__always)
func flooredToInt(_ x: Float) -> Int {
    let whole = Int(x)
    return Float(whole) > x ? whole - 1 : whole
}
