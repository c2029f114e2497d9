import DigitImage

/// Which vertical axis a series is measured against.
package enum ChartAxis: Equatable, Sendable {
    case left, right
}

/// One named curve for `lineChart`: `values[i]` belongs to epoch `i + 1`.
/// NaN or infinite values are missing points: nothing is drawn there and the line breaks.
package struct ChartSeries: Equatable, Sendable {
    package var name: String
    package var values: [Float]
    /// Line colour; nil picks `Palette.seriesColour` by the series' position.
    package var colour: RGB?
    package var axis: ChartAxis

    package init(name: String, values: [Float], colour: RGB? = nil, axis: ChartAxis = .left) {
        self.name = name
        self.values = values
        self.colour = colour
        self.axis = axis
    }
}

/// Training curves over epochs, e.g. loss (left axis) with train and validation
/// accuracy (right axis).
///
/// - The picture is exactly `width` x `height` pixels (at least 200 x 150).
/// - x runs over epochs 1...n, n the longest series; integer ticks. One epoch is drawn
///   as a single marker in the middle. Without any finite value the plot says so.
/// - Each axis used spans the finite values of its series, widened to "nice" ticks
///   (`AxisTicks`); an axis with no finite value spans 0...1. `rightLabel` and the right
///   axis appear only when some series uses `.right`.
/// - Lines are 2 pixels thick; each finite point also gets a 5 x 5 marker when the
///   longest series has at most 60 points.
/// - The legend (colour swatch and name per series) sits under the x-axis label.
package func lineChart(series: [ChartSeries], title: String? = nil, xLabel: String = "epoch",
                      leftLabel: String = "", rightLabel: String = "",
                      width: Int = 640, height: Int = 400) -> RGBImage {
    let w = max(200, width), h = max(150, height)
    var canvas = Canvas(width: w, height: h)
    let glyphH = BitmapFont.glyphHeight
    let epochs = series.map(\.values.count).max() ?? 0
    let usesRight = series.contains { $0.axis == .right }

    func ticks(for axis: ChartAxis) -> AxisTicks {
        let finite = series.filter { $0.axis == axis }.flatMap(\.values).filter(\.isFinite).map(Double.init)
        guard let lo = finite.min(), let hi = finite.max() else { return AxisTicks(low: 0, high: 1) }
        return AxisTicks(low: lo, high: hi)
    }
    let left = ticks(for: .left), right = ticks(for: .right)
    let leftTickWidth = left.values.map { BitmapFont.textWidth(left.label($0)) }.max() ?? 0
    let rightTickWidth = usesRight ? (right.values.map { BitmapFont.textWidth(right.label($0)) }.max() ?? 0) : 0

    // Legend entries, wrapped into rows that fit the picture.
    let swatch = 18
    var legendRows: [[(Int, Int)]] = [[]]  // (series index, x offset)
    var cursor = 0
    for (i, s) in series.enumerated() {
        let entry = swatch + 5 + BitmapFont.textWidth(s.name)
        if cursor > 0 && cursor + entry > w - 20 {
            legendRows.append([])
            cursor = 0
        }
        legendRows[legendRows.count - 1].append((i, cursor))
        cursor += entry + 18
    }
    let legendHeight = series.isEmpty ? 0 : legendRows.count * 14

    // Plot rectangle.
    let margin = 10
    let titleBand = (title?.isEmpty ?? true) ? 0 : BitmapFont.textHeight(title!, scale: 2) + 10
    let plotLeft = margin + (leftLabel.isEmpty ? 0 : glyphH + 8) + leftTickWidth + 8
    let plotRight = w - margin - (usesRight ? (rightLabel.isEmpty ? 0 : glyphH + 8) + rightTickWidth + 8 : 10)
    let plotTop = margin + titleBand + 4
    let plotBottom = h - margin - legendHeight - (legendHeight > 0 ? 8 : 0)
        - (xLabel.isEmpty ? 0 : glyphH + 6) - (glyphH + 8)
    let plot = PixelRect(x: plotLeft, y: plotTop, width: max(1, plotRight - plotLeft),
                         height: max(1, plotBottom - plotTop))

    // Value -> pixel. The x range keeps 8 pixels free at both ends for markers.
    let inner = max(1, plot.width - 17)
    func px(_ epoch: Int) -> Int {
        epochs <= 1 ? plot.x + plot.width / 2
            : plot.x + 8 + Int((Double(epoch - 1) * Double(inner) / Double(epochs - 1)).rounded())
    }
    func py(_ v: Double, _ t: AxisTicks) -> Int {
        let f = (v - t.lower) / (t.upper - t.lower)
        return plot.maxY - 1 - Int((f * Double(plot.height - 1)).rounded())
    }

    if let t = title, !t.isEmpty {
        canvas.drawTextCentred(t, centreX: w / 2, top: margin, scale: 2, colour: Palette.ink)
    }

    // Grid lines and y ticks.
    for v in left.values {
        let y = py(v, left)
        canvas.fillRect(PixelRect(x: plot.x, y: y, width: plot.width, height: 1), colour: Palette.grid)
        canvas.fillRect(PixelRect(x: plot.x - 4, y: y, width: 4, height: 1), colour: Palette.axis)
        let label = left.label(v)
        canvas.drawText(label, at: PixelPoint(x: plot.x - 7 - BitmapFont.textWidth(label), y: y - 3),
                        colour: Palette.ink)
    }
    if usesRight {
        for v in right.values {
            let y = py(v, right)
            canvas.fillRect(PixelRect(x: plot.maxX, y: y, width: 4, height: 1), colour: Palette.axis)
            canvas.drawText(right.label(v), at: PixelPoint(x: plot.maxX + 7, y: y - 3), colour: Palette.ink)
        }
    }

    // x ticks: epoch 1 and multiples of a nice whole step.
    if epochs >= 1 {
        let step = max(1, Int(AxisTicks(low: 1, high: Double(epochs), target: max(1, min(8, plot.width / 70))).step.rounded()))
        var marks = [1]
        var m = step
        while m <= epochs {
            if m > 1 && Double(px(m) - px(1)) >= 24 { marks.append(m) }
            m += step
        }
        for e in marks {
            let x = px(e)
            canvas.fillRect(PixelRect(x: x, y: plot.y, width: 1, height: plot.height), colour: Palette.grid)
            canvas.fillRect(PixelRect(x: x, y: plot.maxY, width: 1, height: 4), colour: Palette.axis)
            canvas.drawTextCentred(String(e), centreX: x, top: plot.maxY + 7, colour: Palette.ink)
        }
    }

    // Axes and labels.
    canvas.fillRect(PixelRect(x: plot.x - 1, y: plot.y, width: 1, height: plot.height + 1), colour: Palette.axis)
    canvas.fillRect(PixelRect(x: plot.x - 1, y: plot.maxY, width: plot.width + 1, height: 1), colour: Palette.axis)
    if usesRight {
        canvas.fillRect(PixelRect(x: plot.maxX, y: plot.y, width: 1, height: plot.height + 1), colour: Palette.axis)
        if !rightLabel.isEmpty {
            let len = BitmapFont.textWidth(rightLabel)
            canvas.drawTextVertical(rightLabel, at: PixelPoint(x: w - margin - glyphH, y: plot.y + (plot.height - len) / 2),
                                    colour: Palette.mutedInk)
        }
    }
    if !leftLabel.isEmpty {
        let len = BitmapFont.textWidth(leftLabel)
        canvas.drawTextVertical(leftLabel, at: PixelPoint(x: margin, y: plot.y + (plot.height - len) / 2),
                                colour: Palette.mutedInk)
    }
    let xLabelTop = plot.maxY + 7 + glyphH + 6
    if !xLabel.isEmpty {
        canvas.drawTextCentred(xLabel, centreX: plot.x + plot.width / 2, top: xLabelTop, colour: Palette.mutedInk)
    }
    if !series.contains(where: { $0.values.contains(where: \.isFinite) }) {
        canvas.drawTextCentred(epochs == 0 ? "no data" : "no finite values", centreX: plot.x + plot.width / 2, top: plot.y + plot.height / 2 - 4,
                               colour: Palette.mutedInk)
    }

    // Curves.
    let markers = epochs <= 60
    for (i, s) in series.enumerated() {
        let colour = s.colour ?? Palette.seriesColour(i)
        let t = s.axis == .left ? left : right
        var previous: PixelPoint?
        for (k, v) in s.values.enumerated() {
            guard v.isFinite else { previous = nil; continue }
            let p = PixelPoint(x: px(k + 1), y: py(Double(v), t))
            if let q = previous { canvas.drawLine(from: q, to: p, colour: colour, thickness: 2) }
            if markers || s.values.count == 1 {
                canvas.fillRect(PixelRect(x: p.x - 2, y: p.y - 2, width: 5, height: 5), colour: colour)
            }
            previous = p
        }
    }

    // Legend.
    let legendTop = h - margin - legendHeight + 2
    for (r, row) in legendRows.enumerated() {
        let rowWidth = row.last.map { $0.1 + swatch + 5 + BitmapFont.textWidth(series[$0.0].name) } ?? 0
        let x0 = plot.x + (plot.width - rowWidth) / 2
        for (i, offset) in row {
            let colour = series[i].colour ?? Palette.seriesColour(i)
            let y = legendTop + r * 14
            canvas.fillRect(PixelRect(x: x0 + offset, y: y + 2, width: swatch, height: 2), colour: colour)
            canvas.fillRect(PixelRect(x: x0 + offset + swatch / 2 - 2, y: y + 1, width: 5, height: 5), colour: colour)
            canvas.drawText(series[i].name, at: PixelPoint(x: x0 + offset + swatch + 5, y: y), colour: Palette.ink)
        }
    }
    return canvas.image
}
