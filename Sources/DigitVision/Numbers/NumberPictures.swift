import DigitCompute
import DigitImage

/// Pictures of whole numbers made from MNIST digits, for measuring and testing the number
/// reader: the digits placed on a white canvas as dark ink, with every digit's true box and
/// which neighbours' inks touch, then (unless clean) scanned or redrawn as a `PictureKind`.
package enum NumberPictures {
    /// A composed picture: dark ink on white, and per line the true labels and boxes.
    package struct Composition: Sendable {
        package var picture: GrayImage
        package var labels: [[Int]]
        package var boxes: [[PixelRect]]
        /// Per line, for each pair of neighbours (one fewer than the digits), whether their inks touch
        /// or cross (8-connected pixels above `NumberPictures.touchLevel`).
        package var touching: [[Bool]]

        package var text: String { labels.map { $0.map(String.init).joined() }.joined(separator: "\n") }

        /// The share of neighbouring digits whose inks touch, over all lines (0 for single digits).
        package var touchingShare: Double {
            let pairs = touching.flatMap { $0 }
            return pairs.isEmpty ? 0 : Double(pairs.filter { $0 }.count) / Double(pairs.count)
        }
    }

    /// How digits are laid out, in units of the nominal digit height (`height` px).
    package struct Layout: Sendable {
        package var height = 48
        /// Each digit's height is `height` times a factor drawn from this range.
        package var sizes: ClosedRange<Double> = 0.85...1.2
        /// Horizontal gap between neighbouring ink boxes; negative values overlap them.
        package var gaps: ClosedRange<Double> = 0.1...0.5
        /// Vertical shift of each digit's bottom from the line's baseline.
        package var baselineShifts: ClosedRange<Double> = -0.1...0.1

        package init(height: Int = 48, sizes: ClosedRange<Double> = 0.85...1.2, gaps: ClosedRange<Double> = 0.1...0.5,
                     baselineShifts: ClosedRange<Double> = -0.1...0.1) {
            self.height = height
            self.sizes = sizes
            self.gaps = gaps
            self.baselineShifts = baselineShifts
        }

        /// Crowded handwriting: gaps from a fifth of a digit's overlap to 0.3 of a digit apart,
        /// which leaves about a fifth of neighbours touching (19-23% by length, measured).
        package static let crowded = Layout(gaps: -0.2...0.3)
    }

    /// The ink level (of 255) above which two digits' pixels count as touching.
    package static let touchLevel: UInt8 = 96

    /// `lines` of images (indices into `set`), laid out by `layout` with `random`, each line's
    /// baseline 1.6 heights below the previous one, on white with a margin of one height, then
    /// made a picture of `kind` (its choices drawn from `random` after the layout's).
    package static func compose(_ lines: [[Int]], from set: Dataset, layout: Layout, kind: PictureKind = .clean,
                                random: inout SeededRandom) -> Composition {
        let margin = layout.height
        var ink: [(image: GrayImage, x: Int, y: Int)] = []
        var boxes: [[PixelRect]] = []
        var right = 0
        for (row, line) in lines.enumerated() {
            let baseline = margin + layout.height + row * layout.height * 8 / 5
            var x = margin
            var lineBoxes: [PixelRect] = []
            for (i, index) in line.enumerated() {
                let digit = inkCrop(scaled(set.image(index), height: Int(Double(layout.height) * draw(layout.sizes, &random))))
                if i > 0 { x += Int((Double(layout.height) * draw(layout.gaps, &random)).rounded()) }
                let bottom = baseline + Int((Double(layout.height) * draw(layout.baselineShifts, &random)).rounded())
                ink.append((digit, x, bottom - digit.height))
                lineBoxes.append(PixelRect(x: x, y: bottom - digit.height, width: digit.width, height: digit.height))
                x += digit.width
            }
            right = max(right, x)
            boxes.append(lineBoxes)
        }
        let bottom = boxes.flatMap { $0 }.map { $0.y + $0.height }.max() ?? 0
        var canvas = GrayImage(width: right + margin, height: bottom + margin, filledWith: 255)
        for (image, x, y) in ink {
            for dy in 0..<image.height {
                for dx in 0..<image.width {
                    canvas[x + dx, y + dy] = min(canvas[x + dx, y + dy], 255 - image[dx, dy])
                }
            }
        }
        var first = 0
        let touching = lines.map { line -> [Bool] in
            defer { first += line.count }
            return line.indices.dropFirst().map { i in touches(ink[first + i - 1], ink[first + i]) }
        }
        let composition = Composition(picture: canvas, labels: lines.map { $0.map { Int(set.labels[$0]) } }, boxes: boxes,
                                      touching: touching)
        return kind.applied(to: composition, digitHeight: layout.height, random: &random)
    }

    /// Whether some pixel of `a` above `touchLevel` is one of, or an 8-neighbour of, such a pixel of `b`.
    static func touches(_ a: (image: GrayImage, x: Int, y: Int), _ b: (image: GrayImage, x: Int, y: Int)) -> Bool {
        func inked(_ d: (image: GrayImage, x: Int, y: Int), _ x: Int, _ y: Int) -> Bool {
            let (dx, dy) = (x - d.x, y - d.y)
            return dx >= 0 && dy >= 0 && dx < d.image.width && dy < d.image.height && d.image[dx, dy] > touchLevel
        }
        let minX = max(a.x, b.x - 1), maxX = min(a.x + a.image.width, b.x + b.image.width + 1)
        let minY = max(a.y, b.y - 1), maxY = min(a.y + a.image.height, b.y + b.image.height + 1)
        guard minX < maxX, minY < maxY else { return false }
        for y in minY..<maxY {
            for x in minX..<maxX where inked(a, x, y) {
                for ny in (y - 1)...(y + 1) {
                    for nx in (x - 1)...(x + 1) where inked(b, nx, ny) { return true }
                }
            }
        }
        return false
    }

    /// `count` pictures of `kind` of one-line `digits`-digit numbers of random images of `set`.
    package static func numbers(_ count: Int, digits: Int, from set: Dataset, layout: Layout, kind: PictureKind = .clean,
                                seed: UInt64) -> [Composition] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let indices = (0..<digits).map { _ in random.integer(below: set.count) }
            return compose([indices], from: set, layout: layout, kind: kind, random: &random)
        }
    }

    static func draw(_ range: ClosedRange<Double>, _ random: inout SeededRandom) -> Double {
        range.lowerBound + Double(random.uniform()) * (range.upperBound - range.lowerBound)
    }

    /// `image` (white ink on black) bilinearly resized by `height / 20` (MNIST's ink box is 20 px tall).
    static func scaled(_ image: GrayImage, height: Int) -> GrayImage {
        let factor = Double(height) / 20
        let width = Int((Double(image.width) * factor).rounded())
        let tall = Int((Double(image.height) * factor).rounded())
        var out = GrayImage(width: width, height: tall, filledWith: 0)
        for y in 0..<tall {
            for x in 0..<width {
                let sx = min(max((Double(x) + 0.5) / factor - 0.5, 0), Double(image.width - 1))
                let sy = min(max((Double(y) + 0.5) / factor - 0.5, 0), Double(image.height - 1))
                let x0 = Int(sx), y0 = Int(sy)
                let x1 = min(x0 + 1, image.width - 1), y1 = min(y0 + 1, image.height - 1)
                let fx = sx - Double(x0), fy = sy - Double(y0)
                let top = Double(image[x0, y0]) * (1 - fx) + Double(image[x1, y0]) * fx
                let low = Double(image[x0, y1]) * (1 - fx) + Double(image[x1, y1]) * fx
                out[x, y] = UInt8((top * (1 - fy) + low * fy).rounded())
            }
        }
        return out
    }

    /// The part of `image` (white ink on black) inside the box of its pixels above 40.
    static func inkCrop(_ image: GrayImage) -> GrayImage {
        var minX = image.width, minY = image.height, maxX = -1, maxY = -1
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] > 40 {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        var out = GrayImage(width: maxX - minX + 1, height: maxY - minY + 1, filledWith: 0)
        for y in minY...maxY {
            for x in minX...maxX { out[x - minX, y - minY] = image[x, y] }
        }
        return out
    }
}
