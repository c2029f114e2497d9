import DigitImage

extension DigitSegmenter {
    /// A place a stretch may be cut: pixels left of grid column `x` go left. `cost` is the ink
    /// cut through there, in stroke widths.
    struct Cut {
        var x: Int
        var cost: Double
    }

    /// `segment` (owner `owner` in `plane`) as a stretch: its candidate cuts and the candidate
    /// digits between them (each position to each later one within `widestCandidate` typical
    /// heights, and always to the next).
    func stretch(_ segment: Segment, owner: Int32, plane: [Int32], map: InkMap, image: GrayImage,
                 typicalHeight: Double) -> InkStretch {
        let cuts = candidateCuts(segment, width: map.width, typicalHeight: typicalHeight)
        let edges = [segment.box.x] + cuts.map(\.x) + [segment.box.lastX + 1]
        var candidates: [InkStretch.Candidate] = []
        for from in 0..<(edges.count - 1) {
            for to in (from + 1)..<edges.count {
                let columns = edges[from]..<edges[to]
                if to > from + 1, Double(columns.count) > widestCandidate * typicalHeight { break }
                let inside = segment.pixels.filter { columns.contains($0 % map.width) }
                // Only a cut leaves scraps: a whole stretch keeps the pieces of its broken digit.
                let pixels = from == 0 && to == edges.count - 1 ? inside : Self.withoutScraps(inside, width: map.width)
                guard let piece = Self.segment(of: pixels, width: map.width) else { continue }
                let kept = Set(pixels)
                let picture = Self.cutOutPicture(piece.box, map: map) { x, y in
                    columns.contains(x) && plane[y * map.width + x] == owner && kept.contains(y * map.width + x)
                }
                candidates.append(InkStretch.Candidate(
                    span: from..<to, cutOut: DigitCutOut(box: Self.pictureBox(piece.box, scale: map.scale, image: image), picture: picture),
                    shapeCost: Self.shapeCost(piece.box, typicalHeight: typicalHeight, leftCut: from > 0 ? cuts[from - 1].cost : 0)))
            }
        }
        let cutBoxes = cuts.map { cut in
            Self.pictureBox(PixelRect(x: cut.x, y: segment.box.y, width: 1, height: segment.box.height), scale: map.scale, image: image)
        }
        return InkStretch(box: Self.pictureBox(segment.box, scale: map.scale, image: image), cuts: cutBoxes, candidates: candidates)
    }

    /// What a candidate's box says against it being one whole digit, in nats: 5 per typical height
    /// of width beyond 0.9 (touching digits read as one), 8 per typical height
    /// it is shorter than 0.75 (a fragment), and 1 per stroke width of ink its left cut goes through.
    static func shapeCost(_ box: PixelRect, typicalHeight: Double, leftCut: Double) -> Double {
        let over = max(0, Double(box.width) / typicalHeight - 0.9)
        let short = max(0, 0.75 - Double(box.height) / typicalHeight)
        return 5 * over + 8 * short + leftCut
    }

    /// The candidate cuts of `segment`, left to right: none if it is narrower than `cutWidth`
    /// typical heights; else the columns of locally least ink (smoothed over three columns) at
    /// least 0.12 typical heights from either side and 0.15 from each other, least ink first,
    /// at most `cutsPerHeight` per typical height of width.
    func candidateCuts(_ segment: Segment, width: Int, typicalHeight: Double) -> [Cut] {
        let boxWidth = segment.box.width
        let margin = max(2, Int((0.12 * typicalHeight).rounded()))
        guard Double(boxWidth) >= cutWidth * typicalHeight, boxWidth > 2 * margin + 2 else { return [] }
        var inkPerColumn = [Int](repeating: 0, count: boxWidth)
        for index in segment.pixels { inkPerColumn[index % width - segment.box.x] += 1 }
        let smoothed = inkPerColumn.indices.map { column -> Double in
            let window = max(column - 1, 0)...min(column + 1, boxWidth - 1)
            return Double(window.reduce(0) { $0 + inkPerColumn[$1] }) / Double(window.count)
        }
        let minima = (margin...(boxWidth - 1 - margin)).filter { column in
            (column - 2...column + 2).allSatisfy { smoothed[max(0, min($0, boxWidth - 1))] >= smoothed[column] }
        }
        let stroke = Self.strokeWidth(segment, width: width)
        let limit = max(1, Int(cutsPerHeight * Double(boxWidth) / typicalHeight))
        let spacing = 0.15 * typicalHeight
        var chosen: [Int] = []
        for column in minima.sorted(by: { (smoothed[$0], $0) < (smoothed[$1], $1) }) where chosen.count < limit {
            if chosen.allSatisfy({ Double(abs($0 - column)) >= spacing }) { chosen.append(column) }
        }
        return chosen.sorted().map { Cut(x: segment.box.x + $0, cost: smoothed[$0] / stroke) }
    }

    /// `pixels` (grid indices) without their 8-connected pieces of less than a tenth of them: the
    /// ends of a neighbour's strokes that a straight cut leaves on this side.
    static func withoutScraps(_ pixels: [Int], width: Int) -> [Int] {
        var unvisited = Set(pixels)
        var pieces: [[Int]] = []
        for start in pixels where unvisited.contains(start) {
            var piece = [start], next = 0
            unvisited.remove(start)
            while next < piece.count {
                let index = piece[next]
                next += 1
                let x = index % width
                for dy in -1...1 {
                    for dx in -1...1 where (dx != 0 || dy != 0) && x + dx >= 0 && x + dx < width {
                        let neighbour = index + dy * width + dx
                        if unvisited.remove(neighbour) != nil { piece.append(neighbour) }
                    }
                }
            }
            pieces.append(piece)
        }
        guard pieces.count > 1 else { return pixels }
        return pieces.filter { 10 * $0.count >= pixels.count }.flatMap { $0 }
    }

    /// The median length of the vertical runs of `segment`'s pixels: its strokes' thickness.
    static func strokeWidth(_ segment: Segment, width: Int) -> Double {
        let columns = Dictionary(grouping: segment.pixels, by: { $0 % width }).values
        var runs: [Int] = []
        for column in columns {
            let rows = column.map { $0 / width }.sorted()
            var length = 1
            for (previous, row) in zip(rows, rows.dropFirst()) {
                if row == previous + 1 { length += 1 } else { runs.append(length); length = 1 }
            }
            runs.append(length)
        }
        runs.sort()
        return Double(max(1, runs[runs.count / 2]))
    }
}
