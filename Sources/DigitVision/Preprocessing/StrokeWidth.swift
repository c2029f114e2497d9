
extension DigitPreprocessor {
    /// Squared Euclidean distance (px²) from every pixel's centre to the nearest pixel whose mask
    /// value is `target` (Felzenszwalb & Huttenlocher, linear time: a 1-D transform down every
    /// column, then along every row). Planes without such a pixel get a huge value everywhere.
    static func squaredDistanceTransform(_ mask: Plane<UInt8>, to target: UInt8) -> Plane<Float> {
        let width = mask.width
        let height = mask.height
        var distance = mask.values.map { $0 == target ? Float(0) : 1e20 }
        let longest = max(width, height)
        let line = UnsafeMutableBufferPointer<Float>.allocate(capacity: longest)
        let transformed = UnsafeMutableBufferPointer<Float>.allocate(capacity: longest)
        let sites = UnsafeMutableBufferPointer<Int>.allocate(capacity: longest)
        let boundaries = UnsafeMutableBufferPointer<Float>.allocate(capacity: longest + 1)
        defer {
            line.deallocate()
            transformed.deallocate()
            sites.deallocate()
            boundaries.deallocate()
        }
        for x in 0..<width {
            for y in 0..<height { line[y] = distance[y * width + x] }
            squaredDistanceTransform(line, into: transformed, count: height, sites: sites, boundaries: boundaries)
            for y in 0..<height { distance[y * width + x] = transformed[y] }
        }
        for y in 0..<height {
            for x in 0..<width { line[x] = distance[y * width + x] }
            squaredDistanceTransform(line, into: transformed, count: width, sites: sites, boundaries: boundaries)
            for x in 0..<width { distance[y * width + x] = transformed[x] }
        }
        return Plane(width: width, height: height, values: distance)
    }

    /// The 1-D transform: `output[q] = min over p of (q - p)² + f[p]` for `q < count`, via the
    /// lower envelope of the parabolas rooted at each sample. `sites` and `boundaries` are scratch
    /// space for `count` and `count + 1` values.
    static func squaredDistanceTransform(_ f: UnsafeMutableBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
                                         count: Int, sites: UnsafeMutableBufferPointer<Int>,
                                         boundaries: UnsafeMutableBufferPointer<Float>) {
        guard count > 0 else { return }
        // The envelope's parabolas (`sites[0...k]`) and where each takes over (`boundaries`).
        var k = 0
        sites[0] = 0
        boundaries[0] = -.infinity
        boundaries[1] = .infinity
        for q in 1..<count {
            var crossing: Float
            repeat {
                let p = sites[k]
                crossing = ((f[q] + Float(q * q)) - (f[p] + Float(p * p))) / Float(2 * (q - p))
                if crossing <= boundaries[k] { k -= 1 } else { break }
            } while k >= 0
            k += 1
            sites[k] = q
            boundaries[k] = crossing
            boundaries[k + 1] = .infinity
        }
        k = 0
        for q in 0..<count {
            while boundaries[k + 1] < Float(q) { k += 1 }
            let p = sites[k]
            output[q] = Float((q - p) * (q - p)) + f[p]
        }
    }

    /// The mean stroke width (px) of the ink in `mask`, from the distances of ink pixels to the
    /// background (`insideSquared`, from `squaredDistanceTransform(mask, to: 0)`): across a band of
    /// width w, the distance to its edge (centre distance - 0.5) averages w / 4. 0 if there is no ink.
    static func meanStrokeWidth(mask: Plane<UInt8>, insideSquared: Plane<Float>) -> Float {
        var sum: Double = 0
        var count = 0
        for (m, d) in zip(mask.values, insideSquared.values) where m == 1 {
            sum += Double(d.squareRoot()) - 0.5
            count += 1
        }
        return count > 0 ? Float(4 * sum / Double(count)) : 0
    }

    /// How far (px, negative = inwards) to move every stroke edge so the digit's strokes end up
    /// between `widths.lowerBound` and `widths.upperBound` output pixels wide once its box's longer
    /// side, `boxSide` px now, is scaled to `boxSideOut` px. Moving edges by δ makes strokes
    /// `w + 2δ` wide and the box `boxSide + 2δ` long. Strokes already in range are left alone;
    /// thinning is limited to a quarter of the width so thin parts of a thick drawing survive.
    static func strokeEdgeOffset(meanWidth w: Float, boxSide: Float, boxSideOut: Float,
                                 widths: ClosedRange<Float>) -> Float {
        guard w > 0, boxSide > 0 else { return 0 }
        let current = boxSideOut * w / boxSide
        let target = min(max(current, widths.lowerBound), widths.upperBound)
        // A stroke as wide as the box has no meaningful offset.
        guard target != current, target < boxSideOut else { return 0 }
        // Solve boxSideOut · (w + 2δ) / (boxSide + 2δ) = target for δ.
        let offset = (target * boxSide / boxSideOut - w) / (2 * (1 - target / boxSideOut))
        return max(offset, -w / 4)
    }

    /// The strongest of `offset` (< 0: thinning), half of it and none that keeps the digit whole:
    /// uniform thinning erases strokes thinner than twice the offset, such as the hairline tail of
    /// a bold 9, so a thinning must leave as many pieces as before and move no side of the bounding
    /// box inwards by more than the offset (+1 px).
    static func safeThinning(mask: Plane<UInt8>, insideSquared: Plane<Float>, offset: Float) -> Float {
        guard offset < 0, let box = inkedBox(mask) else { return max(offset, 0) }
        let pieces = labelComponents(mask: mask).components.count
        for candidate in [offset, offset / 2] {
            // A pixel stays ink if its centre is more than |offset| inside the original edge.
            let limit = (0.5 - candidate) * (0.5 - candidate)
            let thinned = Plane(width: mask.width, height: mask.height,
                                values: zip(mask.values, insideSquared.values).map { $0 == 1 && $1 > limit ? UInt8(1) : 0 })
            guard let thinnedBox = inkedBox(thinned) else { continue }
            let allowance = Int((-candidate).rounded(.up)) + 1
            let keepsExtent = thinnedBox.x - box.x <= allowance && box.lastX - thinnedBox.lastX <= allowance
                && thinnedBox.y - box.y <= allowance && box.lastY - thinnedBox.lastY <= allowance
            if keepsExtent && labelComponents(mask: thinned).components.count == pieces {
                return candidate
            }
        }
        return 0
    }

    /// Renders a binary mask as anti-aliased coverage (0...1) with every edge moved outwards by
    /// `offset` px (inwards if negative): the coverage of a pixel is its signed distance to the
    /// moved edge, clamped, so a fractional offset gives grey edge pixels. `insideSquared` and
    /// `outsideSquared` are squared distances to the nearest background and ink pixel; the latter
    /// is needed only to widen (`offset > 0`).
    static func strokeCoverage(mask: Plane<UInt8>, insideSquared: Plane<Float>, outsideSquared: Plane<Float>?,
                               offset: Float) -> Plane<Float> {
        var coverage = [Float](repeating: 0, count: mask.values.count)
        for i in coverage.indices {
            let signedDistance: Float
            if mask.values[i] == 1 {
                signedDistance = insideSquared.values[i].squareRoot() - 0.5
            } else if let outsideSquared {
                signedDistance = 0.5 - outsideSquared.values[i].squareRoot()
            } else {
                continue
            }
            coverage[i] = min(max(signedDistance + offset + 0.5, 0), 1)
        }
        return Plane(width: mask.width, height: mask.height, values: coverage)
    }
}
