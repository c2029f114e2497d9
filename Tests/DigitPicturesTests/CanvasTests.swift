import DigitImage
@testable import DigitPictures
import DigitPictures
import Testing

@Suite struct CanvasTests {
    @Test func fillRectClipsToTheCanvas() {
        var canvas = Canvas(width: 10, height: 8)
        canvas.fillRect(PixelRect(x: -3, y: 6, width: 5, height: 10), colour: .black)
        let ink = inkPositions(canvas.image, in: canvas.bounds)
        #expect(boundingBox(ink) == PixelRect(x: 0, y: 6, width: 2, height: 2))
        #expect(ink.count == 4)
    }

    @Test func strokeRectDrawsOnlyTheBorder() {
        var canvas = Canvas(width: 12, height: 12)
        canvas.strokeRect(PixelRect(x: 2, y: 3, width: 6, height: 5), colour: .black)
        #expect(inkPositions(canvas.image, in: canvas.bounds).count == 2 * 6 + 2 * 3)
        #expect(canvas[4, 5] == .white)
        #expect(canvas[2, 3] == .black && canvas[7, 7] == .black)
    }

    @Test func linesIncludeBothEndsAndAreConnected() {
        var canvas = Canvas(width: 30, height: 30)
        let a = PixelPoint(x: 2, y: 25), b = PixelPoint(x: 27, y: 4)
        canvas.drawLine(from: a, to: b, colour: .black)
        #expect(canvas[a.x, a.y] == .black && canvas[b.x, b.y] == .black)
        let ink = inkPositions(canvas.image, in: canvas.bounds)
        #expect(ink.count == 26, "an x-major Bresenham line has one pixel per column")
        #expect(Set(ink.map(\.x)).count == 26)
        // Every pixel lies within a pixel of the ideal line.
        for p in ink {
            let ideal = Double(a.y) + Double(p.x - a.x) * Double(b.y - a.y) / Double(b.x - a.x)
            #expect(abs(Double(p.y) - ideal) <= 0.5 + 1e-9)
        }
        var reversed = Canvas(width: 30, height: 30)
        reversed.drawLine(from: PixelPoint(x: 5, y: 5), to: PixelPoint(x: 5, y: 20), colour: .black, thickness: 3)
        #expect(boundingBox(inkPositions(reversed.image, in: reversed.bounds)) == PixelRect(x: 4, y: 4, width: 3, height: 18))
    }

    @Test func blitEnlargesWithNearestNeighbour() {
        let gray = patternImage(width: 5, height: 4)
        var canvas = Canvas(width: 30, height: 30, background: RGB(1, 2, 3))
        canvas.blit(gray, at: PixelPoint(x: 4, y: 6), scale: 3)
        for y in 0..<30 {
            for x in 0..<30 {
                let sx = (x - 4) / 3, sy = (y - 6) / 3
                let inside = x >= 4 && y >= 6 && sx < 5 && sy < 4
                let v = inside ? gray[sx, sy] : 0
                #expect(canvas[x, y] == (inside ? RGB(v, v, v) : RGB(1, 2, 3)), "(\(x), \(y))")
            }
        }
    }

    @Test func blitAppliesTheColourMap() {
        let gray = GrayImage(width: 2, height: 1, pixels: [0, 255])
        var canvas = Canvas(width: 2, height: 1)
        canvas.blit(gray, at: PixelPoint(x: 0, y: 0), colourMap: .inverted)
        #expect(canvas[0, 0] == .white && canvas[1, 0] == .black)
        let map = ColourMap.gradient(from: RGB(0, 0, 100), to: RGB(200, 100, 0))
        #expect(map[0] == RGB(0, 0, 100) && map[255] == RGB(200, 100, 0))
        canvas.blit(gray, at: PixelPoint(x: -1, y: 0), colourMap: map)  // clipped on the left
        #expect(canvas[0, 0] == RGB(200, 100, 0) && canvas[1, 0] == .black)
    }

    @Test func divergingMapEndsAndMiddle() {
        #expect(Palette.diverging(0) == .white)
        #expect(Palette.diverging(-1) == Palette.negative)
        #expect(Palette.diverging(1) == Palette.positive)
        #expect(Palette.diverging(-7) == Palette.negative)
        #expect(Palette.contrastingText(on: Palette.negative) == .white)
        #expect(Palette.contrastingText(on: RGB(240, 240, 240)) == Palette.ink)
    }
}
