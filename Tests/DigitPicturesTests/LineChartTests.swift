import DigitImage
@testable import DigitPictures
import DigitPictures
import Testing

@Suite struct LineChartTests {
    let colour = RGB(1, 200, 3)  // used by nothing else in a chart

    /// Pixels of `colour` above the legend band at the bottom, in columns `x0 ..< x1`.
    func curvePixels(_ image: RGBImage, x0: Int = 0, x1: Int? = nil) -> [PixelPoint] {
        let band = PixelRect(x: x0, y: 0, width: (x1 ?? image.width) - x0, height: image.height - 40)
        return inkPositions(image, in: band).filter { image[$0.x, $0.y] == colour }
    }

    @Test func sizeIsAsRequestedAndOutputDeterministic() {
        let s = [ChartSeries(name: "loss", values: [2.3, 0.9, 0.5, 0.4]),
                 ChartSeries(name: "validation accuracy", values: [0.5, 0.8, 0.9, 0.93], axis: .right)]
        let a = lineChart(series: s, title: "training", leftLabel: "loss", rightLabel: "accuracy", width: 500, height: 300)
        #expect(a.width == 500 && a.height == 300)
        #expect(a == lineChart(series: s, title: "training", leftLabel: "loss", rightLabel: "accuracy", width: 500, height: 300))
        #expect(a != lineChart(series: s.reversed(), title: "training", leftLabel: "loss", rightLabel: "accuracy", width: 500, height: 300))
        // Default palette colours show up for series without their own colour.
        #expect(count(Palette.seriesColour(0), in: a) > 50 && count(Palette.seriesColour(1), in: a) > 50)
    }

    @Test func higherValuesAreDrawnHigher() {
        let image = lineChart(series: [ChartSeries(name: "rising", values: [0.1, 0.2, 0.9], colour: colour)])
        let pixels = curvePixels(image)
        let left = pixels.filter { $0.x < image.width / 3 }, right = pixels.filter { $0.x > 2 * image.width / 3 }
        #expect(!left.isEmpty && !right.isEmpty)
        #expect(right.map(\.y).min()! < left.map(\.y).min()! - 100)
    }

    @Test func oneEpochIsASingleMarker() {
        let image = lineChart(series: [ChartSeries(name: "loss", values: [0.7], colour: colour)])
        let pixels = curvePixels(image)
        #expect(pixels.count == 25, "one 5 x 5 marker")
        let box = boundingBox(pixels)!
        #expect(abs((box.x + 2) - image.width / 2) < 40, "roughly in the middle")
    }

    @Test func nanBreaksTheLine() {
        let w = 600
        let broken = lineChart(series: [ChartSeries(name: "acc", values: [0.5, .nan, 0.5], colour: colour)], width: w)
        let whole = lineChart(series: [ChartSeries(name: "acc", values: [0.5, 0.5, 0.5], colour: colour)], width: w)
        // The two end markers are far left and far right; the middle third stays empty
        // only when the line breaks at the missing point.
        #expect(curvePixels(broken, x0: w / 3, x1: 2 * w / 3).count == 0)
        #expect(curvePixels(whole, x0: w / 3, x1: 2 * w / 3).count > 100)
        #expect(curvePixels(broken).count == 50, "two markers")
        let infinite = lineChart(series: [ChartSeries(name: "acc", values: [0.5, .infinity, 0.5], colour: colour)], width: w)
        #expect(infinite == broken)
    }

    @Test func nothingToPlotStillDraws() {
        for s in [[], [ChartSeries(name: "loss", values: [], colour: colour)],
                  [ChartSeries(name: "loss", values: [.nan, .nan], colour: colour)]] {
            let image = lineChart(series: s, title: "empty", width: 300, height: 200)
            #expect(image.width == 300 && image.height == 200)
            #expect(curvePixels(image).count == 0)
            let drawn = inkPositions(image, in: PixelRect(x: 0, y: 0, width: 300, height: 200)).count
            #expect(drawn > 100, "axes and labels")
        }
    }

    @Test func rightAxisAppearsOnlyWhenUsed() {
        let left = [ChartSeries(name: "a", values: [1, 2, 3])]
        let both = left + [ChartSeries(name: "b", values: [0.5, 0.7, 0.9], axis: .right)]
        // Tick labels (in ink) right of the plot, above the x-axis labels.
        let labelInk = { (image: RGBImage) -> Int in
            inkPositions(image, in: PixelRect(x: image.width - 40, y: 0, width: 40, height: image.height - 80))
                .filter { image[$0.x, $0.y] == Palette.ink }.count
        }
        #expect(labelInk(lineChart(series: left, rightLabel: "accuracy")) == 0)
        #expect(labelInk(lineChart(series: both, rightLabel: "accuracy")) > 50)
    }
}
