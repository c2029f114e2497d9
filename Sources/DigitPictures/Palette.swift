import DigitImage

/// The colours every picture in this module shares, so pages look alike.
package enum Palette {
    /// Page background.
    package static let background = RGB.white
    /// Body text and axis labels.
    package static let ink = RGB(34, 34, 34)
    /// Secondary text (indices, notes).
    package static let mutedInk = RGB(110, 110, 110)
    /// Axis lines and tick marks.
    package static let axis = RGB(90, 90, 90)
    /// Grid lines inside a plot.
    package static let grid = RGB(228, 228, 228)
    /// "Right": a correct prediction.
    package static let good = RGB(26, 140, 60)
    /// "Wrong": a misclassification.
    package static let bad = RGB(200, 30, 30)
    /// Negative end of the diverging map.
    package static let negative = RGB(33, 102, 172)
    /// Positive end of the diverging map.
    package static let positive = RGB(178, 24, 43)

    /// Series colours, used in order and then repeated (the matplotlib "tab10" hues).
    package static let series: [RGB] = [
        RGB(31, 119, 180), RGB(255, 127, 14), RGB(44, 160, 44), RGB(214, 39, 40),
        RGB(148, 103, 189), RGB(140, 86, 75), RGB(227, 119, 194), RGB(127, 127, 127),
        RGB(188, 189, 34), RGB(23, 190, 207),
    ]

    /// Series colour number `i` (any `i >= 0`; wraps around).
    package static func seriesColour(_ i: Int) -> RGB { series[i % series.count] }

    /// Perceived brightness in 0...255 (Rec. 601 weights).
    package static func luminance(_ c: RGB) -> Double {
        0.299 * Double(c.r) + 0.587 * Double(c.g) + 0.114 * Double(c.b)
    }

    /// Text colour that reads well on `fill`: white on dark fills, `ink` on light ones.
    package static func contrastingText(on fill: RGB) -> RGB {
        luminance(fill) < 135 ? .white : ink
    }

    /// Linear blend: `t = 0` gives `a`, `t = 1` gives `b`; `t` is clamped to 0...1.
    package static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        let u = t.isNaN ? 0 : min(1, max(0, t))
        func ch(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8((Double(x) + (Double(y) - Double(x)) * u).rounded())
        }
        return RGB(ch(a.r, b.r), ch(a.g, b.g), ch(a.b, b.b))
    }

    /// Piecewise-linear ramp through evenly spaced `stops` at `t` in 0...1 (clamped).
    package static func ramp(_ stops: [RGB], _ t: Double) -> RGB {
        precondition(!stops.isEmpty)
        if stops.count == 1 { return stops[0] }
        let u = t.isNaN ? 0 : min(1, max(0, t))
        let pos = u * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(pos))
        return mix(stops[i], stops[i + 1], pos - Double(i))
    }

    /// Diverging blue-white-red colour for `v` in -1...1 (clamped): -1 is `negative`,
    /// 0 is exactly white, +1 is `positive`. NaN gives mid-gray.
    package static func diverging(_ v: Double) -> RGB {
        if v.isNaN { return RGB(128, 128, 128) }
        if v < 0 { return mix(.white, negative, -v) }
        return mix(.white, positive, v)
    }

    /// Sequential white-to-dark-blue ramp (matplotlib "Blues"-like) for `t` in 0...1;
    /// 0 is exactly white and brightness falls strictly as `t` grows.
    package static func sequential(_ t: Double) -> RGB {
        ramp(sequentialStops, t)
    }

    static let sequentialStops: [RGB] = [
        RGB(255, 255, 255), RGB(214, 230, 244), RGB(158, 202, 225),
        RGB(74, 152, 201), RGB(23, 100, 171), RGB(8, 48, 107),
    ]
}

/// A lookup from an 8-bit gray value to a colour, used when blitting a `GrayImage`.
package struct ColourMap: Equatable, Sendable {
    /// 256 entries; entry `v` is the colour of gray value `v`.
    package let table: [RGB]

    package init(table: [RGB]) {
        precondition(table.count == 256, "ColourMap needs 256 entries, got \(table.count)")
        self.table = table
    }

    package init(_ colour: (UInt8) -> RGB) {
        self.init(table: (0...255).map { colour(UInt8($0)) })
    }

    package subscript(value: UInt8) -> RGB { table[Int(value)] }

    /// Gray value `v` becomes `RGB(v, v, v)`: MNIST digits stay white ink on black.
    package static let grayscale = ColourMap { RGB($0, $0, $0) }
    /// Gray value `v` becomes `RGB(255 - v, ...)`: dark ink on white paper.
    package static let inverted = ColourMap { RGB(255 - $0, 255 - $0, 255 - $0) }

    /// 0 maps to `low`, 255 to `high`, linear in between.
    package static func gradient(from low: RGB, to high: RGB) -> ColourMap {
        ColourMap { Palette.mix(low, high, Double($0) / 255) }
    }
}
