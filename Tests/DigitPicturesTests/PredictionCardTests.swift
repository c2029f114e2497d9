import DigitImage
@testable import DigitPictures
import DigitPictures
import Testing

@Suite struct PredictionCardTests {
    let probabilities: [Float] = [0.001, 0, 0.002, 0.003, 0.25, 0, 0, 0.01, 0.004, 0.73]

    @Test func captionText() {
        var p = [Float](repeating: 0, count: 10)
        p[7] = 0.998
        #expect(predictionCaption(label: 7, prediction: 7, probabilities: p) == "label 7  predicted 7 (99.8%)")
        #expect(predictionCaption(label: -1, prediction: 7, probabilities: p) == "predicted 7 (99.8%)")
    }

    @Test func digitIsEnlargedInPlace() {
        let digit = patternImage(seed: 3)
        let card = predictionCard(digit: digit, label: 4, prediction: 9, probabilities: probabilities, scale: 5)
        let layout = predictionCardLayout(digit: digit, label: 4, prediction: 9, probabilities: probabilities, scale: 5)
        #expect(card.width == layout.width && card.height == layout.height)
        #expect(layout.digitRect.width == 140 && layout.digitRect.height == 140)
        for (sx, sy) in [(0, 0), (27, 27), (3, 20), (19, 8)] {
            let v = digit[sx, sy]
            #expect(card[layout.digitRect.x + sx * 5 + 4, layout.digitRect.y + sy * 5] == RGB(v, v, v))
        }
    }

    @Test func captionColourSaysRightOrWrong() {
        let digit = patternImage()
        for (label, expected) in [(4, Palette.bad), (9, Palette.good), (-1, Palette.ink)] {
            let card = predictionCard(digit: digit, label: label, prediction: 9, probabilities: probabilities, scale: 4)
            let layout = predictionCardLayout(digit: digit, label: label, prediction: 9, probabilities: probabilities, scale: 4)
            let text = predictionCaption(label: label, prediction: 9, probabilities: probabilities)
            let box = PixelRect(x: layout.captionOrigin.x, y: layout.captionOrigin.y,
                                width: textWidth(text), height: BitmapFont.glyphHeight)
            let ink = inkPositions(card, in: box)
            #expect(ink.count == text.reduce(0) { $0 + BitmapFont.glyph(for: $1)!.inkCount })
            #expect(ink.allSatisfy { card[$0.x, $0.y] == expected })
        }
    }

    @Test func barHeightsFollowTheProbabilities() {
        let digit = patternImage()
        let card = predictionCard(digit: digit, label: 4, prediction: 9, probabilities: probabilities, scale: 6)
        let layout = predictionCardLayout(digit: digit, label: 4, prediction: 9, probabilities: probabilities, scale: 6)
        let plot = layout.plotRect
        for (k, p) in probabilities.enumerated() {
            let slot = layout.barSlot(k)
            let x = slot.x + slot.width / 2 + 4  // clear of the value text's centre column
            var height = 0
            while height < plot.height, card[x, plot.maxY - 1 - height] != .white, card[x, plot.maxY - 1 - height] != Palette.grid {
                height += 1
            }
            // The 0% axis line is the bottom row of the plot.
            let expected = max(1, Int((Double(p) * Double(plot.height)).rounded()))
            #expect(height == expected, "bar \(k)")
        }
        let bar = { (k: Int) in card[layout.barSlot(k).x + 1, plot.maxY - 3] }
        #expect(bar(9) == Palette.bad, "wrong prediction in red")
        #expect(bar(4) == Palette.good, "true class in green")
        #expect(bar(9) != bar(7) && bar(4) != bar(7))
        // Class numbers under every bar.
        for k in 0..<10 {
            let slot = layout.barSlot(k)
            #expect(!inkPositions(card, in: PixelRect(x: slot.x, y: plot.maxY + 2, width: slot.width, height: 12)).isEmpty)
        }
    }

    @Test func deterministic() {
        let digit = patternImage(seed: 9)
        let a = predictionCard(digit: digit, label: 1, prediction: 1, probabilities: probabilities, scale: 3)
        #expect(a == predictionCard(digit: digit, label: 1, prediction: 1, probabilities: probabilities, scale: 3))
        #expect(a != predictionCard(digit: digit, label: 2, prediction: 1, probabilities: probabilities, scale: 3))
    }
}
