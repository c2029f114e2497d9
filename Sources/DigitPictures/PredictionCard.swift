import DigitImage

/// Where the parts of a `predictionCard` sit (pixels).
///
/// Left column: the digit enlarged `scale` times at the top, the caption line under it.
/// Right: a bar chart, one bar per class, class numbers beneath the bars, percentages
/// on the left axis (0%, 50%, 100%) and the whole-percent value above each bar of >= 1%.
package struct PredictionCardLayout: Equatable, Sendable {
    package let digitRect: PixelRect
    /// Top-left of the caption text.
    package let captionOrigin: PixelPoint
    /// The bars' area: a bar of probability p is `round(p * height)` tall, standing on `maxY`.
    package let plotRect: PixelRect
    package let classes: Int
    package let barWidth = 18
    package let barGap = 6
    package let margin = 12
    package let width: Int
    package let height: Int

    package init(digitWidth: Int, digitHeight: Int, scale: Int, classes: Int, caption: String) {
        precondition(scale >= 1, "prediction card scale must be at least 1")
        self.classes = max(0, classes)
        digitRect = PixelRect(x: margin, y: margin + 14, width: digitWidth * scale, height: digitHeight * scale)
        captionOrigin = PixelPoint(x: margin, y: digitRect.maxY + 10)
        let leftWidth = max(digitRect.width, BitmapFont.textWidth(caption))
        let axisWidth = BitmapFont.textWidth("100%") + 8
        // Room above the bars for the value of a 100% bar.
        let plotHeight = max(60, digitRect.height - 12)
        plotRect = PixelRect(x: margin + leftWidth + 28 + axisWidth, y: digitRect.y + 12,
                             width: self.classes * (barWidth + barGap) + barGap, height: plotHeight)
        width = plotRect.maxX + margin
        height = max(captionOrigin.y + BitmapFont.glyphHeight, plotRect.maxY + 6 + BitmapFont.glyphHeight) + margin
    }

    /// Full-height slot of class `k`'s bar.
    package func barSlot(_ k: Int) -> PixelRect {
        PixelRect(x: plotRect.x + barGap + k * (barWidth + barGap), y: plotRect.y,
                  width: barWidth, height: plotRect.height)
    }
}

/// The caption `predictionCard` writes: "label 7  predicted 7 (99.8%)", or
/// "predicted 7 (99.8%)" when `label` is not a class index (unknown label).
package func predictionCaption(label: Int, prediction: Int, probabilities: [Float]) -> String {
    let p = probabilities.indices.contains(prediction) ? probabilities[prediction] : .nan
    let predicted = "predicted \(prediction) (\(NumberText.percent(p, decimals: 1)))"
    return probabilities.indices.contains(label) ? "label \(label)  " + predicted : predicted
}

/// Geometry of `predictionCard` for the same arguments.
package func predictionCardLayout(digit: GrayImage, label: Int, prediction: Int, probabilities: [Float],
                                 scale: Int = 6) -> PredictionCardLayout {
    PredictionCardLayout(digitWidth: digit.width, digitHeight: digit.height, scale: scale,
                         classes: probabilities.count,
                         caption: predictionCaption(label: label, prediction: prediction, probabilities: probabilities))
}

/// One digit and what the model thought of it.
///
/// - `digit` is drawn enlarged `scale` times (nearest neighbour, gray v as RGB(v, v, v)).
/// - Under it, `predictionCaption(...)` in `Palette.good` when `label == prediction`,
///   `Palette.bad` when not, `Palette.ink` when the label is unknown (outside the classes).
/// - `probabilities` (each in 0...1, usually summing to 1; NaN counts as 0) as bars:
///   the predicted class in `Palette.good`/`Palette.bad`, the true class (if it differs) in
///   `Palette.good`, others in gray-blue. Class numbers under the bars.
package func predictionCard(digit: GrayImage, label: Int, prediction: Int, probabilities: [Float],
                           scale: Int = 6) -> RGBImage {
    let layout = predictionCardLayout(digit: digit, label: label, prediction: prediction,
                                      probabilities: probabilities, scale: scale)
    var canvas = Canvas(width: layout.width, height: layout.height)
    let known = probabilities.indices.contains(label)
    let correct = known && label == prediction

    canvas.drawText("input", at: PixelPoint(x: layout.digitRect.x, y: layout.margin), colour: Palette.mutedInk)
    canvas.strokeRect(layout.digitRect.insetBy(-1), colour: RGB(200, 200, 200))
    canvas.blit(digit, at: PixelPoint(x: layout.digitRect.x, y: layout.digitRect.y), scale: scale)
    canvas.drawText(predictionCaption(label: label, prediction: prediction, probabilities: probabilities),
                    at: layout.captionOrigin, colour: !known ? Palette.ink : correct ? Palette.good : Palette.bad)

    let plot = layout.plotRect
    canvas.drawText("probability", at: PixelPoint(x: plot.x, y: layout.margin), colour: Palette.mutedInk)
    for (fraction, text) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
        let y = plot.maxY - 1 - Int((fraction * Double(plot.height - 1)).rounded())
        canvas.fillRect(PixelRect(x: plot.x, y: y, width: plot.width, height: 1),
                        colour: fraction == 0 ? Palette.axis : Palette.grid)
        canvas.drawText(text, at: PixelPoint(x: plot.x - 6 - BitmapFont.textWidth(text), y: y - 3), colour: Palette.ink)
    }
    for (k, raw) in probabilities.enumerated() {
        let p = raw.isFinite ? min(1, max(0, Double(raw))) : 0
        let slot = layout.barSlot(k)
        let barHeight = Int((p * Double(plot.height)).rounded())
        let colour = k == prediction ? (correct || !known ? Palette.good : Palette.bad)
            : (known && k == label) ? Palette.good : RGB(150, 172, 204)
        if !known && k == prediction {
            canvas.fillRect(PixelRect(x: slot.x, y: plot.maxY - barHeight, width: slot.width, height: barHeight),
                            colour: Palette.seriesColour(0))
        } else {
            canvas.fillRect(PixelRect(x: slot.x, y: plot.maxY - barHeight, width: slot.width, height: barHeight),
                            colour: colour)
        }
        let percent = Int((p * 100).rounded())
        if percent >= 1 {
            canvas.drawTextCentred(String(percent), centreX: slot.x + slot.width / 2,
                                   top: plot.maxY - barHeight - 10, colour: Palette.ink)
        }
        canvas.drawTextCentred(String(k), centreX: slot.x + slot.width / 2, top: plot.maxY + 5,
                               colour: k == prediction ? Palette.ink : Palette.mutedInk)
    }
    return canvas.image
}
