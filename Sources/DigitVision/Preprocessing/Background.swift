
extension DigitPreprocessor {
    /// A smooth lighting model of the paper or board:
    /// `b = c0 + c1·u + c2·v + c3·u² + c4·u·v + c5·v²`, with `u`, `v` the pixel coordinates mapped
    /// to [-1, 1] across the picture. A quadratic follows gradients and vignetting, but is too stiff
    /// to bend into strokes, which is why it never eats thick ink (a local median filter would).
    struct BackgroundSurface {
        var width: Int
        var height: Int
        var coefficients: [Double]

        /// A flat background at `level`.
        init(width: Int, height: Int, level: Double) {
            self.width = width
            self.height = height
            coefficients = [level, 0, 0, 0, 0, 0]
        }

        /// The six basis functions at pixel `(x, y)` (the last two lanes are 0).
        func basis(x: Int, y: Int) -> SIMD8<Double> {
            let u = Self.normalised(x, length: width)
            let v = Self.normalised(y, length: height)
            return SIMD8(1, u, v, u * u, u * v, v * v, 0, 0)
        }

        /// The coefficients in the lanes matching `basis(x:y:)`: the surface's value there is
        /// `(vector * basis).sum()`.
        var vector: SIMD8<Double> {
            SIMD8(coefficients[0], coefficients[1], coefficients[2], coefficients[3],
                  coefficients[4], coefficients[5], 0, 0)
        }

        /// `image - surface` for every pixel: positive where the picture is brighter than its background.
        func residuals(of image: Plane<Float>) -> Plane<Float> {
            let c = coefficients.map { Float($0) }
            var result = [Float](repeating: 0, count: image.values.count)
            let us = (0..<width).map { Float(Self.normalised($0, length: width)) }
            for y in 0..<height {
                let v = Float(Self.normalised(y, length: height))
                // Per row the surface is a quadratic in u: a + b·u + c3·u².
                let a = c[0] + c[2] * v + c[5] * v * v
                let b = c[1] + c[4] * v
                let row = y * width
                for x in 0..<width {
                    let u = us[x]
                    result[row + x] = image.values[row + x] - (a + (b + c[3] * u) * u)
                }
            }
            return Plane(width: width, height: height, values: result)
        }

        /// Maps `0..<length` to [-1, 1]; a single pixel maps to 0.
        static func normalised(_ i: Int, length: Int) -> Double {
            length > 1 ? 2 * Double(i) / Double(length - 1) - 1 : 0
        }
    }

    /// Fits the background surface to the pixels that are not ink, without knowing the ink's polarity.
    ///
    /// Starts flat at the level of the paper on the picture's border (`paperPixels`: what a digit
    /// is drawn on, even where a tight crop's strokes cover much of the border), then refits by least squares to the
    /// pixels within a band of the current surface, the band being 2.5 noise deviations but at least
    /// `minimumBand` gray levels: ink of either polarity lies outside it and drops out. The fit
    /// uses a regular subsample of at most about 16k pixels, plenty for six coefficients. Returns
    /// the surface and the robust standard deviation (gray levels) of the background around it.
    static func fitBackground(_ image: Plane<Float>, paper side: PaperSide? = nil, minimumContrast: Float = 12,
                              minimumBand: Float = 4) -> (surface: BackgroundSurface, noise: Float) {
        let paper = paperPixels(image, side: side, minimumContrast: minimumContrast).pixels
        var surface = BackgroundSurface(width: image.width, height: image.height, level: Double(median(of: paper)))
        var noise = robustDeviation(paper)
        let step = max(1, Int((Double(image.values.count) / 16_384).squareRoot()))
        var bases: [SIMD8<Double>] = []
        var values: [Double] = []
        for y in stride(from: 0, to: image.height, by: step) {
            for x in stride(from: 0, to: image.width, by: step) {
                bases.append(surface.basis(x: x, y: y))
                values.append(Double(image[x, y]))
            }
        }
        var backgroundResiduals: [Float] = []
        for _ in 0..<4 {
            let band = Double(max(2.5 * noise, minimumBand))
            let (normal, right, inliers) = normalEquations(bases, values, around: surface.vector, within: band)
            guard inliers >= 6 else { break }
            surface.coefficients = solveRidge(normal, right, size: 6)
            let fitted = surface.vector
            backgroundResiduals.removeAll(keepingCapacity: true)
            for (basis, value) in zip(bases, values) {
                let residual = abs(value - (fitted * basis).sum())
                if residual <= band { backgroundResiduals.append(Float(residual)) }
            }
            noise = 1.4826 * quantile(0.5, of: backgroundResiduals, range: 0...256, binsPerLevel: 8)
        }
        return (surface, noise)
    }

    /// The border pixels that show the paper. Usually the whole border is paper, crossed by a
    /// stroke or two; in a tight crop (a digit cut out to its ink, a form's box) strokes cover
    /// much of it, and a border median would take ink for paper and invert the digit. So when
    /// Otsu's threshold splits the border into levels at least `2 · minimumContrast` apart, the
    /// paper is the light side when it holds three quarters of the border; else the dark side (a
    /// board, a table, a bitmap stored light on dark) when it holds three quarters and the
    /// light side does not reach all four edges; else, when the border cannot tell (a tight
    /// crop of a bold digit or of a one, nearly all ink, with paper left in every corner),
    /// the light side: dark ink on light paper is how digits are written, but such a picture
    /// is `ambiguous`. `side` chooses the side instead, where the border has two.
    static func paperPixels(_ image: Plane<Float>, side: PaperSide? = nil,
                            minimumContrast: Float = 12) -> (pixels: [Float], ambiguous: Bool) {
        let border = borderPixels(image)
        let threshold = otsuThreshold(border)
        let dark = border.filter { $0 < threshold }, light = border.filter { $0 >= threshold }
        guard !dark.isEmpty, !light.isEmpty, median(of: light) - median(of: dark) >= 2 * minimumContrast else {
            return (border, false)
        }
        if let side { return (side == .light ? light : dark, false) }
        if 4 * light.count >= 3 * border.count { return (light, false) }
        if 4 * dark.count >= 3 * border.count && !reachesEveryEdge(image, above: threshold) { return (dark, false) }
        return (light, true)
    }

    /// Which side of a picture's gray levels is the paper.
    enum PaperSide {
        case light
        case dark
    }

    /// Whether more than 2% of each of the four outermost rows and columns is at `level` or above.
    static func reachesEveryEdge(_ image: Plane<Float>, above level: Float) -> Bool {
        let (w, h) = (image.width, image.height)
        let edges = [(0..<w).map { image[$0, 0] }, (0..<w).map { image[$0, h - 1] },
                     (0..<h).map { image[0, $0] }, (0..<h).map { image[w - 1, $0] }]
        return edges.allSatisfy { edge in 50 * edge.filter { $0 >= level }.count > edge.count }
    }

    /// The least-squares normal equations `(Σ b bᵀ) c = Σ value · b` (row-major 6 x 6, and the
    /// right-hand side) over the samples whose value lies within `band` of the surface
    /// `coefficients · b`, and how many those are.
    ///
    /// Each entry is the sum, in sample order, of the products `b[i] · b[j]`, so the matrix is
    /// exactly symmetric: only its upper triangle is summed, in pairs of columns (one SSE2
    /// register each, as DigitKit is built for the baseline instruction set), and mirrored.
    static func normalEquations(_ bases: [SIMD8<Double>], _ values: [Double], around coefficients: SIMD8<Double>,
                                within band: Double) -> (matrix: [Double], right: [Double], inliers: Int) {
        typealias Pair = SIMD2<Double>
        // Row r, columns (0, 1), (2, 3), (4, 5): rows 0-1 all three, rows 2-3 the last two, rows 4-5 the last.
        var r0a = Pair(), r0b = Pair(), r0c = Pair(), r1a = Pair(), r1b = Pair(), r1c = Pair()
        var r2b = Pair(), r2c = Pair(), r3b = Pair(), r3c = Pair(), r4c = Pair(), r5c = Pair()
        var ra = Pair(), rb = Pair(), rc = Pair()
        var inliers = 0
        for (basis, value) in zip(bases, values) where abs(value - (coefficients * basis).sum()) <= band {
            let p01 = Pair(basis[0], basis[1]), p23 = Pair(basis[2], basis[3]), p45 = Pair(basis[4], basis[5])
            r0a += basis[0] * p01; r0b += basis[0] * p23; r0c += basis[0] * p45
            r1a += basis[1] * p01; r1b += basis[1] * p23; r1c += basis[1] * p45
            r2b += basis[2] * p23; r2c += basis[2] * p45
            r3b += basis[3] * p23; r3c += basis[3] * p45
            r4c += basis[4] * p45
            r5c += basis[5] * p45
            ra += value * p01; rb += value * p23; rc += value * p45
            inliers += 1
        }
        var matrix = [Double](repeating: 0, count: 36)
        let upper: [(row: Int, column: Int, pair: Pair)] = [
            (0, 0, r0a), (0, 2, r0b), (0, 4, r0c), (1, 0, r1a), (1, 2, r1b), (1, 4, r1c),
            (2, 2, r2b), (2, 4, r2c), (3, 2, r3b), (3, 4, r3c), (4, 4, r4c), (5, 4, r5c),
        ]
        for (row, column, pair) in upper {
            for lane in 0..<2 where column + lane >= row {
                matrix[row * 6 + column + lane] = pair[lane]
                matrix[(column + lane) * 6 + row] = pair[lane]
            }
        }
        return (matrix, [ra[0], ra[1], rb[0], rb[1], rc[0], rc[1]], inliers)
    }

    /// The pixels of the picture's outer ring, 2% of its shorter side wide (at least 1 px).
    static func borderPixels(_ image: Plane<Float>) -> [Float] {
        let ring = max(1, min(image.width, image.height) / 50)
        var pixels: [Float] = []
        for y in 0..<image.height {
            let row = y * image.width
            if y < ring || y >= image.height - ring {
                pixels.append(contentsOf: image.values[row..<(row + image.width)])
            } else {
                for x in 0..<image.width where x < ring || x >= image.width - ring { pixels.append(image.values[row + x]) }
            }
        }
        return pixels
    }

    /// Solves `(A + λI) x = b` for a symmetric positive semi-definite `size` x `size` matrix `A`
    /// (row-major) by Gaussian elimination. The small ridge `λ` zeroes the coefficients of basis
    /// functions that are constant on the picture (e.g. `v` in a one-pixel-high image).
    static func solveRidge(_ matrix: [Double], _ vector: [Double], size n: Int) -> [Double] {
        var a = matrix
        var b = vector
        let trace = (0..<n).reduce(0.0) { $0 + a[$1 * n + $1] }
        let ridge = max(trace, 1) * 1e-9
        for i in 0..<n { a[i * n + i] += ridge }
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0 * n + column]) < abs(a[$1 * n + column]) }!
            if pivot != column {
                for k in 0..<n { a.swapAt(column * n + k, pivot * n + k) }
                b.swapAt(column, pivot)
            }
            let diagonal = a[column * n + column]
            for row in (column + 1)..<n {
                let factor = a[row * n + column] / diagonal
                guard factor != 0 else { continue }
                for k in column..<n { a[row * n + k] -= factor * a[column * n + k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<n { sum -= a[row * n + k] * x[k] }
            x[row] = sum / a[row * n + row]
        }
        return x
    }

    /// Which way the ink departs from the background.
    enum InkPolarity: Equatable {
        /// Dark pen or pencil on lighter paper: must be inverted.
        case darkOnLight
        /// Chalk on a board, or MNIST itself: already white on black.
        case lightOnDark
    }

    /// Decides the ink's polarity from the picture itself: the side of the background whose tail
    /// (residuals beyond 3 noise deviations, and beyond `minimumContrast / 2`) carries more
    /// contrast × pixels. Background texture is symmetric; ink, rule lines and shadows all lie on
    /// one side. Returns nil when neither side has any such pixel (a blank or uniform picture).
    static func inkPolarity(residuals: Plane<Float>, noise: Float, minimumContrast: Float) -> InkPolarity? {
        let tail = max(3 * noise, minimumContrast / 2)
        var darkMass: Float = 0
        var lightMass: Float = 0
        for r in residuals.values {
            if r > tail { lightMass += r - tail } else if r < -tail { darkMass += -r - tail }
        }
        if darkMass == 0 && lightMass == 0 { return nil }
        return darkMass > lightMass ? .darkOnLight : .lightOnDark
    }

    /// The ink strength: how far each pixel departs from the background towards the ink, in gray
    /// levels, 0 for pixels on the background side.
    static func inkStrength(residuals: Plane<Float>, polarity: InkPolarity) -> Plane<Float> {
        let sign: Float = polarity == .darkOnLight ? -1 : 1
        return Plane(width: residuals.width, height: residuals.height,
                     values: residuals.values.map { max(sign * $0, 0) })
    }
}
