
extension DigitPreprocessor {
    /// One destination pixel's source span along an axis: `weights[k]` belongs to source index `first + k`.
    struct AreaTaps {
        var first: [Int]
        /// `weights[offsets[j]..<offsets[j + 1]]` are destination pixel `j`'s weights.
        var offsets: [Int]
        var weights: [Float]

        /// Taps for `count` destination pixels, pixel `j` covering source coordinates
        /// `[origin + j / scale, origin + (j + 1) / scale)`, `scale` destination pixels per source
        /// pixel. Weights are overlap length × `scale`, so a fully covered pixel's weights sum to 1;
        /// source indices outside `0..<sourceLength` are left out (they count as 0).
        init(origin: Double, scale: Double, count: Int, sourceLength: Int) {
            first = []
            offsets = [0]
            weights = []
            first.reserveCapacity(count)
            offsets.reserveCapacity(count + 1)
            for j in 0..<count {
                let low = origin + Double(j) / scale
                let high = origin + Double(j + 1) / scale
                let start = max(Int(low.rounded(.down)), 0)
                let end = min(Int(high.rounded(.up)), sourceLength)
                first.append(start)
                if start < end {
                    for s in start..<end {
                        let overlap = min(high, Double(s + 1)) - max(low, Double(s))
                        weights.append(Float(max(overlap, 0) * scale))
                    }
                }
                offsets.append(weights.count)
            }
        }

        /// The source indices any destination pixel reads (an empty range if none).
        var sourceRange: Range<Int> {
            var low = Int.max
            var high = Int.min
            for j in 0..<first.count where offsets[j + 1] > offsets[j] {
                low = min(low, first[j])
                high = max(high, first[j] + offsets[j + 1] - offsets[j])
            }
            return low < high ? low..<high : 0..<0
        }
    }

    /// Box-filters (area-averages) `source` into a `width` x `height` plane.
    ///
    /// Destination pixel `(j, i)` is the mean of the source over
    /// `x ∈ [originX + j / scaleX, originX + (j + 1) / scaleX)` and likewise in y, with the source
    /// counting as 0 outside its bounds. Scales are destination pixels per source pixel and meant
    /// to be ≤ 1: every source pixel contributes in proportion to its overlap, so thin strokes
    /// become fainter but never vanish (unlike nearest-neighbour sampling).
    static func areaResample<Sample: PreprocessingSample>(
        _ source: Plane<Sample>, originX: Double, originY: Double,
        scaleX: Double, scaleY: Double, width: Int, height: Int
    ) -> Plane<Float> {
        let columns = AreaTaps(origin: originX, scale: scaleX, count: width, sourceLength: source.width)
        let rows = AreaTaps(origin: originY, scale: scaleY, count: height, sourceLength: source.height)
        let columnRange = columns.sourceRange
        let span = columnRange.count
        // Vertical pass first: it reads whole source rows contiguously (vectorisable), so the
        // horizontal pass then only walks the already reduced rows.
        var vertical = [Float](repeating: 0, count: height * span)
        source.values.withUnsafeBufferPointer { src in
            vertical.withUnsafeMutableBufferPointer { dst in
                for i in 0..<height {
                    var y = rows.first[i]
                    let to = dst.baseAddress! + i * span
                    for k in rows.offsets[i]..<rows.offsets[i + 1] {
                        let weight = rows.weights[k]
                        let from = src.baseAddress! + y * source.width + columnRange.lowerBound
                        for c in 0..<span { to[c] += weight * from[c].floatValue }
                        y += 1
                    }
                }
            }
        }
        var result = [Float](repeating: 0, count: width * height)
        vertical.withUnsafeBufferPointer { src in
            columns.first.withUnsafeBufferPointer { first in
                columns.offsets.withUnsafeBufferPointer { offsets in
                    columns.weights.withUnsafeBufferPointer { weights in
                        result.withUnsafeMutableBufferPointer { dst in
                            for i in 0..<height {
                                let row = src.baseAddress! + i * span - columnRange.lowerBound
                                for j in 0..<width {
                                    var sum: Float = 0
                                    let start = first[j] - offsets[j]
                                    for k in offsets[j]..<offsets[j + 1] { sum += weights[k] * row[start + k] }
                                    dst[i * width + j] = sum
                                }
                            }
                        }
                    }
                }
            }
        }
        return Plane(width: width, height: height, values: result)
    }

    /// Samples `source` bilinearly on a `width` x `height` grid, `scale` grid pixels per source pixel.
    ///
    /// Grid pixel `(j, i)` takes the source at pixel-centre coordinates
    /// `(originX + (j + 0.5) / scale - 0.5, originY + (i + 0.5) / scale - 0.5)`. Points more than half a
    /// pixel outside the source are 0, so ink ends at the picture's edge rather than smearing past it;
    /// nearer points clamp to the edge pixels.
    static func bilinearResample(
        _ source: Plane<Float>, originX: Double, originY: Double, scale: Double, width: Int, height: Int
    ) -> Plane<Float> {
        func axisSamples(origin: Double, count: Int, length: Int) -> [(low: Int, high: Int, t: Float, inside: Bool)] {
            (0..<count).map { j in
                let position = origin + (Double(j) + 0.5) / scale - 0.5
                let inside = position >= -0.5 && position < Double(length) - 0.5
                let clamped = min(max(position, 0), Double(max(length - 1, 0)))
                let low = Int(clamped.rounded(.down))
                return (low, min(low + 1, length - 1), Float(clamped - Double(low)), inside)
            }
        }
        let xs = axisSamples(origin: originX, count: width, length: source.width)
        let ys = axisSamples(origin: originY, count: height, length: source.height)
        var result = [Float](repeating: 0, count: width * height)
        source.values.withUnsafeBufferPointer { src in
            for (i, y) in ys.enumerated() where y.inside {
                let top = y.low * source.width
                let bottom = y.high * source.width
                for (j, x) in xs.enumerated() where x.inside {
                    let upper = src[top + x.low] + x.t * (src[top + x.high] - src[top + x.low])
                    let lower = src[bottom + x.low] + x.t * (src[bottom + x.high] - src[bottom + x.low])
                    result[i * width + j] = upper + y.t * (lower - upper)
                }
            }
        }
        return Plane(width: width, height: height, values: result)
    }
}
