import DigitImage
@testable import DigitPictures
import DigitPictures
import Testing

@Suite struct FontTests {
    @Test func coversTheRequiredCharacters() {
        let required = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .,:;-_/()[]%=+#\u{2192}"
        for c in required {
            #expect(BitmapFont.glyph(for: c) != nil, "missing glyph for \(c)")
        }
        #expect(BitmapFont.glyph(for: "\u{00E9}") == nil)
    }

    @Test func everyGlyphButSpaceHasInk() {
        for c in BitmapFont.characters where c != " " {
            #expect(BitmapFont.glyph(for: c)!.inkCount > 0, "glyph \(c) is empty")
        }
        #expect(BitmapFont.glyph(for: " ")!.inkCount == 0)
    }

    @Test func glyphsAreDistinct() {
        var seen: [Glyph: Character] = [:]
        for c in BitmapFont.characters {
            let g = BitmapFont.glyph(for: c)!
            #expect(seen[g] == nil, "\(c) looks the same as \(seen[g].map(String.init) ?? "")")
            seen[g] = c
        }
        #expect(seen.count == BitmapFont.characters.count)
        #expect(!seen.keys.contains(BitmapFont.missing))
    }

    @Test func glyphsStayInTheirBox() {
        // Only descender letters and punctuation use row 7; nothing uses more than 5 columns.
        let descenders: Set<Character> = ["g", "j", "p", "q", "y", ",", ";", "_", "|"]
        for c in BitmapFont.characters {
            let g = BitmapFont.glyph(for: c)!
            #expect(g.rows.count == 8)
            #expect(g.rows.allSatisfy { $0 < 32 })
            #expect((g.rows[7] != 0) == descenders.contains(c), "descender row of \(c)")
        }
    }

    @Test func textMetrics() {
        #expect(textWidth("") == 0)
        #expect(textWidth("7") == 5)
        #expect(textWidth("7 #1234") == 7 * 6 - 1)
        #expect(textWidth("4\u{2192}9", scale: 3) == (3 * 6 - 1) * 3)
        #expect(textWidth("ab\nlonger") == 6 * 6 - 1)
        #expect(BitmapFont.textHeight("x") == 8)
        #expect(BitmapFont.textHeight("x\ny", scale: 2) == 36)
    }

    @Test func drawnGlyphMatchesItsBitsAtScale() {
        let colour = RGB(200, 10, 10)
        for c in ["8", "g", "\u{2192}", "%"] as [Character] {
            var canvas = Canvas(width: 20, height: 30)
            canvas.drawText(String(c), at: PixelPoint(x: 3, y: 2), scale: 3, colour: colour)
            let g = BitmapFont.glyph(for: c)!
            for y in 0..<30 {
                for x in 0..<20 {
                    let gx = (x - 3) / 3, gy = (y - 2) / 3
                    let inside = x >= 3 && y >= 2 && gx < 5 && gy < 8
                    let expected = inside && g.isSet(x: gx, y: gy) ? colour : RGB.white
                    #expect(canvas[x, y] == expected, "\(c) at (\(x), \(y))")
                }
            }
        }
    }

    @Test func textInkStaysInsideItsMeasuredBox() {
        let text = "label 7  predicted 7: 99.8%\ngjpqy_|"
        for scale in 1...3 {
            var canvas = Canvas(width: 600, height: 100)
            canvas.drawText(text, at: PixelPoint(x: 10, y: 5), scale: scale, colour: .black)
            let box = PixelRect(x: 10, y: 5, width: textWidth(text, scale: scale),
                                height: BitmapFont.textHeight(text, scale: scale))
            let ink = inkPositions(canvas.image, in: canvas.bounds)
            #expect(!ink.isEmpty)
            #expect(ink.allSatisfy { box.contains(x: $0.x, y: $0.y) })
            #expect(boundingBox(ink) == box, "ink should touch all four sides of the box")
        }
    }

    @Test func unknownCharactersDrawTheMissingBox() {
        var a = Canvas(width: 10, height: 10), b = Canvas(width: 10, height: 10)
        a.drawText("\u{00E9}", at: PixelPoint(x: 1, y: 1), colour: .black)
        b.drawText("\u{00FC}", at: PixelPoint(x: 1, y: 1), colour: .black)
        #expect(a == b)
        #expect(inkPositions(a.image, in: a.bounds).count == BitmapFont.missing.inkCount)
    }

    @Test func verticalTextReadsUpwards() {
        var canvas = Canvas(width: 20, height: 40)
        canvas.drawTextVertical("L", at: PixelPoint(x: 2, y: 3), colour: .black)
        let ink = inkPositions(canvas.image, in: canvas.bounds)
        // "L" is 5 wide and 8 tall; turned anticlockwise its box is 8 wide and 5 tall.
        #expect(boundingBox(ink) == PixelRect(x: 2, y: 3, width: 7, height: 5))
        // The stem (glyph column 0, rows 0...6) becomes the bottom row of the box.
        for gy in 0..<7 { #expect(canvas[2 + gy, 7] == .black) }
        // The foot (glyph row 6) becomes a column running up from the bottom.
        for gx in 0..<5 { #expect(canvas[8, 7 - gx] == .black) }
    }
}
