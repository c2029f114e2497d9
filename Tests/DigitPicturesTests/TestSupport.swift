import DigitImage
@testable import DigitPictures
import DigitPictures

/// A deterministic gray test image whose pixels differ from their neighbours, so a
/// misplaced or misscaled copy shows. `seed` varies the pattern.
func patternImage(width: Int = 28, height: Int = 28, seed: Int = 0) -> GrayImage {
    var pixels = [UInt8](repeating: 0, count: width * height)
    for y in 0..<height {
        for x in 0..<width {
            pixels[y * width + x] = UInt8((x * 37 + y * 91 + seed * 53 + x * y) % 256)
        }
    }
    return GrayImage(width: width, height: height, pixels: pixels)
}

/// Positions in `rect` whose colour differs from `background`.
func inkPositions(_ image: RGBImage, in rect: PixelRect, background: RGB = .white) -> [PixelPoint] {
    var found: [PixelPoint] = []
    let r = rect.intersection(PixelRect(x: 0, y: 0, width: image.width, height: image.height))
    guard !r.isEmpty else { return [] }
    for y in r.y..<r.maxY {
        for x in r.x..<r.maxX where image[x, y] != background {
            found.append(PixelPoint(x: x, y: y))
        }
    }
    return found
}

/// Every pixel of `image` that is not `background` and lies outside all of `allowed`.
func strayInk(_ image: RGBImage, allowed: [PixelRect], background: RGB = .white) -> [PixelPoint] {
    var stray: [PixelPoint] = []
    for y in 0..<image.height {
        for x in 0..<image.width where image[x, y] != background {
            if !allowed.contains(where: { $0.contains(x: x, y: y) }) { stray.append(PixelPoint(x: x, y: y)) }
        }
    }
    return stray
}

/// Number of pixels of exactly `colour` in `image`.
func count(_ colour: RGB, in image: RGBImage) -> Int {
    var n = 0
    for i in 0..<(image.width * image.height)
    where image.pixels[3 * i] == colour.r && image.pixels[3 * i + 1] == colour.g && image.pixels[3 * i + 2] == colour.b {
        n += 1
    }
    return n
}

/// The smallest rectangle holding all `points` (nil when there are none).
func boundingBox(_ points: [PixelPoint]) -> PixelRect? {
    guard let first = points.first else { return nil }
    var x0 = first.x, y0 = first.y, x1 = first.x, y1 = first.y
    for p in points {
        x0 = min(x0, p.x); y0 = min(y0, p.y); x1 = max(x1, p.x); y1 = max(y1, p.y)
    }
    return PixelRect(x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1)
}
