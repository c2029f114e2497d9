import DigitImage

/// One digit cut out of a picture: where it was, and its ink alone as a dark-on-white picture.
package struct DigitCutOut: Sendable {
    /// The digit's box in the original picture's pixels.
    package let box: PixelRect
    /// The digit's own ink (no other digit's, no specks or rule lines) as dark strokes on white
    /// 255, with the ink's contrast in gray levels whatever the original polarity, and a white
    /// margin of a quarter of the digit's longer side: what `DigitPreprocessor.preprocess` expects
    /// of a picture of one digit.
    package let picture: GrayImage
    /// When the cut-out is wide enough to be touching digits but not so wide that it must be:
    /// the same ink split into them, left to right (else empty). The reader keeps whichever
    /// the classifier is surer of.
    package let parts: [DigitCutOut]
}

/// The picture holds nothing to read.
public enum SegmentationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No ink stands out from the background, or only specks do.
    case noDigits

    public var description: String {
        switch self {
        case .noDigits: return "no digits found: the picture has no ink that stands out from its background"
        }
    }
}

/// Finds the separate digits of a picture of a number (or several lines of them).
///
/// The ink is found as `DigitPreprocessor` finds it (background surface, polarity, threshold,
/// rule lines), then: its 8-connected components are labelled; marks spanning the frame and
/// specks are dropped; components much wider than a digit (touching digits) are split at the
/// column of least ink; pieces of one broken digit (a 5 whose bar is detached) are merged;
/// the digits are grouped into lines by vertical overlap, lines top to bottom, digits left to right.
package struct DigitSegmenter: Sendable {
    /// The picture is area-averaged down to at most this many pixels on its longer side first.
    package var analysisSide = 1024
    /// Components whose longer side is below this fraction of the typical digit height are specks.
    package var speckFraction = 0.15
    /// A piece shorter than this fraction of the typical digit height is part of a broken digit.
    package var pieceFraction = 0.7
    /// A component wider than this many times its height (or 0.9x the typical digit height, if
    /// more) may be touching digits: it is offered both whole and split (`DigitCutOut.parts`).
    package var splitAspect = 1.0
    /// A component wider than this many times its reference height is touching digits: only split.
    package var definiteSplitAspect = 1.7
    /// The preprocessor whose ink finding is reused (its options apply: contrast, rule lines).
    package var preprocessor = DigitPreprocessor()

    package init() {}

    /// The digits of `image` as lines (top to bottom) of cut-outs (left to right).
    /// Throws `SegmentationError.noDigits` if there is no ink.
    package func cutOuts(of image: GrayImage) throws -> [[DigitCutOut]] {
        let map: InkMap
        do {
            map = try preprocessor.inkMap(of: image, maximumSide: analysisSide)
        } catch PreprocessingError.noInk {
            throw SegmentationError.noDigits
        }
        let lines = segments(in: map)
        guard !lines.isEmpty else { throw SegmentationError.noDigits }
        let owners = Self.ownerPlane(lines.flatMap { $0.flatMap(\.atoms) }, count: map.mask.count)
        var next: Int32 = 0
        func cutOut(_ segment: Segment) -> DigitCutOut {
            let atoms = next...(next + Int32(segment.atoms.count) - 1)
            let parts = segment.parts.map(cutOut)
            if parts.isEmpty { next += 1 }
            return DigitCutOut(box: Self.pictureBox(segment.box, scale: map.scale, image: image),
                               picture: Self.cutOutPicture(segment, owners: atoms, plane: owners, map: map),
                               parts: parts)
        }
        return lines.map { $0.map(cutOut) }
    }

    // MARK: - Segmentation on the analysis grid

    /// A set of ink pixels that is, or may become, one digit.
    struct Segment {
        var box: PixelRect
        /// Indices into the analysis grid (`y * width + x`).
        var pixels: [Int]
        /// The same pixels split into touching digits, when that is uncertain (else empty).
        var parts: [Segment] = []

        /// The segments that own pixels: the parts if any, else the segment itself.
        var atoms: [Segment] { parts.isEmpty ? [self] : parts }
    }

    /// The digits of `map` as lines of segments, top to bottom, each left to right; empty if none.
    func segments(in map: InkMap) -> [[Segment]] {
        let pieces = Self.components(of: map)
        guard let height = Self.typicalHeight(pieces) else { return [] }
        let kept = pieces.filter { Double($0.box.longerSide) >= speckFraction * height }
        let split = kept.flatMap { splitOrOffer($0, width: map.width, typicalHeight: height) }
        return Self.lines(of: mergeBrokenPieces(split, typicalHeight: height))
    }

    /// The 8-connected components of the mask with their pixels, without those spanning the frame
    /// (shadows, paper edges) unless nothing else is there.
    static func components(of map: InkMap) -> [Segment] {
        let mask = DigitPreprocessor.Plane(width: map.width, height: map.height, values: map.mask)
        let (labels, components) = DigitPreprocessor.labelComponents(mask: mask)
        var pixels = [[Int]](repeating: [], count: components.count)
        for (index, label) in labels.values.enumerated() where label >= 0 { pixels[Int(label)].append(index) }
        let all = zip(components, pixels).map { Segment(box: $0.box, pixels: $1) }
        let inside = all.filter { !spansFrame($0.box, width: map.width, height: map.height) }
        return inside.isEmpty ? all : inside
    }

    /// Whether `box` reaches two opposite edges of a `width` x `height` frame.
    static func spansFrame(_ box: PixelRect, width: Int, height: Int) -> Bool {
        (box.x == 0 && box.lastX == width - 1) || (box.y == 0 && box.lastY == height - 1)
    }

    /// A digit's typical height in pixels: the median height of the components at least half as
    /// tall as the tallest (broken pieces and specks do not count). Nil without components.
    static func typicalHeight(_ pieces: [Segment]) -> Double? {
        guard let tallest = pieces.map(\.box.height).max() else { return nil }
        let tall = pieces.map(\.box.height).filter { 2 * $0 >= tallest }.sorted()
        return Double(tall[tall.count / 2])
    }

    /// Joins each piece of a broken digit to its digit, smallest pieces first, until none is left:
    /// a piece is a segment shorter than `pieceFraction` of the typical height (a detached bar,
    /// a stroke broken off), and it joins the segment nearest to it if that is within 0.3 typical
    /// heights and the union still has a digit's shape: at most 1.3 typical heights tall and 1.3
    /// times its height (or the typical height, if more) wide.
    func mergeBrokenPieces(_ segments: [Segment], typicalHeight: Double) -> [Segment] {
        var result = segments
        while let (piece, target) = nextMerge(in: result, typicalHeight: typicalHeight) {
            result[target] = result[target].absorbing(result[piece])
            result.remove(at: piece)
        }
        return result
    }

    /// The smallest piece (by pixel count) that can join a neighbour, with that neighbour
    /// (see `mergeBrokenPieces`); nil if none can.
    func nextMerge(in segments: [Segment], typicalHeight: Double) -> (piece: Int, target: Int)? {
        let pieces = segments.indices
            .filter { Double(segments[$0].box.height) < pieceFraction * typicalHeight }
            .sorted { segments[$0].pixels.count < segments[$1].pixels.count }
        for piece in pieces {
            let box = segments[piece].box
            let nearest = segments.indices.filter { $0 != piece }.min { a, b in
                (box.gap(to: segments[a].box), -Self.overlapX(box, segments[a].box))
                    < (box.gap(to: segments[b].box), -Self.overlapX(box, segments[b].box))
            }
            guard let target = nearest, Double(box.gap(to: segments[target].box)) <= 0.3 * typicalHeight else { continue }
            let union = box.union(segments[target].box)
            if Double(union.height) <= 1.3 * typicalHeight,
               Double(union.width) <= 1.3 * max(Double(union.height), typicalHeight) {
                return (piece, target)
            }
        }
        return nil
    }

    /// Columns the two boxes share (negative: the gap between them).
    static func overlapX(_ a: PixelRect, _ b: PixelRect) -> Int {
        min(a.lastX, b.lastX) - max(a.x, b.x) + 1
    }

    /// `segment` as digits: split into its parts if it is wider than `definiteSplitAspect` times its
    /// reference height (see `splitTouching`), whole with its parts offered if it would split but is
    /// narrower, else as it is.
    func splitOrOffer(_ segment: Segment, width: Int, typicalHeight: Double) -> [Segment] {
        let parts = splitTouching(segment, width: width, typicalHeight: typicalHeight)
        guard parts.count > 1 else { return [segment] }
        let reference = max(Double(segment.box.height), 0.9 * typicalHeight)
        if Double(segment.box.width) > definiteSplitAspect * reference { return parts }
        return [Segment(box: segment.box, pixels: segment.pixels, parts: parts)]
    }

    /// `segment` cut into single digits if it is wider than `splitAspect` times its reference height
    /// (its own height, or 0.9 typical heights if more); else `[segment]`. Each cut falls on the
    /// column of least ink among those leaving both parts at least a fifth of the reference height
    /// wide, with a penalty for straying from where an even split into the expected number of digits
    /// would cut; the parts are split again if still too wide.
    func splitTouching(_ segment: Segment, width: Int, typicalHeight: Double) -> [Segment] {
        let reference = max(Double(segment.box.height), 0.9 * typicalHeight)
        let boxWidth = segment.box.width
        let margin = Int((0.2 * reference).rounded())
        guard Double(boxWidth) > splitAspect * reference, boxWidth > 2 * margin + 1 else { return [segment] }
        var inkPerColumn = [Int](repeating: 0, count: boxWidth)
        for index in segment.pixels { inkPerColumn[index % width - segment.box.x] += 1 }
        let expectedDigits = max(2, Int((Double(boxWidth) / (0.75 * reference)).rounded()))
        let expectedCut = Double(boxWidth) / Double(expectedDigits)
        let meanInk = Double(segment.pixels.count) / Double(boxWidth)
        let cut = (margin...(boxWidth - 1 - margin)).min { a, b in
            cutCost(a, inkPerColumn, expected: expectedCut, meanInk: meanInk, reference: reference)
                < cutCost(b, inkPerColumn, expected: expectedCut, meanInk: meanInk, reference: reference)
        }!
        let cutX = segment.box.x + cut
        let left = Self.segment(of: segment.pixels.filter { $0 % width < cutX }, width: width)
        let right = Self.segment(of: segment.pixels.filter { $0 % width >= cutX }, width: width)
        return [left, right].compactMap { $0 }.flatMap { splitTouching($0, width: width, typicalHeight: typicalHeight) }
    }

    /// The cost of cutting at column `column` (0-based in the box): the ink there, smoothed over
    /// three columns, plus `meanInk` per reference height of distance from `expected`.
    func cutCost(_ column: Int, _ inkPerColumn: [Int], expected: Double, meanInk: Double, reference: Double) -> Double {
        let window = max(column - 1, 0)...min(column + 1, inkPerColumn.count - 1)
        let ink = Double(window.reduce(0) { $0 + inkPerColumn[$1] }) / Double(window.count)
        return ink + meanInk * abs(Double(column) - expected) / reference
    }

    /// The segment made of `pixels` (grid indices, grid `width` wide), nil if there are none.
    static func segment(of pixels: [Int], width: Int) -> Segment? {
        guard let first = pixels.first else { return nil }
        var box = PixelRect(x: first % width, y: first / width, lastX: first % width, lastY: first / width)
        for index in pixels {
            let x = index % width
            let y = index / width
            box = PixelRect(x: min(box.x, x), y: min(box.y, y), lastX: max(box.lastX, x), lastY: max(box.lastY, y))
        }
        return Segment(box: box, pixels: pixels)
    }

    /// Groups digits into lines: two digits share a line when their rows overlap by at least 40%
    /// of the shorter one's height (transitively, so a line may drift). Lines are ordered by their
    /// mean vertical centre, digits in a line by their horizontal centre.
    static func lines(of digits: [Segment]) -> [[Segment]] {
        var lineOf = Array(digits.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while lineOf[i] != i { i = lineOf[i] }
            return i
        }
        for i in digits.indices {
            for j in digits.indices where j > i {
                let a = digits[i].box, b = digits[j].box
                let overlap = min(a.lastY, b.lastY) - max(a.y, b.y) + 1
                if 5 * overlap >= 2 * min(a.height, b.height) { lineOf[root(j)] = root(i) }
            }
        }
        let groups = Dictionary(grouping: digits.indices, by: root).values.map { $0.map { digits[$0] } }
        func centreY(_ s: Segment) -> Double { Double(s.box.y + s.box.lastY) / 2 }
        func centreX(_ s: Segment) -> Double { Double(s.box.x + s.box.lastX) / 2 }
        return groups
            .map { $0.sorted { centreX($0) < centreX($1) } }
            .sorted { $0.map(centreY).reduce(0, +) / Double($0.count) < $1.map(centreY).reduce(0, +) / Double($1.count) }
    }

    // MARK: - Cut-outs

    /// A plane of which segment (index in reading order) owns each grid pixel, -1 for none.
    static func ownerPlane(_ segments: [Segment], count: Int) -> [Int32] {
        var owners = [Int32](repeating: -1, count: count)
        for (index, segment) in segments.enumerated() {
            for pixel in segment.pixels { owners[pixel] = Int32(index) }
        }
        return owners
    }

    /// The cut-out picture of `segment` (see `DigitCutOut.picture`): on a white crop of the grid
    /// around its box with a margin of a quarter of its longer side (at least 2 px), each pixel
    /// whose owner in `plane` is in `owners`, or that is not ink and borders such a pixel (its
    /// anti-aliased edge), is `255 - strength`; everything else is white.
    static func cutOutPicture(_ segment: Segment, owners: ClosedRange<Int32>, plane: [Int32], map: InkMap) -> GrayImage {
        let box = segment.box
        let margin = max(2, box.longerSide / 4)
        let width = box.width + 2 * margin
        let height = box.height + 2 * margin
        var pixels = [UInt8](repeating: 255, count: width * height)
        for y in max(box.y - 1, 0)...min(box.lastY + 1, map.height - 1) {
            for x in max(box.x - 1, 0)...min(box.lastX + 1, map.width - 1) {
                let index = y * map.width + x
                guard owners.contains(plane[index])
                        || (map.mask[index] == 0 && bordersOwner(owners, x: x, y: y, plane: plane, map: map))
                else { continue }
                pixels[(y - box.y + margin) * width + (x - box.x + margin)] = UInt8(255 - min(map.strength[index], 255).rounded())
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Whether one of the 8 neighbours of grid pixel (x, y) has its owner in `plane` in `owners`.
    static func bordersOwner(_ owners: ClosedRange<Int32>, x: Int, y: Int, plane: [Int32], map: InkMap) -> Bool {
        for ny in max(y - 1, 0)...min(y + 1, map.height - 1) {
            for nx in max(x - 1, 0)...min(x + 1, map.width - 1) where owners.contains(plane[ny * map.width + nx]) { return true }
        }
        return false
    }

    /// `box` (analysis grid) in the picture's pixels: scaled back and clamped to the picture.
    static func pictureBox(_ box: PixelRect, scale: Double, image: GrayImage) -> PixelRect {
        let minX = max(0, Int((Double(box.x) / scale).rounded(.down)))
        let minY = max(0, Int((Double(box.y) / scale).rounded(.down)))
        let maxX = min(image.width, Int((Double(box.lastX + 1) / scale).rounded(.up)))
        let maxY = min(image.height, Int((Double(box.lastY + 1) / scale).rounded(.up)))
        return PixelRect(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }
}

extension DigitSegmenter.Segment {
    /// This segment with `piece`'s pixels added (its own parts dropped); if this one has parts,
    /// the piece also joins the part nearest to it.
    func absorbing(_ piece: Self) -> Self {
        var parts = self.parts
        if let nearest = parts.indices.min(by: { parts[$0].box.gap(to: piece.box) < parts[$1].box.gap(to: piece.box) }) {
            parts[nearest] = Self(box: parts[nearest].box.union(piece.box), pixels: parts[nearest].pixels + piece.pixels)
        }
        return Self(box: box.union(piece.box), pixels: pixels + piece.pixels, parts: parts)
    }
}
