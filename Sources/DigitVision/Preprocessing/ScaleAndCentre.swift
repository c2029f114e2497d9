import DigitImage

extension DigitPreprocessor {
    /// Area-averages the inked part of `coverage` (values 0...1) so its bounding box's longer side
    /// becomes `boxSide` px, keeping the aspect ratio; the box starts on a pixel boundary, so the
    /// longer side covers exactly `boxSide` pixels as in MNIST. Returns nil if nothing is inked.
    static func scaledToBox(_ coverage: Plane<Float>, boxSide: Int) -> Plane<Float>? {
        var box: PixelRect?
        for y in 0..<coverage.height {
            for x in 0..<coverage.width where coverage[x, y] > 0 {
                let pixel = PixelRect(x: x, y: y, lastX: x, lastY: y)
                box = box?.union(pixel) ?? pixel
            }
        }
        guard let box else { return nil }
        let scale = Double(boxSide) / Double(box.longerSide)
        // The tolerance keeps the longer side from spilling into a 21st pixel by rounding error.
        let width = min(Int((Double(box.width) * scale - 1e-6).rounded(.up)), boxSide)
        let height = min(Int((Double(box.height) * scale - 1e-6).rounded(.up)), boxSide)
        return areaResample(coverage, originX: Double(box.x), originY: Double(box.y),
                            scaleX: scale, scaleY: scale, width: max(width, 1), height: max(height, 1))
    }

    /// The intensity-weighted centre of mass of a `width` x `height` picture whose pixel (x, y)
    /// weighs `weight(x, y)` (>= 0), in pixels from the top-left one; nil when nothing weighs.
    static func centreOfMass(width: Int, height: Int, weight: (Int, Int) -> Double) -> (x: Double, y: Double)? {
        var mass: Double = 0
        var sumX: Double = 0
        var sumY: Double = 0
        for y in 0..<height {
            for x in 0..<width {
                let v = weight(x, y)
                mass += v
                sumX += v * Double(x)
                sumY += v * Double(y)
            }
        }
        return mass > 0 ? (sumX / mass, sumY / mass) : nil
    }

    /// Pastes `digit` into a `side` x `side` black plane, shifted by whole pixels so its
    /// intensity-weighted centre of mass lands within half a pixel of pixel `(centre, centre)`
    /// (0-indexed row and column), as MNIST did. An integer shift keeps the strokes sharp where an
    /// interpolated one would blur them. Pixels shifted past the edge are dropped.
    static func centredByMass(_ digit: Plane<Float>, side: Int, centre: Int) -> Plane<Float> {
        let mass = centreOfMass(width: digit.width, height: digit.height) { Double(digit[$0, $1]) }
        let shiftX = mass.map { Int((Double(centre) - $0.x).rounded()) } ?? (side - digit.width) / 2
        let shiftY = mass.map { Int((Double(centre) - $0.y).rounded()) } ?? (side - digit.height) / 2
        var placed = Plane<Float>(width: side, height: side, repeating: 0)
        for y in 0..<digit.height where (0..<side).contains(y + shiftY) {
            for x in 0..<digit.width where (0..<side).contains(x + shiftX) {
                placed[x + shiftX, y + shiftY] = digit[x, y]
            }
        }
        return placed
    }

    /// Coverage 0...1 as whole gray levels 0...255 (0 background, 255 full ink), the values the
    /// output will hold, so centring by mass sees exactly what the network will.
    static func grayLevels(fromCoverage coverage: Plane<Float>) -> Plane<Float> {
        Plane(width: coverage.width, height: coverage.height,
              values: coverage.values.map { (min(max($0, 0), 1) * 255).rounded() })
    }
}
