import DigitImage

/// One candidate digit cut out of a picture: where it was, and its ink alone as a dark-on-white picture.
package struct DigitCutOut: Sendable {
    /// The digit's box in the original picture's pixels.
    package let box: PixelRect
    /// The digit's own ink (no other digit's, no specks or rule lines) as dark strokes on white
    /// 255, with the ink's contrast in gray levels whatever the original polarity, and a white
    /// margin of a quarter of the digit's longer side: what `DigitPreprocessor.preprocess` expects
    /// of a picture of one digit.
    package let picture: GrayImage
}

/// One stretch of connected ink in a line (a digit, or touching digits), with the places it may
/// be cut and the candidate digits between them, for the reader to choose a path through.
///
/// Positions are 0 (the left edge), 1...`cuts.count` (the cuts, left to right) and
/// `cuts.count + 1` (the right edge); every candidate spans from one position to a later one.
package struct InkStretch: Sendable {
    /// The whole stretch's box in the picture's pixels.
    package let box: PixelRect
    /// The candidate cuts, left to right, in the picture's pixels.
    package let cuts: [InkCut]
    package let candidates: [Candidate]

    /// The last position: the right edge.
    package var end: Int { cuts.count + 1 }

    /// The ink between two positions as one candidate digit.
    package struct Candidate: Sendable {
        /// From which position to which (`lowerBound < upperBound <= end`).
        package let span: Range<Int>
        package let cutOut: DigitCutOut
        /// What the candidate's shape and cuts say against it being one whole digit, in nats
        /// (0 for an uncut stretch of a digit's proportions); see `DigitSegmenter.shapeCost`.
        package let shapeCost: Double
    }
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
/// specks are dropped; pieces of one broken digit (a 5 whose bar is detached) are merged; the
/// stretches of ink are grouped into lines by vertical overlap, lines top to bottom, stretches left
/// to right. Each stretch wide enough to hold touching digits gets candidate cuts at the columns
/// of locally least ink, and candidate digits between every two positions not too far apart:
/// which ones are the digits is the reader's choice (`NumberReader`).
package struct DigitSegmenter: Sendable {
    /// The picture is area-averaged down to at most this many pixels on its longer side first.
    package var analysisSide = 1024
    /// Components whose longer side is below this fraction of the typical digit height are specks.
    package var speckFraction = 0.15
    /// A piece shorter than this fraction of the typical digit height is part of a broken digit.
    package var pieceFraction = 0.7
    /// A stretch narrower than this many typical digit heights is one digit: it gets no cuts.
    package var cutWidth = 0.45
    /// At most this many candidate cuts per typical digit height of a stretch's width.
    package var cutsPerHeight = 3.0
    /// A cut's path strays at most this many typical digit heights from the column it starts at.
    package var seamReach = 0.2
    /// Candidates wider than this many typical digit heights are not offered.
    package var widestCandidate = 1.5
    /// The preprocessor whose ink finding is reused (its options apply: contrast, rule lines), and
    /// which prepares each candidate digit. It redraws strokes on a 60 px grid where `classify`
    /// uses 120: a number has dozens of candidates, and on generated numbers the coarser grid read
    /// as many right in two thirds of the time (`digit-bench numbers --render-side`).
    package var preprocessor: DigitPreprocessor = {
        var preprocessor = DigitPreprocessor()
        preprocessor.renderSide = 60
        return preprocessor
    }()

    package init() {}

    /// The ink of `image` as lines (top to bottom) of stretches (left to right) with their candidate
    /// digits. Throws `SegmentationError.noDigits` if there is no ink.
    package func stretches(of image: GrayImage) throws -> [[InkStretch]] {
        let map: InkMap
        do {
            map = try preprocessor.inkMap(of: image, maximumSide: analysisSide)
        } catch PreprocessingError.noInk {
            throw SegmentationError.noDigits
        }
        let lines = segments(in: map)
        guard !lines.isEmpty, let height = Self.typicalHeight(lines.flatMap { $0 }) else { throw SegmentationError.noDigits }
        return lines.map { line in line.map { stretch($0, map: map, image: image, typicalHeight: height) } }
    }

    // MARK: - Segmentation on the analysis grid

    /// A set of ink pixels that is one digit or several touching ones.
    struct Segment {
        var box: PixelRect
        /// Indices into the analysis grid (`y * width + x`).
        var pixels: [Int]
    }

    /// The ink of `map` as lines of segments, top to bottom, each left to right; empty if none.
    func segments(in map: InkMap) -> [[Segment]] {
        let pieces = Self.components(of: map)
        guard let height = Self.typicalHeight(pieces) else { return [] }
        let kept = pieces.filter { Double($0.box.longerSide) >= speckFraction * height }
        return Self.lines(of: mergeBrokenPieces(kept, typicalHeight: height))
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

    /// Groups segments into lines: two segments share a line when their rows overlap by at least 40%
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

    /// The cut-out picture of the pixels in `box` that `owns` (see `DigitCutOut.picture`): on a
    /// white crop of the grid around `box` with a margin of a quarter of its longer side (at least
    /// 2 px), each owned pixel, or each pixel that is not ink and borders an owned one (its
    /// anti-aliased edge), is `255 - strength`; everything else is white.
    static func cutOutPicture(_ box: PixelRect, map: InkMap, owns: (_ x: Int, _ y: Int) -> Bool) -> GrayImage {
        let margin = max(2, box.longerSide / 4)
        let width = box.width + 2 * margin
        let height = box.height + 2 * margin
        var pixels = [UInt8](repeating: 255, count: width * height)
        for y in max(box.y - 1, 0)...min(box.lastY + 1, map.height - 1) {
            for x in max(box.x - 1, 0)...min(box.lastX + 1, map.width - 1) {
                let index = y * map.width + x
                guard owns(x, y) || (map.mask[index] == 0 && bordersOwned(x: x, y: y, map: map, owns: owns)) else { continue }
                pixels[(y - box.y + margin) * width + (x - box.x + margin)] = UInt8(255 - min(map.strength[index], 255).rounded())
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Whether one of the 8 neighbours of grid pixel (x, y) is owned.
    static func bordersOwned(x: Int, y: Int, map: InkMap, owns: (_ x: Int, _ y: Int) -> Bool) -> Bool {
        for ny in max(y - 1, 0)...min(y + 1, map.height - 1) {
            for nx in max(x - 1, 0)...min(x + 1, map.width - 1) where owns(nx, ny) { return true }
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
    /// This segment with `piece`'s pixels added.
    func absorbing(_ piece: Self) -> Self {
        Self(box: box.union(piece.box), pixels: pixels + piece.pixels)
    }
}
