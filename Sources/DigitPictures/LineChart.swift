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
    let layout = ChartLayout(series: series, title: title, xLabel: xLabel, leftLabel: leftLabel,
                             rightLabel: rightLabel, width: width, height: height)
    var canvas = Canvas(width: layout.width, height: layout.height)
    if let t = title, !t.isEmpty {
        canvas.drawTextCentred(t, centreX: layout.width / 2, top: ChartLayout.margin, scale: 2, colour: Palette.ink)
    }
    layout.drawValueTicks(on: &canvas)
    layout.drawEpochTicks(on: &canvas)
    layout.drawAxes(on: &canvas, xLabel: xLabel, leftLabel: leftLabel, rightLabel: rightLabel)
    if !series.contains(where: { $0.values.contains(where: \.isFinite) }) {
        layout.drawCentredNote(layout.epochs == 0 ? "no data" : "no finite values", on: &canvas)
    }
    layout.drawCurves(series, on: &canvas)
    layout.drawLegend(series, on: &canvas)
    return canvas.image
}

/// Where a chart's parts go: the plot rectangle, each axis' ticks, the legend's rows, and
/// the mapping from (epoch, value) to pixels.
private struct ChartLayout {
    static let margin = 10
    /// Width of a legend entry's colour swatch.
    static let swatch = 18
    static let legendRowHeight = 14
    static let glyphHeight = BitmapFont.glyphHeight

    /// The picture's size: as requested, but at least 200 x 150.
    let width: Int, height: Int
    /// The longest series' length.
    let epochs: Int
    /// Whether some series uses the right axis (which is drawn only then).
    let usesRight: Bool
    let left: AxisTicks, right: AxisTicks
    /// Legend entries wrapped into rows that fit the picture: series index and x offset in the row.
    let legendRows: [[(series: Int, offset: Int)]]
    let legendHeight: Int
    let plot: PixelRect

    init(series: [ChartSeries], title: String?, xLabel: String, leftLabel: String, rightLabel: String,
         width: Int, height: Int) {
        let w = max(200, width), h = max(150, height), glyphH = Self.glyphHeight
        self.width = w
        self.height = h
        epochs = series.map(\.values.count).max() ?? 0
        usesRight = series.contains { $0.axis == .right }
        left = Self.ticks(for: .left, series)
        right = Self.ticks(for: .right, series)
        legendRows = Self.legendRows(series, width: w)
        legendHeight = series.isEmpty ? 0 : legendRows.count * Self.legendRowHeight

        let leftTickWidth = Self.widestLabel(left)
        let rightTickWidth = usesRight ? Self.widestLabel(right) : 0
        let titleBand = (title?.isEmpty ?? true) ? 0 : BitmapFont.textHeight(title!, scale: 2) + 10
        let plotLeft = Self.margin + (leftLabel.isEmpty ? 0 : glyphH + 8) + leftTickWidth + 8
        let plotRight = w - Self.margin - (usesRight ? (rightLabel.isEmpty ? 0 : glyphH + 8) + rightTickWidth + 8 : 10)
        let plotTop = Self.margin + titleBand + 4
        let plotBottom = h - Self.margin - legendHeight - (legendHeight > 0 ? 8 : 0)
            - (xLabel.isEmpty ? 0 : glyphH + 6) - (glyphH + 8)
        plot = PixelRect(x: plotLeft, y: plotTop, width: max(1, plotRight - plotLeft),
                         height: max(1, plotBottom - plotTop))
    }

    /// An axis' ticks: spanning the finite values of its series, else 0...1.
    static func ticks(for axis: ChartAxis, _ series: [ChartSeries]) -> AxisTicks {
        let finite = series.filter { $0.axis == axis }.flatMap(\.values).filter(\.isFinite).map(Double.init)
        guard let lo = finite.min(), let hi = finite.max() else { return AxisTicks(low: 0, high: 1) }
        return AxisTicks(low: lo, high: hi)
    }

    static func widestLabel(_ ticks: AxisTicks) -> Int {
        ticks.values.map { BitmapFont.textWidth(ticks.label($0)) }.max() ?? 0
    }

    /// Width of one legend entry: swatch, gap, name.
    static func legendEntryWidth(_ s: ChartSeries) -> Int { swatch + 5 + BitmapFont.textWidth(s.name) }

    static func legendRows(_ series: [ChartSeries], width: Int) -> [[(series: Int, offset: Int)]] {
        var rows: [[(series: Int, offset: Int)]] = [[]]
        var cursor = 0
        for (i, s) in series.enumerated() {
            let entry = legendEntryWidth(s)
            if cursor > 0 && cursor + entry > width - 20 {
                rows.append([])
                cursor = 0
            }
            rows[rows.count - 1].append((i, cursor))
            cursor += entry + 18
        }
        return rows
    }

    /// The column of `epoch` (1-based). The x range keeps 8 pixels free at both ends for
    /// markers; a single epoch sits in the middle.
    func column(ofEpoch epoch: Int) -> Int {
        let inner = max(1, plot.width - 17)
        return epochs <= 1 ? plot.x + plot.width / 2
            : plot.x + 8 + Int((Double(epoch - 1) * Double(inner) / Double(epochs - 1)).rounded())
    }

    /// The row of value `v` on the axis with `ticks`.
    func row(of v: Double, on ticks: AxisTicks) -> Int {
        let f = (v - ticks.lower) / (ticks.upper - ticks.lower)
        return plot.maxY - 1 - Int((f * Double(plot.height - 1)).rounded())
    }

    /// Grid lines, tick marks and labels of the left axis; tick marks and labels of the right one.
    func drawValueTicks(on canvas: inout Canvas) {
        for v in left.values {
            let y = row(of: v, on: left)
            canvas.fillRect(PixelRect(x: plot.x, y: y, width: plot.width, height: 1), colour: Palette.grid)
            canvas.fillRect(PixelRect(x: plot.x - 4, y: y, width: 4, height: 1), colour: Palette.axis)
            let label = left.label(v)
            canvas.drawText(label, at: PixelPoint(x: plot.x - 7 - BitmapFont.textWidth(label), y: y - 3),
                            colour: Palette.ink)
        }
        guard usesRight else { return }
        for v in right.values {
            let y = row(of: v, on: right)
            canvas.fillRect(PixelRect(x: plot.maxX, y: y, width: 4, height: 1), colour: Palette.axis)
            canvas.drawText(right.label(v), at: PixelPoint(x: plot.maxX + 7, y: y - 3), colour: Palette.ink)
        }
    }

    /// x ticks with grid lines and labels: epoch 1 and multiples of a nice whole step, at
    /// least 24 pixels right of epoch 1.
    func drawEpochTicks(on canvas: inout Canvas) {
        guard epochs >= 1 else { return }
        let step = max(1, Int(AxisTicks(low: 1, high: Double(epochs), target: max(1, min(8, plot.width / 70))).step.rounded()))
        var marks = [1]
        var m = step
        while m <= epochs {
            if m > 1 && Double(column(ofEpoch: m) - column(ofEpoch: 1)) >= 24 { marks.append(m) }
            m += step
        }
        for e in marks {
            let x = column(ofEpoch: e)
            canvas.fillRect(PixelRect(x: x, y: plot.y, width: 1, height: plot.height), colour: Palette.grid)
            canvas.fillRect(PixelRect(x: x, y: plot.maxY, width: 1, height: 4), colour: Palette.axis)
            canvas.drawTextCentred(String(e), centreX: x, top: plot.maxY + 7, colour: Palette.ink)
        }
    }

    /// The axis lines (the right one only when used) and the axis labels.
    func drawAxes(on canvas: inout Canvas, xLabel: String, leftLabel: String, rightLabel: String) {
        let glyphH = Self.glyphHeight
        canvas.fillRect(PixelRect(x: plot.x - 1, y: plot.y, width: 1, height: plot.height + 1), colour: Palette.axis)
        canvas.fillRect(PixelRect(x: plot.x - 1, y: plot.maxY, width: plot.width + 1, height: 1), colour: Palette.axis)
        if usesRight {
            canvas.fillRect(PixelRect(x: plot.maxX, y: plot.y, width: 1, height: plot.height + 1), colour: Palette.axis)
            if !rightLabel.isEmpty {
                let len = BitmapFont.textWidth(rightLabel)
                canvas.drawTextVertical(rightLabel, at: PixelPoint(x: width - Self.margin - glyphH, y: plot.y + (plot.height - len) / 2),
                                        colour: Palette.mutedInk)
            }
        }
        if !leftLabel.isEmpty {
            let len = BitmapFont.textWidth(leftLabel)
            canvas.drawTextVertical(leftLabel, at: PixelPoint(x: Self.margin, y: plot.y + (plot.height - len) / 2),
                                    colour: Palette.mutedInk)
        }
        if !xLabel.isEmpty {
            let xLabelTop = plot.maxY + 7 + glyphH + 6
            canvas.drawTextCentred(xLabel, centreX: plot.x + plot.width / 2, top: xLabelTop, colour: Palette.mutedInk)
        }
    }

    /// `note` in the middle of the plot, for a chart without any point.
    func drawCentredNote(_ note: String, on canvas: inout Canvas) {
        canvas.drawTextCentred(note, centreX: plot.x + plot.width / 2, top: plot.y + plot.height / 2 - 4,
                               colour: Palette.mutedInk)
    }

    /// Each series' line, 2 pixels thick and broken at missing points, with a 5 x 5 marker per
    /// point when the longest series has at most 60 (and always for a single point).
    func drawCurves(_ series: [ChartSeries], on canvas: inout Canvas) {
        let markers = epochs <= 60
        for (i, s) in series.enumerated() {
            let colour = s.colour ?? Palette.seriesColour(i)
            let ticks = s.axis == .left ? left : right
            var previous: PixelPoint?
            for (k, v) in s.values.enumerated() {
                guard v.isFinite else { previous = nil; continue }
                let p = PixelPoint(x: column(ofEpoch: k + 1), y: row(of: Double(v), on: ticks))
                if let q = previous { canvas.drawLine(from: q, to: p, colour: colour, thickness: 2) }
                if markers || s.values.count == 1 {
                    canvas.fillRect(PixelRect(x: p.x - 2, y: p.y - 2, width: 5, height: 5), colour: colour)
                }
                previous = p
            }
        }
    }

    /// The legend rows at the bottom, each centred under the plot: swatch with a marker, then the name.
    func drawLegend(_ series: [ChartSeries], on canvas: inout Canvas) {
        let swatch = Self.swatch
        let legendTop = height - Self.margin - legendHeight + 2
        for (r, row) in legendRows.enumerated() {
            let rowWidth = row.last.map { $0.offset + Self.legendEntryWidth(series[$0.series]) } ?? 0
            let x0 = plot.x + (plot.width - rowWidth) / 2
            let y = legendTop + r * Self.legendRowHeight
            for (i, offset) in row {
                let colour = series[i].colour ?? Palette.seriesColour(i)
                canvas.fillRect(PixelRect(x: x0 + offset, y: y + 2, width: swatch, height: 2), colour: colour)
                canvas.fillRect(PixelRect(x: x0 + offset + swatch / 2 - 2, y: y + 1, width: 5, height: 5), colour: colour)
                canvas.drawText(series[i].name, at: PixelPoint(x: x0 + offset + swatch + 5, y: y), colour: Palette.ink)
            }
        }
    }
}
