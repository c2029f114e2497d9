import DigitImage
import Foundation

/// Where everything sits in a `confusionHeatmap` picture (pixels).
///
/// Layout, top to bottom: margin, optional title (scale 2), the axis name "predicted",
/// one header row of class numbers, then `classes` rows of square cells. Left of the
/// cells: the axis name "true" (turned to read upwards) and a column of class numbers.
package struct HeatmapLayout: Equatable, Sendable {
    package let classes: Int
    /// Side of one square cell.
    package let cellSize: Int
    package let title: String?
    package let margin = 10

    /// `classes` x `classes` cells of at least `minimumCellSize` pixels; cells grow so the
    /// widest count (`widestCount` pixels of scale-1 text) fits with 4 pixels either side.
    package init(classes: Int, minimumCellSize: Int = 40, widestCount: Int = 0, title: String?) {
        self.classes = max(0, classes)
        cellSize = max(minimumCellSize, widestCount + 8, 12)
        self.title = title
    }

    var titleHeight: Int { (title?.isEmpty ?? true) ? 0 : BitmapFont.textHeight(title!, scale: 2) + 10 }
    var headerWidth: Int { BitmapFont.textWidth(String(max(0, classes - 1))) }

    /// The block of cells.
    package var gridRect: PixelRect {
        let axisBand = BitmapFont.glyphHeight + 6  // "true" turned upright, plus space
        let x = margin + axisBand + headerWidth + 6
        let y = margin + titleHeight + 2 * (BitmapFont.glyphHeight + 5)
        return PixelRect(x: x, y: y, width: classes * cellSize, height: classes * cellSize)
    }

    /// Cell for true class `row`, predicted class `column`.
    package func cellRect(row: Int, column: Int) -> PixelRect {
        let g = gridRect
        return PixelRect(x: g.x + column * cellSize, y: g.y + row * cellSize, width: cellSize, height: cellSize)
    }

    package var width: Int {
        max(gridRect.maxX, margin + BitmapFont.textWidth(title ?? "", scale: 2)) + margin
    }

    package var height: Int { gridRect.maxY + margin }
}

/// Geometry of `confusionHeatmap(counts, cellSize:, title:)`.
package func confusionHeatmapLayout(_ counts: [[Int]], cellSize: Int = 40,
                                   title: String? = "confusion matrix") -> HeatmapLayout {
    HeatmapLayout(classes: counts.count, minimumCellSize: cellSize,
                  widestCount: counts.joined().map { BitmapFont.textWidth(String($0)) }.max() ?? 0,
                  title: title)
}

/// The fill colour `confusionHeatmap` gives a cell holding `count` when the largest
/// count in the matrix is `maxCount`: `Palette.sequential(log(1 + count) / log(1 + maxCount))`.
/// The logarithm keeps the handful of errors off the diagonal visible next to
/// diagonal counts in the thousands. 0 (and any negative count) is white; darkness
/// rises strictly with the count.
package func heatmapColour(count: Int, maxCount: Int) -> RGB {
    guard maxCount > 0, count > 0 else { return Palette.sequential(0) }
    return Palette.sequential(log1p(Double(min(count, maxCount))) / log1p(Double(maxCount)))
}

/// A confusion matrix as a heatmap. `counts[t][p]` is how many examples of true class
/// `t` were predicted as `p`; it must be square (usually 10 x 10) with counts >= 0.
/// Rows are true classes (axis "true", top to bottom 0...n-1), columns predicted classes
/// (axis "predicted", left to right). Each cell is filled with `heatmapColour` and shows
/// its count centred, in white on dark cells and ink on light ones (zeros in light gray).
/// Diagonal cells get a thin dark outline.
package func confusionHeatmap(_ counts: [[Int]], cellSize: Int = 40,
                             title: String? = "confusion matrix") -> RGBImage {
    let n = counts.count
    precondition(counts.allSatisfy { $0.count == n }, "confusionHeatmap: counts must be square")
    let layout = confusionHeatmapLayout(counts, cellSize: cellSize, title: title)
    var canvas = Canvas(width: layout.width, height: layout.height)
    let grid = layout.gridRect
    let glyphH = BitmapFont.glyphHeight

    if let t = title, !t.isEmpty {
        canvas.drawText(t, at: PixelPoint(x: layout.margin, y: layout.margin), scale: 2, colour: Palette.ink)
    }
    // Axis names.
    canvas.drawTextCentred("predicted", centreX: grid.x + grid.width / 2,
                           top: grid.y - 2 * (glyphH + 5), colour: Palette.mutedInk)
    let trueLength = BitmapFont.textWidth("true")
    canvas.drawTextVertical("true", at: PixelPoint(x: layout.margin, y: grid.y + (grid.height - trueLength) / 2),
                            colour: Palette.mutedInk)
    // Class numbers.
    for k in 0..<n {
        let cell = layout.cellRect(row: k, column: k)
        canvas.drawTextCentred(String(k), centreX: cell.x + cell.width / 2, top: grid.y - glyphH - 4,
                               colour: Palette.ink)
        let label = String(k)
        canvas.drawText(label, at: PixelPoint(x: grid.x - 6 - BitmapFont.textWidth(label),
                                              y: cell.y + (cell.height - 7) / 2), colour: Palette.ink)
    }
    // Cells.
    let maxCount = counts.joined().max() ?? 0
    for t in 0..<n {
        for p in 0..<n {
            let cell = layout.cellRect(row: t, column: p)
            let fill = heatmapColour(count: counts[t][p], maxCount: maxCount)
            canvas.fillRect(cell, colour: fill)
            let text = String(counts[t][p])
            let colour = counts[t][p] == 0 ? RGB(185, 185, 185) : Palette.contrastingText(on: fill)
            // Digits have no descender: centre the 7 rows of ink.
            canvas.drawTextCentred(text, centreX: cell.x + cell.width / 2, top: cell.y + (cell.height - 7) / 2,
                                   colour: colour)
        }
    }
    // Faint separators between cells, then outline the diagonal and the block.
    for k in 1..<max(1, n) {
        canvas.fillRect(PixelRect(x: grid.x + k * layout.cellSize, y: grid.y, width: 1, height: grid.height),
                        colour: RGB(240, 240, 240))
        canvas.fillRect(PixelRect(x: grid.x, y: grid.y + k * layout.cellSize, width: grid.width, height: 1),
                        colour: RGB(240, 240, 240))
    }
    for k in 0..<n {
        canvas.strokeRect(layout.cellRect(row: k, column: k), colour: Palette.axis)
    }
    if n > 0 {
        canvas.strokeRect(grid.insetBy(-1), colour: Palette.axis)
    }
    return canvas.image
}
