import DigitImage

/// How first-layer weights are laid out in the flat array given to `weightTiles`.
package enum WeightLayout: Equatable, Sendable {
    /// `[inputs x units]` row-major, as `Dense.weight.value` stores them: weight of input
    /// pixel p for unit k is `weights[p * units + k]`, with `units = weights.count / (tileWidth * tileHeight)`.
    case inputMajor
    /// `[units x inputs]` row-major: unit k's tile is `weights[k * area ..< (k + 1) * area]`.
    case tileMajor
}

/// How weights become colours in `weightTiles`.
package enum WeightScaling: Equatable, Sendable {
    /// Each tile is scaled by its own largest |w|, so every unit's pattern is fully visible
    /// (magnitudes are not comparable between tiles).
    case perTile
    /// One scale, the largest |w| over all drawn tiles, so tiles compare directly.
    case global
}

/// Where the tiles of a `weightTiles` picture sit (pixels).
package struct TileLayout: Equatable, Sendable {
    package let count: Int
    package let columns: Int
    package let tileWidth: Int
    package let tileHeight: Int
    package let scale: Int
    package let title: String?
    package let margin = 10
    package let gap = 4

    package init(count: Int, columns: Int, tileWidth: Int, tileHeight: Int, scale: Int, title: String?) {
        precondition(scale >= 1 && columns >= 1)
        self.count = max(0, count)
        self.columns = columns
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        self.scale = scale
        self.title = title
    }

    package var rows: Int { (count + columns - 1) / columns }
    var titleHeight: Int { (title?.isEmpty ?? true) ? 0 : BitmapFont.textHeight(title!, scale: 2) + 10 }
    var gridWidth: Int { columns * tileWidth * scale + (columns - 1) * gap }

    /// The pixels of tile `k` (row-major order of tiles): weight (x, y) of the tile fills
    /// a `scale` x `scale` block at `x + tx*scale`, `y + ty*scale`.
    package func tileRect(_ k: Int) -> PixelRect {
        PixelRect(x: margin + (k % columns) * (tileWidth * scale + gap),
                  y: margin + titleHeight + (k / columns) * (tileHeight * scale + gap),
                  width: tileWidth * scale, height: tileHeight * scale)
    }

    /// The colour bar under the tiles.
    package var colourBarRect: PixelRect {
        let top = margin + titleHeight + rows * (tileHeight * scale + gap) + 6
        return PixelRect(x: margin, y: top, width: max(120, min(256, gridWidth)), height: 10)
    }

    package var width: Int {
        let note = colourBarRect.width + 12 + BitmapFont.textWidth(TileLayout.longestNote)
        return 2 * margin + max(gridWidth, note, BitmapFont.textWidth(title ?? "", scale: 2))
    }

    static let longestNote = "one scale for all tiles"


    package var height: Int { colourBarRect.maxY + 4 + BitmapFont.glyphHeight + margin }
}

/// Geometry of `weightTiles` for the same sizes; `columns` nil means ceil(sqrt(count)).
package func weightTilesLayout(tileWidth: Int, tileHeight: Int, count: Int, scale: Int = 3,
                              columns: Int? = nil, title: String? = nil) -> TileLayout {
    var root = 1
    while root * root < count { root += 1 }
    return TileLayout(count: count, columns: max(1, columns ?? root), tileWidth: tileWidth,
                      tileHeight: tileHeight, scale: scale, title: title)
}

/// First-layer weights as `count` tiles of `tileWidth` x `tileHeight` (28 x 28 for MNIST),
/// each weight a `scale` x `scale` block, with the diverging map `Palette.diverging`:
/// blue negative, exactly white for 0, red positive. The colour of w is
/// `diverging(w / m)`, m the largest finite |w| of the tile (`.perTile`, the default) or of
/// all drawn tiles (`.global`); m = 0 gives all white, NaN gives gray.
/// A colour bar labelled -m, 0, +m (or "-max", "0", "+max" per tile) runs underneath.
/// `weights` must hold `count` tiles in `layout` order (see `WeightLayout`).
package func weightTiles(_ weights: [Float], tileWidth: Int, tileHeight: Int, count: Int,
                        layout: WeightLayout = .inputMajor, scaling: WeightScaling = .perTile,
                        scale: Int = 3, columns: Int? = nil, title: String? = nil) -> RGBImage {
    let area = tileWidth * tileHeight
    precondition(area > 0 && count >= 0, "weightTiles: empty tiles")
    let units: Int
    switch layout {
    case .inputMajor:
        precondition(weights.count % area == 0, "weightTiles: \(weights.count) weights is not a multiple of \(area)")
        units = weights.count / area
    case .tileMajor:
        units = weights.count / area
    }
    precondition(count <= units, "weightTiles: \(count) tiles asked for, only \(units) in the weights")

    func weight(_ k: Int, _ p: Int) -> Float {
        layout == .inputMajor ? weights[p * units + k] : weights[k * area + p]
    }
    func maxAbs(_ k: Int) -> Float {
        var m: Float = 0
        for p in 0..<area where weight(k, p).isFinite { m = max(m, abs(weight(k, p))) }
        return m
    }
    let tileMax = (0..<count).map(maxAbs)
    let globalMax = tileMax.max() ?? 0

    let geometry = weightTilesLayout(tileWidth: tileWidth, tileHeight: tileHeight, count: count,
                                     scale: scale, columns: columns, title: title)
    var canvas = Canvas(width: geometry.width, height: geometry.height)
    if let t = title, !t.isEmpty {
        canvas.drawText(t, at: PixelPoint(x: geometry.margin, y: geometry.margin), scale: 2, colour: Palette.ink)
    }
    for k in 0..<count {
        let rect = geometry.tileRect(k)
        let m = scaling == .perTile ? tileMax[k] : globalMax
        canvas.strokeRect(rect.insetBy(-1), colour: RGB(200, 200, 200))
        for ty in 0..<tileHeight {
            for tx in 0..<tileWidth {
                let w = weight(k, ty * tileWidth + tx)
                let colour = w.isNaN ? Palette.diverging(.nan)
                    : m > 0 ? Palette.diverging(Double(w / m)) : RGB.white
                canvas.fillRect(PixelRect(x: rect.x + tx * scale, y: rect.y + ty * scale, width: scale, height: scale),
                                colour: colour)
            }
        }
    }

    // Colour bar.
    let bar = geometry.colourBarRect
    for i in 0..<bar.width {
        let v = bar.width > 1 ? 2 * Double(i) / Double(bar.width - 1) - 1 : 0
        canvas.fillRect(PixelRect(x: bar.x + i, y: bar.y, width: 1, height: bar.height), colour: Palette.diverging(v))
    }
    canvas.strokeRect(bar.insetBy(-1), colour: RGB(200, 200, 200))
    let (lowText, highText) = scaling == .perTile
        ? ("-max", "+max")
        : ("-" + NumberText.fixed(Double(globalMax), decimals: 3), "+" + NumberText.fixed(Double(globalMax), decimals: 3))
    let labelTop = bar.maxY + 4
    canvas.drawText(lowText, at: PixelPoint(x: bar.x, y: labelTop), colour: Palette.ink)
    canvas.drawTextCentred("0", centreX: bar.x + bar.width / 2, top: labelTop, colour: Palette.ink)
    canvas.drawText(highText, at: PixelPoint(x: bar.maxX - BitmapFont.textWidth(highText), y: labelTop), colour: Palette.ink)
    let note = scaling == .perTile ? "scale per tile" : TileLayout.longestNote
    canvas.drawText(note, at: PixelPoint(x: bar.maxX + 12, y: bar.y + 1), colour: Palette.mutedInk)
    return canvas.image
}
