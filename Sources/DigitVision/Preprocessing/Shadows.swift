
extension DigitPreprocessor {
    /// `picture` with a shadow cast across the paper lifted, or `picture` itself when it shows none.
    ///
    /// The background surface is a quadratic, stiff on purpose so it never bends into thick ink;
    /// but a phone's or a hand's shadow across the page is a step in the lighting, which no
    /// quadratic follows: the shadowed part then stands out from the fitted paper as one huge
    /// dark "stroke", and the digit it crosses merges into it. So the paper's own brightness is
    /// estimated first (`paperEnvelope`: a gray-level closing wider than any pen stroke, which
    /// keeps the paper and the shadow's edge and drops the ink) and, when it holds a shadow, the
    /// picture is divided by it: light falls on paper and ink alike, so the ratio is the page as
    /// evenly lit. A shadow here is a region of the envelope that
    /// - departs from the best quadratic through the envelope by more than 15% of the paper level
    ///   over at least 5% of the picture (what the background fit cannot follow),
    /// - is darker than 75% of the paper level over at least 10% of the picture,
    /// - keeps at least 30% of the light (deeper than that is a board, or ink too bold for the
    ///   closing, not a shadow on paper),
    /// - is broad, and so is the lit paper beside it: each holds squares as wide as the closing over
    ///   at least 5% (shadow) and 15% (paper) of the picture, so chalk strokes on a board (thin light
    ///   lines the closing keeps) or a digit drawn in gray blocks are never taken for lit paper or
    ///   for a shadow, and
    /// - is paper once lifted: its texture at most 2.5x as strong as the lit paper's plus 2 gray
    ///   levels (a dark grained table around a sheet is no shadow; it is left to `paperRegion`).
    ///
    /// Pictures under 128 px a side are left alone: too small for a photographed page, and their
    /// gray blocks are more likely a digit drawn in levels.
    static func shadowsLifted(_ picture: Plane<Float>) -> Plane<Float> {
        guard min(picture.width, picture.height) >= 128, let (envelope, radius) = paperEnvelope(picture)
        else { return picture }
        let paper = quantile(0.9, of: envelope.values, range: 0...256, binsPerLevel: 4)
        guard paper >= 24 else { return picture }

        let surface = quadraticFit(envelope)
        let departing = zip(envelope.values, surface).filter { abs($0 - $1) > 0.15 * paper }.count
        let shadowed = envelope.values.filter { $0 < 0.75 * paper }
        let count = Float(envelope.values.count)
        guard Float(departing) >= 0.05 * count, Float(shadowed.count) >= 0.1 * count,
              median(of: shadowed) >= 0.3 * paper else { return picture }
        let broadLit = filtered(envelope, radius: radius, by: min).values.filter { $0 >= 0.75 * paper }.count
        let broadShadow = filtered(envelope, radius: radius, by: max).values.filter { $0 < 0.75 * paper }.count
        guard Float(broadLit) >= 0.15 * count, Float(broadShadow) >= 0.05 * count else { return picture }

        let light = upsampled(envelope, width: picture.width, height: picture.height)
        var lifted = picture
        var shadowTexture: [Float] = [], litTexture: [Float] = []
        for i in picture.values.indices {
            let level = max(light.values[i], 1)
            lifted.values[i] = min(255, picture.values[i] / level * paper)
            // A sparse sample of each side is plenty for a robust deviation.
            guard i % 7 == 0 else { continue }
            if level < 0.75 * paper { shadowTexture.append(lifted.values[i]) } else { litTexture.append(lifted.values[i]) }
        }
        guard !shadowTexture.isEmpty, !litTexture.isEmpty,
              robustDeviation(shadowTexture) <= 2.5 * robustDeviation(litTexture) + 2 else { return picture }
        return lifted
    }

    /// The paper's brightness without the ink, on a coarse grid of at most 128 cells a side:
    /// each cell the brightest pixel of its block, then a closing (maximum, then a slightly wider
    /// minimum) over about an eighth of the picture's longer side. Dark strokes narrower than that
    /// vanish; a shadow's region and edge stay where they are. Returns the envelope and the
    /// closing's radius in cells; nil for a picture too small to hold a shadow and a stroke apart.
    static func paperEnvelope(_ picture: Plane<Float>) -> (envelope: Plane<Float>, radius: Int)? {
        let longer = max(picture.width, picture.height)
        let block = max(1, (longer + 127) / 128)
        let width = (picture.width + block - 1) / block, height = (picture.height + block - 1) / block
        var coarse = Plane(width: width, height: height, repeating: Float(0))
        for y in 0..<picture.height {
            for x in 0..<picture.width {
                coarse[x / block, y / block] = max(coarse[x / block, y / block], picture[x, y])
            }
        }
        let radius = max(2, (longer + 16 * block - 1) / (16 * block))
        guard radius < min(width, height) else { return nil }
        // The erosion one cell wider than the dilation undoes the blocks' own widening of the
        // lit side too, so no sliver of over-bright envelope lies in the shadow along its edge
        // (the lifted picture would show it as a dark line).
        return (filtered(filtered(coarse, radius: radius, by: max), radius: radius + 1, by: min), radius)
    }

    /// Each cell replaced by `combine` over the square of `radius` around it (clipped at the edges),
    /// computed as a row pass then a column pass.
    static func filtered(_ plane: Plane<Float>, radius: Int, by combine: (Float, Float) -> Float) -> Plane<Float> {
        var rows = plane
        for y in 0..<plane.height {
            for x in 0..<plane.width {
                var value = plane[x, y]
                for k in max(0, x - radius)...min(plane.width - 1, x + radius) { value = combine(value, plane[k, y]) }
                rows[x, y] = value
            }
        }
        var result = rows
        for y in 0..<plane.height {
            for x in 0..<plane.width {
                var value = rows[x, y]
                for k in max(0, y - radius)...min(plane.height - 1, y + radius) { value = combine(value, rows[x, k]) }
                result[x, y] = value
            }
        }
        return result
    }

    /// The least-squares quadratic surface through every cell of `plane`, at every cell.
    static func quadraticFit(_ plane: Plane<Float>) -> [Float] {
        let surface = BackgroundSurface(width: plane.width, height: plane.height, level: 0)
        var bases: [SIMD8<Double>] = []
        for y in 0..<plane.height {
            for x in 0..<plane.width { bases.append(surface.basis(x: x, y: y)) }
        }
        let (matrix, right, _) = normalEquations(bases, plane.values.map(Double.init), around: surface.vector,
                                                 within: .infinity)
        let coefficients = SIMD8(solveRidge(matrix, right, size: 6) + [0, 0])
        return bases.map { Float(($0 * coefficients).sum()) }
    }

    /// The coarse `plane` interpolated bilinearly to `width` x `height`, cell centres aligned.
    static func upsampled(_ plane: Plane<Float>, width: Int, height: Int) -> Plane<Float> {
        let scaleX = Double(plane.width) / Double(width), scaleY = Double(plane.height) / Double(height)
        var result = Plane(width: width, height: height, repeating: Float(0))
        for y in 0..<height {
            let v = min(max((Double(y) + 0.5) * scaleY - 0.5, 0), Double(plane.height - 1))
            let y0 = Int(v), y1 = min(y0 + 1, plane.height - 1), fy = Float(v - Double(y0))
            for x in 0..<width {
                let u = min(max((Double(x) + 0.5) * scaleX - 0.5, 0), Double(plane.width - 1))
                let x0 = Int(u), x1 = min(x0 + 1, plane.width - 1), fx = Float(u - Double(x0))
                let top = plane[x0, y0] * (1 - fx) + plane[x1, y0] * fx
                let bottom = plane[x0, y1] * (1 - fx) + plane[x1, y1] * fx
                result[x, y] = top * (1 - fy) + bottom * fy
            }
        }
        return result
    }
}
