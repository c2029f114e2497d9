import DigitImage
import Foundation
import Testing

// Synthetic digit pictures of known geometry, and measures of the results, for the preprocessing tests.

/// Digit shapes as stroke paths in a unit box (x right, y down), for drawing test pictures of
/// known geometry: the strokes' centre lines span x ∈ [0, 0.7], y ∈ [0, 1].
enum SyntheticDigitShape: String, CaseIterable, CustomTestStringConvertible {
    case two, zero

    var paths: [[SIMD2<Double>]] { self == .two ? Self.twoPaths : Self.zeroPaths }

    /// 5th to 95th percentile of pixels above 127 among MNIST digits of this class (first 10,000
    /// training digits): an "0" carries more ink than a "2".
    var mnistStrongPixels: ClosedRange<Int> { self == .two ? 68...171 : 86...197 }

    var testDescription: String { rawValue }

    /// A "2": an arc over the top, a diagonal to the bottom left, a flat base.
    static let twoPaths: [[SIMD2<Double>]] = {
        let arc = stride(from: Double.pi, through: 2 * .pi + 0.55, by: 0.05).map { (t: Double) -> SIMD2<Double> in
            SIMD2(0.35 + 0.33 * cos(t), 0.28 + 0.27 * sin(t))
        }
        return [arc + [SIMD2(0.02, 1.0), SIMD2(0.70, 1.0)]]
    }()

    /// A "0": one closed ellipse.
    static let zeroPaths: [[SIMD2<Double>]] = [
        stride(from: 0, through: 2 * .pi + 0.05, by: 0.05).map { (t: Double) -> SIMD2<Double> in
            SIMD2(0.35 + 0.35 * cos(t), 0.5 + 0.5 * sin(t))
        },
    ]
}

/// A test picture: paper (or board) with optional lighting gradient, notebook rules and noise,
/// and a digit drawn on it with an anti-aliased round pen.
struct SyntheticPicture {
    var width: Int
    var height: Int
    /// Background gray level at the picture's top-left corner.
    var paper: Double = 245
    /// Ink gray level.
    var ink: Double = 20
    /// Background change in gray levels per pixel, rightwards and downwards.
    var gradient = SIMD2<Double>(0, 0)
    /// Horizontal rules across the whole width every `ruleSpacing` px (nil: none), `ruleWidth` px
    /// thick, at gray level `ruleLevel`.
    var ruleSpacing: Int?
    var ruleWidth = 2.0
    var ruleLevel = 150.0
    /// Uniform noise of ± this many gray levels, from a fixed seed.
    var noise = 0.0

    /// Draws `shape` with its unit box scaled to `size` px (height) at top-left `origin`, with a
    /// pen `penWidth` px wide.
    func draw(_ shape: [[SIMD2<Double>]], origin: SIMD2<Double>, size: Double, penWidth: Double) -> GrayImage {
        let paths = shape.map { $0.map { origin + size * $0 } }
        let inkCoverage = Self.coverage(of: paths, penWidth: penWidth, width: width, height: height)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var value = paper + gradient.x * Double(x) + gradient.y * Double(y)
                if let ruleSpacing {
                    let distance = abs(Double(y % ruleSpacing) + 0.5 - Double(ruleSpacing) / 2)
                    let rule = min(max(ruleWidth / 2 + 0.5 - distance, 0), 1)
                    value += (ruleLevel - paper) * rule
                }
                let c = inkCoverage[y * width + x]
                value = value * (1 - c) + ink * c
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                value += noise * (Double(seed >> 11) / Double(1 << 53) * 2 - 1)
                pixels[y * width + x] = UInt8(min(max(value.rounded(), 0), 255))
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Pen coverage 0...1 per pixel: 1 within half the pen width of a path, a linear ramp one
    /// pixel wide at the edge (anti-aliasing).
    static func coverage(of paths: [[SIMD2<Double>]], penWidth: Double, width: Int, height: Int) -> [Double] {
        var coverage = [Double](repeating: 0, count: width * height)
        let half = penWidth / 2
        for path in paths {
            for (a, b) in zip(path, path.dropFirst()) {
                let minY = max(Int(min(a.y, b.y) - half - 1), 0), maxY = min(Int(max(a.y, b.y) + half + 1), height - 1)
                let minX = max(Int(min(a.x, b.x) - half - 1), 0), maxX = min(Int(max(a.x, b.x) + half + 1), width - 1)
                guard minY <= maxY, minX <= maxX else { continue }
                for y in minY...maxY {
                    for x in minX...maxX where coverage[y * width + x] < 1 {
                        let d = distance(from: (Double(x) + 0.5, Double(y) + 0.5), toSegment: (a.x, a.y), (b.x, b.y))
                        coverage[y * width + x] = max(coverage[y * width + x], min(max(half + 0.5 - d, 0), 1))
                    }
                }
            }
        }
        return coverage
    }

    /// Euclidean distance from `p` to the segment `a`-`b` (scalar maths: fast in debug builds too).
    static func distance(from p: (x: Double, y: Double), toSegment a: (x: Double, y: Double),
                         _ b: (x: Double, y: Double)) -> Double {
        let (abx, aby) = (b.x - a.x, b.y - a.y)
        let lengthSquared = abx * abx + aby * aby
        let t = lengthSquared > 0 ? min(max(((p.x - a.x) * abx + (p.y - a.y) * aby) / lengthSquared, 0), 1) : 0
        let (dx, dy) = (p.x - (a.x + t * abx), p.y - (a.y + t * aby))
        return (dx * dx + dy * dy).squareRoot()
    }
}

extension SyntheticPicture {
    /// An MNIST-style 28x28 test digit: `shape` drawn white on black, its box 20 px on the longer
    /// side including the pen, shifted by whole pixels so its centre of mass is nearest (14, 14).
    static func mnistStyle(_ shape: [[SIMD2<Double>]], penWidth: Double = 2.4) -> GrayImage {
        let picture = SyntheticPicture(width: 28, height: 28, paper: 0, ink: 255)
        let drawn = picture.draw(shape, origin: SIMD2(4 + penWidth / 2, 4 + penWidth / 2),
                                 size: 20 - penWidth, penWidth: penWidth)
        let centre = InkMeasure.centreOfMass(drawn)
        return InkMeasure.shifted(drawn, rows: 14 - Int(centre.row.rounded()), columns: 14 - Int(centre.column.rounded()))
    }
}

/// Measures of white-on-black digit images, for checking preprocessing results.
enum InkMeasure {
    /// Intensity-weighted centre of mass (row, column), 0-indexed; NaN for a black image.
    static func centreOfMass(_ image: GrayImage) -> (row: Double, column: Double) {
        var mass = 0.0, rows = 0.0, columns = 0.0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let v = Double(image[x, y])
                mass += v
                rows += v * Double(y)
                columns += v * Double(x)
            }
        }
        return mass > 0 ? (rows / mass, columns / mass) : (.nan, .nan)
    }

    /// `image` moved by whole pixels (down, right), vacated pixels 0.
    static func shifted(_ image: GrayImage, rows: Int, columns: Int) -> GrayImage {
        var result = GrayImage(width: image.width, height: image.height, filledWith: 0)
        for y in 0..<image.height where (0..<image.height).contains(y + rows) {
            for x in 0..<image.width where (0..<image.width).contains(x + columns) {
                result[x + columns, y + rows] = image[x, y]
            }
        }
        return result
    }

    /// Width and height of the bounding box of pixels above 0.
    static func inkBox(_ image: GrayImage) -> (width: Int, height: Int) {
        var minX = image.width, minY = image.height, maxX = -1, maxY = -1
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] > 0 {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        return maxX < 0 ? (0, 0) : (maxX - minX + 1, maxY - minY + 1)
    }

    /// Sum of intensities / 255 (MNIST: about 102 per digit).
    static func inkAmount(_ image: GrayImage) -> Double {
        image.pixels.reduce(0.0) { $0 + Double($1) } / 255
    }

    /// Pixels above 127 (MNIST: about 103 per digit).
    static func strongPixels(_ image: GrayImage) -> Int {
        image.pixels.filter { $0 > 127 }.count
    }

    /// Mean absolute difference per pixel, in gray levels, of two same-sized images.
    static func meanAbsoluteDifference(_ a: GrayImage, _ b: GrayImage) -> Double {
        zip(a.pixels, b.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.pixels.count)
    }

    /// `a` moved by the whole-pixel shift (up to `maximumShift` each way) that best matches `b`
    /// (least mean absolute difference). Comparisons use it to forgive a centring that rounds the
    /// other way when a centre of mass is near a half pixel, as a symmetric digit's often is.
    static func aligned(_ a: GrayImage, to b: GrayImage, maximumShift: Int = 1) -> GrayImage {
        var best = a
        var bestDifference = meanAbsoluteDifference(a, b)
        for rows in -maximumShift...maximumShift {
            for columns in -maximumShift...maximumShift {
                let moved = shifted(a, rows: rows, columns: columns)
                let difference = meanAbsoluteDifference(moved, b)
                if difference < bestDifference { (best, bestDifference) = (moved, difference) }
            }
        }
        return best
    }

    /// Intersection over union of the pixels above 127 in two same-sized images (1 if both have none).
    static func strongInkIoU(_ a: GrayImage, _ b: GrayImage) -> Double {
        var both = 0, either = 0
        for (p, q) in zip(a.pixels, b.pixels) {
            if p > 127 && q > 127 { both += 1 }
            if p > 127 || q > 127 { either += 1 }
        }
        return either > 0 ? Double(both) / Double(either) : 1
    }
}
