import DigitImage
@testable import DigitPictures
import DigitPictures
import Testing

@Suite struct HeatmapTests {
    /// A 10 x 10 matrix: a big diagonal, a spread of errors and many zeros.
    func matrix() -> [[Int]] {
        (0..<10).map { t in (0..<10).map { p in t == p ? 900 + 10 * t : (t * 3 + p * 7) % 11 == 0 ? 3 * t + p : 0 } }
    }

    /// A background pixel of a cell, clear of the separators, outline and centred count.
    func fill(_ image: RGBImage, _ layout: HeatmapLayout, _ t: Int, _ p: Int) -> RGB {
        let r = layout.cellRect(row: t, column: p)
        return image[r.x + 3, r.y + 3]
    }

    @Test func cellColourDarkensWithCount() {
        // Counts spread over two orders of magnitude, each darker than the one before.
        let ladder = [0, 1, 2, 4, 8, 15, 30, 60, 120, 250, 500, 1000]
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        func cell(_ i: Int) -> (Int, Int) { (i % 10, (i / 10 + 3 * i + 1) % 10) }
        for (i, c) in ladder.enumerated() { counts[cell(i).0][cell(i).1] = c }
        let image = confusionHeatmap(counts)
        let layout = confusionHeatmapLayout(counts)
        let shades = ladder.indices.map { fill(image, layout, cell($0).0, cell($0).1) }
        #expect(shades[0] == .white, "0 is white")
        for i in 1..<ladder.count {
            #expect(Palette.luminance(shades[i]) < Palette.luminance(shades[i - 1]),
                    "count \(ladder[i]) should be darker than \(ladder[i - 1])")
        }
        #expect(shades.last == Palette.sequential(1))
        // Over a whole matrix darkness never falls as the count rises.
        let m = matrix()
        let full = confusionHeatmap(m)
        let cells = (0..<10).flatMap { t in (0..<10).map { p in (m[t][p], fill(full, layout, t, p)) } }
            .sorted { $0.0 < $1.0 }
        for (a, b) in zip(cells, cells.dropFirst()) {
            #expect(Palette.luminance(b.1) <= Palette.luminance(a.1))
        }
        #expect(fill(full, layout, 3, 3) == heatmapColour(count: 930, maxCount: 990))
    }

    @Test func countsAreWrittenInContrastingColours() {
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        counts[2][2] = 8000
        counts[4][9] = 7
        let image = confusionHeatmap(counts)
        let layout = confusionHeatmapLayout(counts)
        let dark = layout.cellRect(row: 2, column: 2).insetBy(2)
        let darkInk = inkPositions(image, in: dark, background: heatmapColour(count: 8000, maxCount: 8000))
        #expect(!darkInk.isEmpty && darkInk.allSatisfy { image[$0.x, $0.y] == .white })
        #expect(boundingBox(darkInk)!.width == textWidth("8000"))
        let light = layout.cellRect(row: 4, column: 9).insetBy(2)
        let lightInk = inkPositions(image, in: light, background: heatmapColour(count: 7, maxCount: 8000))
        #expect(!lightInk.isEmpty && lightInk.allSatisfy { image[$0.x, $0.y] == Palette.ink })
        #expect(boundingBox(lightInk)!.width == textWidth("7"))
    }

    @Test func axesAreLabelled() {
        let counts = matrix()
        let image = confusionHeatmap(counts, title: nil)
        let layout = confusionHeatmapLayout(counts, title: nil)
        let grid = layout.gridRect
        #expect(grid.width == 10 * layout.cellSize && grid.height == grid.width)
        // Column numbers above every column, row numbers left of every row.
        for k in 0..<10 {
            let column = layout.cellRect(row: 0, column: k)
            let above = PixelRect(x: column.x, y: grid.y - 14, width: column.width, height: 12)
            let numberInk = boundingBox(inkPositions(image, in: above))
            #expect(numberInk != nil && numberInk!.width <= 5 && numberInk!.height == 7)
            #expect(numberInk.map { abs(($0.x - column.x) - (column.maxX - $0.maxX)) <= 3 } == true, "centred")
            let row = layout.cellRect(row: k, column: 0)
            let left = PixelRect(x: grid.x - 14, y: row.y, width: 12, height: row.height)
            #expect(boundingBox(inkPositions(image, in: left))?.height == 7)
        }
        // The axis names: "predicted" across the top, "true" turned up on the left.
        let top = PixelRect(x: grid.x, y: 0, width: grid.width, height: grid.y - 14)
        #expect(boundingBox(inkPositions(image, in: top))?.width == textWidth("predicted"))
        let side = PixelRect(x: 0, y: grid.y, width: grid.x - 14, height: grid.height)
        #expect(boundingBox(inkPositions(image, in: side))?.height == textWidth("true"))
    }

    @Test func cellsGrowForWideCountsAndOutputIsDeterministic() {
        var counts = matrix()
        counts[0][0] = 123_456_789
        #expect(confusionHeatmapLayout(counts, cellSize: 20).cellSize >= textWidth("123456789") + 8)
        #expect(confusionHeatmap(counts) == confusionHeatmap(counts))
        #expect(confusionHeatmap(counts) != confusionHeatmap(matrix()))
    }
}
