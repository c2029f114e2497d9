import DigitImage
@testable import DigitPictures
import Testing

/// Byte-exact charts: an FNV-1a hash of each picture's size and pixels, recorded from the
/// drawing code as it was before `lineChart` was split into parts. Any changed pixel changes
/// the hash; when a change is meant, draw the chart, look at it, and record the new hash.
@Suite struct LineChartGoldenTests {
    static func fnv1a(_ image: RGBImage) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in [UInt8(truncatingIfNeeded: image.width), UInt8(truncatingIfNeeded: image.height)] + image.pixels {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return h
    }

    static func lossAndAccuracy() -> RGBImage {
        lineChart(series: [ChartSeries(name: "loss", values: [2.3, 0.9, 0.5, 0.4]),
                           ChartSeries(name: "validation accuracy", values: [0.5, 0.8, 0.9, 0.93], axis: .right)],
                  title: "training", leftLabel: "loss", rightLabel: "accuracy", width: 500, height: 300)
    }

    static func wrappedLegend() -> RGBImage {
        var series: [ChartSeries] = []
        for i in 0..<7 {
            let v = Float(i)
            let values: [Float] = [v, 2 * v, .nan, 3, v / 3]
            series.append(ChartSeries(name: "series number \(i)", values: values, axis: i % 2 == 0 ? .left : .right))
        }
        return lineChart(series: series, title: "seven", xLabel: "step", leftLabel: "left", width: 320, height: 260)
    }

    static func manyEpochs() -> RGBImage {
        let rising: [Float] = (1...80).map { Float($0) / 80 }
        var falling: [Float] = rising.map { 1 - $0 }
        for i in stride(from: 5, to: falling.count, by: 13) { falling[i] = .infinity }
        return lineChart(series: [ChartSeries(name: "up", values: rising, colour: RGB(10, 20, 30)),
                                  ChartSeries(name: "down", values: falling, colour: RGB(200, 10, 90), axis: .right),
                                  ChartSeries(name: "short", values: [-4, 7, -2])],
                         leftLabel: "value", rightLabel: "other", width: 900, height: 600)
    }

    static func oneEpoch() -> RGBImage {
        lineChart(series: [ChartSeries(name: "loss", values: [0.7])], title: "one")
    }

    static func noFiniteValues() -> RGBImage {
        lineChart(series: [ChartSeries(name: "loss", values: [.nan, .nan])], title: "empty", width: 300, height: 200)
    }

    static func noDataMinimumSize() -> RGBImage {
        lineChart(series: [], title: "", xLabel: "", width: 10, height: 10)
    }

    static func negativeValuesNoLabels() -> RGBImage {
        lineChart(series: [ChartSeries(name: "a", values: [-1000, -3, 250, 12.5, -0.001, 77])], xLabel: "")
    }

    /// Charts that between them take every branch: both axes and their labels, a wrapped
    /// legend, no markers past 60 epochs, gaps, one epoch, nothing finite, nothing at all,
    /// the minimum size, no labels or title.
    static let charts: [(name: String, draw: @Sendable () -> RGBImage, hash: UInt64)] = [
        ("loss and accuracy", { lossAndAccuracy() }, 0x6647_43ab_d898_4ac4),
        ("wrapped legend, right axis without its label", { wrappedLegend() }, 0x7db2_e93f_cc4d_3d60),
        ("80 epochs, gaps, own colours, no markers", { manyEpochs() }, 0xd971_ac78_9a2b_f313),
        ("one epoch", { oneEpoch() }, 0xb4ab_5bd9_9024_4725),
        ("no finite values", { noFiniteValues() }, 0xa6c0_33f8_26bc_159e),
        ("no data, minimum size", { noDataMinimumSize() }, 0xf112_e4e1_b0a1_28f7),
        ("negative values, no labels", { negativeValuesNoLabels() }, 0x0d89_dbba_0e18_693a),
    ]

    @Test("lineChart draws the recorded pixels", arguments: 0..<charts.count)
    func recordedPixels(index: Int) {
        let chart = Self.charts[index]
        let hash = Self.fnv1a(chart.draw())
        #expect(hash == chart.hash, "\(chart.name): 0x\(String(hash, radix: 16))")
    }
}
