import DigitImage
@testable import DigitPictures
import DigitPictures
import Testing

@Suite struct GridTests {
    /// Three classes with 4, 2 and 3 examples.
    func sampleRows() -> [[CaptionedDigit]] {
        [4, 2, 3].enumerated().map { row, n in
            (0..<n).map { k in CaptionedDigit(image: patternImage(seed: 10 * row + k), caption: "\(row) #\(1000 * row + k)") }
        }
    }

    @Test func cellsHoldTheSourcePixelsScaled() {
        let rows = sampleRows()
        for scale in [1, 2, 3] {
            let image = sampleGrid(rows, scale: scale, title: "samples")
            let layout = sampleGridLayout(rows, scale: scale, title: "samples")
            #expect(image.width == layout.width && image.height == layout.height)
            for (r, row) in rows.enumerated() {
                for (c, cell) in row.enumerated() {
                    let rect = layout.cellRect(row: r, column: c)
                    #expect(rect.width == 28 * scale && rect.height == 28 * scale)
                    // Several source pixels, each checked at every corner of its block.
                    for (sx, sy) in [(0, 0), (27, 27), (5, 13), (13, 5), (20, 21), (27, 0)] {
                        let v = cell.image[sx, sy]
                        for (dx, dy) in [(0, 0), (scale - 1, 0), (0, scale - 1), (scale - 1, scale - 1)] {
                            #expect(image[rect.x + sx * scale + dx, rect.y + sy * scale + dy] == RGB(v, v, v),
                                    "cell (\(r), \(c)) source (\(sx), \(sy)) scale \(scale)")
                        }
                    }
                }
            }
        }
    }

    @Test func captionsAreDrawnInTheirStripAndNowhereElse() {
        let rows = sampleRows()
        let image = sampleGrid(rows, scale: 2, title: "samples")
        let layout = sampleGridLayout(rows, scale: 2, title: "samples")
        var allowed = [layout.titleRect]
        for (r, row) in rows.enumerated() {
            for (c, cell) in row.enumerated() {
                let strip = layout.captionRect(row: r, column: c)
                #expect(strip.y == layout.cellRect(row: r, column: c).maxY, "the strip is right under the image")
                let ink = inkPositions(image, in: strip)
                #expect(!ink.isEmpty, "caption of (\(r), \(c))")
                // All of the caption's glyph ink, inside its measured box centred in the strip.
                let width = textWidth(cell.caption)
                let box = PixelRect(x: strip.x + strip.width / 2 - width / 2, y: strip.y + layout.captionPadding,
                                    width: width, height: BitmapFont.glyphHeight)
                #expect(box.x >= strip.x && box.maxX <= strip.maxX && box.maxY <= strip.maxY)
                #expect(ink.allSatisfy { box.contains(x: $0.x, y: $0.y) })
                #expect(ink.count == cell.caption.reduce(0) { $0 + BitmapFont.glyph(for: $1)!.inkCount })
                #expect(ink.allSatisfy { image[$0.x, $0.y] == Palette.ink })
                allowed += [strip, layout.cellRect(row: r, column: c)]
            }
            // Missing cells of short rows stay blank.
            for c in row.count..<layout.columns {
                #expect(inkPositions(image, in: layout.columnRect(row: r, column: c)).count == 0)
            }
        }
        #expect(!inkPositions(image, in: layout.titleRect).isEmpty)
        #expect(strayInk(image, allowed: allowed).count == 0)
    }

    @Test func wideCaptionsWidenTheColumns() {
        let rows = [[CaptionedDigit(image: patternImage(), caption: "a rather long caption")]]
        let layout = sampleGridLayout(rows, scale: 1)
        #expect(layout.columnWidth == textWidth("a rather long caption"))
        let cell = layout.cellRect(row: 0, column: 0)
        #expect(cell.width == 28 && cell.x > layout.columnRect(row: 0, column: 0).x)
        let image = sampleGrid(rows, scale: 1)
        #expect(image[cell.x + 3, cell.y + 4] == RGB(patternImage()[3, 4], patternImage()[3, 4], patternImage()[3, 4]))
    }

    @Test func errorGridCaptionsAndLayout() {
        let errors = (0..<13).map { i in
            Misclassification(image: patternImage(seed: i), label: i % 10, predicted: (i + 5) % 10,
                              confidence: 0.5 + Float(i) / 40, index: 100 + i)
        }
        #expect(errors[4].caption == "4\u{2192}9 60%")
        let layout = errorGridLayout(errors, columns: 5, scale: 2, title: "misclassified 1-13 of 13")
        #expect(layout.rows == 3 && layout.columns == 5)
        let image = errorGrid(errors, columns: 5, scale: 2, title: "misclassified 1-13 of 13")
        var allowed = [layout.titleRect]
        for (i, e) in errors.enumerated() {
            let rect = layout.cellRect(row: i / 5, column: i % 5)
            let v = e.image[9, 17]
            #expect(image[rect.x + 18, rect.y + 34] == RGB(v, v, v))
            let strip = layout.captionRect(row: i / 5, column: i % 5)
            let ink = inkPositions(image, in: strip)
            #expect(ink.contains { image[$0.x, $0.y] == Palette.bad }, "first line in red")
            #expect(ink.contains { image[$0.x, $0.y] == Palette.mutedInk }, "index line in gray")
            #expect(boundingBox(ink)!.height == BitmapFont.lineAdvance + 7, "two lines, no descenders")
            allowed += [rect, strip]
        }
        #expect(strayInk(image, allowed: allowed).count == 0)
        // Without indices there is a single caption line.
        let plain = errors.map { Misclassification(image: $0.image, label: $0.label, predicted: $0.predicted, confidence: $0.confidence) }
        #expect(errorGridLayout(plain, title: "x").captionHeight < layout.captionHeight)
    }

    @Test func gridsAreDeterministic() {
        let rows = sampleRows()
        #expect(sampleGrid(rows, scale: 2) == sampleGrid(rows, scale: 2))
        let errors = [Misclassification(image: patternImage(), label: 4, predicted: 9, confidence: 0.97)]
        #expect(errorGrid(errors, title: "t") == errorGrid(errors, title: "t"))
        #expect(sampleGrid(rows, scale: 2) != sampleGrid(rows.reversed(), scale: 2))
    }
}
