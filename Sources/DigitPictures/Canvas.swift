import DigitImage

/// A mutable RGB raster to draw on. Everything clips silently to the canvas, so shapes may
/// hang over the edges. Drawing is purely integer arithmetic and therefore deterministic.
package struct Canvas: Equatable, Sendable {
    /// The picture drawn so far.
    package private(set) var image: RGBImage

    package var width: Int { image.width }
    package var height: Int { image.height }
    package var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// A `width` x `height` canvas filled with `background`.
    package init(width: Int, height: Int, background: RGB = Palette.background) {
        image = RGBImage(width: max(0, width), height: max(0, height), filledWith: background)
    }

    /// Starts from an existing picture.
    package init(image: RGBImage) {
        self.image = image
    }

    /// The colour at (`x`, `y`), which must lie on the canvas.
    package subscript(x: Int, y: Int) -> RGB { image[x, y] }

    /// Sets one pixel; off-canvas positions are ignored.
    package mutating func setPixel(x: Int, y: Int, _ colour: RGB) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = 3 * (y * width + x)
        image.pixels[i] = colour.r
        image.pixels[i + 1] = colour.g
        image.pixels[i + 2] = colour.b
    }

    /// Fills `rect` (clipped to the canvas).
    package mutating func fillRect(_ rect: PixelRect, colour: RGB) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            var i = 3 * (y * width + r.x)
            for _ in 0..<r.width {
                image.pixels[i] = colour.r
                image.pixels[i + 1] = colour.g
                image.pixels[i + 2] = colour.b
                i += 3
            }
        }
    }

    /// Draws the `thickness`-pixel border of `rect`, inside the rectangle.
    package mutating func strokeRect(_ rect: PixelRect, colour: RGB, thickness: Int = 1) {
        let t = max(1, thickness)
        fillRect(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: t), colour: colour)
        fillRect(PixelRect(x: rect.x, y: rect.maxY - t, width: rect.width, height: t), colour: colour)
        fillRect(PixelRect(x: rect.x, y: rect.y, width: t, height: rect.height), colour: colour)
        fillRect(PixelRect(x: rect.maxX - t, y: rect.y, width: t, height: rect.height), colour: colour)
    }

    /// A straight line from `a` to `b`, both ends included (Bresenham). With `thickness`
    /// t > 1 every step stamps a t x t square centred on the ideal pixel.
    package mutating func drawLine(from a: PixelPoint, to b: PixelPoint, colour: RGB, thickness: Int = 1) {
        let t = max(1, thickness)
        let lo = -(t - 1) / 2
        var x = a.x, y = a.y
        let dx = abs(b.x - a.x), dy = -abs(b.y - a.y)
        let sx = a.x < b.x ? 1 : -1, sy = a.y < b.y ? 1 : -1
        var err = dx + dy
        while true {
            if t == 1 {
                setPixel(x: x, y: y, colour)
            } else {
                fillRect(PixelRect(x: x + lo, y: y + lo, width: t, height: t), colour: colour)
            }
            if x == b.x && y == b.y { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// Writes `text` with `BitmapFont`; `origin` is the top-left corner of the first glyph
    /// box. "\n" starts a new line `10 * scale` pixels lower. `scale` must be >= 1.
    package mutating func drawText(_ text: String, at origin: PixelPoint, scale: Int = 1, colour: RGB) {
        precondition(scale >= 1, "text scale must be at least 1")
        var x = origin.x, y = origin.y
        for c in text {
            if c == "\n" {
                x = origin.x
                y += BitmapFont.lineAdvance * scale
                continue
            }
            let g = BitmapFont.glyph(for: c) ?? BitmapFont.missing
            for gy in 0..<BitmapFont.glyphHeight where g.rows[gy] != 0 {
                for gx in 0..<BitmapFont.glyphWidth where g.isSet(x: gx, y: gy) {
                    fillRect(PixelRect(x: x + gx * scale, y: y + gy * scale, width: scale, height: scale),
                             colour: colour)
                }
            }
            x += BitmapFont.advance * scale
        }
    }

    /// Writes one line of `text` turned 90° anticlockwise, reading bottom to top (for
    /// vertical axis labels). `origin` is the top-left of the turned box, which is
    /// `8 * scale` wide and `textWidth(text, scale:)` tall.
    package mutating func drawTextVertical(_ text: String, at origin: PixelPoint, scale: Int = 1, colour: RGB) {
        precondition(scale >= 1, "text scale must be at least 1")
        let length = BitmapFont.textWidth(text, scale: 1)
        var along = 0
        for c in text where c != "\n" {
            let g = BitmapFont.glyph(for: c) ?? BitmapFont.missing
            for gy in 0..<BitmapFont.glyphHeight {
                for gx in 0..<BitmapFont.glyphWidth where g.isSet(x: gx, y: gy) {
                    let tx = along + gx
                    fillRect(PixelRect(x: origin.x + gy * scale, y: origin.y + (length - 1 - tx) * scale,
                                       width: scale, height: scale), colour: colour)
                }
            }
            along += BitmapFont.advance
        }
    }

    /// Writes `text` so its box is centred horizontally on `centreX`, top at `top`.
    package mutating func drawTextCentred(_ text: String, centreX: Int, top: Int, scale: Int = 1, colour: RGB) {
        let w = BitmapFont.textWidth(text, scale: scale)
        drawText(text, at: PixelPoint(x: centreX - w / 2, y: top), scale: scale, colour: colour)
    }

    /// Copies `gray` with its top-left at `origin`, every source pixel becoming a
    /// `scale` x `scale` block (nearest neighbour, so strokes stay crisp), coloured by `map`.
    /// Source pixel (sx, sy) lands on `origin.x + sx*scale ..< origin.x + (sx+1)*scale`, same for y.
    package mutating func blit(_ gray: GrayImage, at origin: PixelPoint, scale: Int = 1,
                              colourMap map: ColourMap = .grayscale) {
        precondition(scale >= 1, "blit scale must be at least 1")
        for sy in 0..<gray.height {
            for sx in 0..<gray.width {
                fillRect(PixelRect(x: origin.x + sx * scale, y: origin.y + sy * scale, width: scale, height: scale),
                         colour: map[gray.pixels[sy * gray.width + sx]])
            }
        }
    }

    /// Copies `picture` with its top-left at `origin`, enlarged `scale` times (nearest neighbour).
    package mutating func blit(_ picture: RGBImage, at origin: PixelPoint, scale: Int = 1) {
        precondition(scale >= 1, "blit scale must be at least 1")
        for sy in 0..<picture.height {
            for sx in 0..<picture.width {
                fillRect(PixelRect(x: origin.x + sx * scale, y: origin.y + sy * scale, width: scale, height: scale),
                         colour: picture[sx, sy])
            }
        }
    }
}
