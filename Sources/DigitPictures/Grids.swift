import DigitImage

/// One cell of a picture grid: a gray image (white ink on black, as MNIST stores digits)
/// and a caption written beneath it. Captions may hold "\n" for several lines.
package struct CaptionedDigit: Equatable, Sendable {
    package var image: GrayImage
    package var caption: String

    package init(image: GrayImage, caption: String) {
        self.image = image
        self.caption = caption
    }
}

/// Where everything sits in a `sampleGrid` or `errorGrid` picture (all in pixels).
///
/// The page has a `margin` on every side, an optional title at the top (scale 2),
/// then `rows` x `columns` cells separated by `gap`. A cell is a column of width
/// `columnWidth` holding the enlarged image (centred horizontally) above a caption strip
/// `captionHeight` tall. Captions are centred in their strip and drawn at scale 1.
package struct GridLayout: Equatable, Sendable {
    package let rows: Int
    package let columns: Int
    /// Size of one enlarged image: source size times `scale`.
    package let imageWidth: Int
    package let imageHeight: Int
    package let scale: Int
    /// Width of one column: the enlarged image or the widest caption, whichever is wider.
    package let columnWidth: Int
    /// Height of the caption strip under each image.
    package let captionHeight: Int
    package let title: String?
    package let margin = 8
    package let gap = 6
    /// Space between an image and the first caption line.
    package let captionPadding = 3

    /// Geometry for `rows` x `columns` cells of `sourceWidth` x `sourceHeight` images
    /// enlarged by `scale` (>= 1), with captions `captionWidth` pixels wide (at most)
    /// and `captionLines` lines tall (at most).
    package init(rows: Int, columns: Int, sourceWidth: Int, sourceHeight: Int, scale: Int,
                captionWidth: Int, captionLines: Int, title: String?) {
        precondition(scale >= 1, "grid scale must be at least 1")
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        self.scale = scale
        imageWidth = sourceWidth * scale
        imageHeight = sourceHeight * scale
        columnWidth = max(imageWidth, captionWidth)
        captionHeight = captionLines > 0
            ? captionPadding + (captionLines - 1) * BitmapFont.lineAdvance + BitmapFont.glyphHeight + 2
            : 0
        self.title = title
    }

    /// Height of the title band (title text plus space below it), 0 without a title.
    package var titleHeight: Int {
        guard let t = title, !t.isEmpty else { return 0 }
        return BitmapFont.textHeight(t, scale: 2) + 8
    }

    /// Size of the whole picture.
    package var width: Int {
        let cells = columns > 0 ? columns * columnWidth + (columns - 1) * gap : 0
        let titleWidth = title.map { BitmapFont.textWidth($0, scale: 2) } ?? 0
        return 2 * margin + max(cells, titleWidth)
    }

    package var height: Int {
        let cellHeight = imageHeight + captionHeight
        let cells = rows > 0 ? rows * cellHeight + (rows - 1) * gap : 0
        return 2 * margin + titleHeight + cells
    }

    /// The column band of cell (`row`, `column`): enlarged image plus caption strip.
    package func columnRect(row: Int, column: Int) -> PixelRect {
        PixelRect(x: margin + column * (columnWidth + gap),
                  y: margin + titleHeight + row * (imageHeight + captionHeight + gap),
                  width: columnWidth, height: imageHeight + captionHeight)
    }

    /// The pixels holding the enlarged image of cell (`row`, `column`): source pixel
    /// (sx, sy) fills `x + sx*scale ..< x + (sx+1)*scale` by `y + sy*scale ..< ...`.
    package func cellRect(row: Int, column: Int) -> PixelRect {
        let band = columnRect(row: row, column: column)
        return PixelRect(x: band.x + (columnWidth - imageWidth) / 2, y: band.y,
                         width: imageWidth, height: imageHeight)
    }

    /// The strip under the image of cell (`row`, `column`) where its caption is written.
    package func captionRect(row: Int, column: Int) -> PixelRect {
        let band = columnRect(row: row, column: column)
        return PixelRect(x: band.x, y: band.y + imageHeight, width: columnWidth, height: captionHeight)
    }

    /// The title's box (empty without a title).
    package var titleRect: PixelRect {
        guard let t = title, titleHeight > 0 else { return PixelRect(x: margin, y: margin, width: 0, height: 0) }
        return PixelRect(x: margin, y: margin, width: BitmapFont.textWidth(t, scale: 2),
                         height: BitmapFont.textHeight(t, scale: 2))
    }
}

// MARK: - Sample grid

/// Geometry of `sampleGrid(rows, scale:, title:)`. Every image must have the size of the first.
package func sampleGridLayout(_ rows: [[CaptionedDigit]], scale: Int = 2, title: String? = nil) -> GridLayout {
    let cells = rows.flatMap { $0 }
    let first = cells.first?.image
    for c in cells {
        precondition(c.image.width == first!.width && c.image.height == first!.height,
                     "sampleGrid: all images must have the same size")
    }
    return GridLayout(rows: rows.count, columns: rows.map(\.count).max() ?? 0,
                      sourceWidth: first?.width ?? 0, sourceHeight: first?.height ?? 0, scale: scale,
                      captionWidth: cells.map { BitmapFont.textWidth($0.caption) }.max() ?? 0,
                      captionLines: cells.map { $0.caption.isEmpty ? 0 : $0.caption.split(separator: "\n", omittingEmptySubsequences: false).count }.max() ?? 0,
                      title: title)
}

/// Example digits, one row per class (rows may differ in length; missing cells stay blank).
///
/// Each image is enlarged `scale` times with nearest-neighbour (gray value v becomes
/// RGB(v, v, v)) and its caption, e.g. "7 #1234", is written beneath it in `Palette.ink`.
/// The page is white; see `sampleGridLayout` for where each cell lands.
package func sampleGrid(_ rows: [[CaptionedDigit]], scale: Int = 2, title: String? = nil) -> RGBImage {
    let layout = sampleGridLayout(rows, scale: scale, title: title)
    var canvas = Canvas(width: layout.width, height: layout.height)
    drawTitle(layout, on: &canvas)
    for (r, row) in rows.enumerated() {
        for (c, cell) in row.enumerated() {
            drawCell(cell.image, captions: [(cell.caption, Palette.ink)], row: r, column: c, layout: layout, on: &canvas)
        }
    }
    return canvas.image
}

// MARK: - Error grid

/// One misclassified example for `errorGrid`.
package struct Misclassification: Equatable, Sendable {
    package var image: GrayImage
    /// True class.
    package var label: Int
    /// Predicted class.
    package var predicted: Int
    /// Probability the model gave `predicted`, in 0...1.
    package var confidence: Float
    /// A second caption line naming the picture when given: "#index" for a position in the
    /// data set, or a file's name.
    package var detail: String?

    /// The position in the data set when the detail is "#index" (kept for callers of the
    /// `index:` initialiser).
    package var index: Int? {
        guard let detail, detail.hasPrefix("#") else { return nil }
        return Int(detail.dropFirst())
    }

    /// `index`, the position in the data set, is shown as the detail "#index".
    package init(image: GrayImage, label: Int, predicted: Int, confidence: Float, index: Int? = nil) {
        self.init(image: image, label: label, predicted: predicted, confidence: confidence, detail: index.map { "#\($0)" })
    }

    package init(image: GrayImage, label: Int, predicted: Int, confidence: Float, detail: String?) {
        self.image = image
        self.label = label
        self.predicted = predicted
        self.confidence = confidence
        self.detail = detail
    }

    /// First caption line, e.g. "4→9 97%" (confidence as a whole percentage).
    package var caption: String { "\(label)\u{2192}\(predicted) \(NumberText.percent(confidence))" }
}

/// Geometry of `errorGrid` for the same arguments.
package func errorGridLayout(_ errors: [Misclassification], columns: Int = 10, scale: Int = 2,
                            title: String) -> GridLayout {
    let cols = max(1, columns)
    let first = errors.first?.image
    for e in errors {
        precondition(e.image.width == first!.width && e.image.height == first!.height,
                     "errorGrid: all images must have the same size")
    }
    let widths = errors.flatMap { e in [BitmapFont.textWidth(e.caption), BitmapFont.textWidth(e.detail ?? "")] }
    return GridLayout(rows: (errors.count + cols - 1) / cols, columns: errors.isEmpty ? 0 : min(cols, errors.count),
                      sourceWidth: first?.width ?? 0, sourceHeight: first?.height ?? 0, scale: scale,
                      captionWidth: widths.max() ?? 0,
                      captionLines: errors.isEmpty ? 0 : (errors.contains { $0.detail != nil } ? 2 : 1),
                      title: title)
}

/// One page of misclassified digits, `columns` per row in the order given, under `title`
/// (e.g. "misclassified 1-50 of 213"). Each cell shows the enlarged digit and the caption
/// "true→predicted confidence%" in `Palette.bad`, plus the detail in `Palette.mutedInk`
/// when known. Callers split long lists into pages.
package func errorGrid(_ errors: [Misclassification], columns: Int = 10, scale: Int = 2,
                      title: String) -> RGBImage {
    let layout = errorGridLayout(errors, columns: columns, scale: scale, title: title)
    var canvas = Canvas(width: layout.width, height: layout.height)
    drawTitle(layout, on: &canvas)
    let cols = max(1, columns)
    for (i, e) in errors.enumerated() {
        var captions = [(e.caption, Palette.bad)]
        if let detail = e.detail { captions.append((detail, Palette.mutedInk)) }
        drawCell(e.image, captions: captions, row: i / cols, column: i % cols, layout: layout, on: &canvas)
    }
    return canvas.image
}

// MARK: - Shared drawing

private func drawTitle(_ layout: GridLayout, on canvas: inout Canvas) {
    guard let t = layout.title, layout.titleHeight > 0 else { return }
    canvas.drawText(t, at: PixelPoint(x: layout.titleRect.x, y: layout.titleRect.y), scale: 2, colour: Palette.ink)
}

/// Draws the image and caption lines (each centred, one colour per line; a line may
/// itself contain "\n") of one cell.
private func drawCell(_ image: GrayImage, captions: [(String, RGB)], row: Int, column: Int,
                      layout: GridLayout, on canvas: inout Canvas) {
    let cell = layout.cellRect(row: row, column: column)
    canvas.blit(image, at: PixelPoint(x: cell.x, y: cell.y), scale: layout.scale)
    let strip = layout.captionRect(row: row, column: column)
    var top = strip.y + layout.captionPadding
    for (text, colour) in captions {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            canvas.drawTextCentred(String(line), centreX: strip.x + strip.width / 2, top: top, colour: colour)
            top += BitmapFont.lineAdvance
        }
    }
}
