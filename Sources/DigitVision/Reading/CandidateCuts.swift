import DigitImage

extension DigitSegmenter {
    /// A place a stretch may be cut: a path from its top row to its bottom row that follows the
    /// gap between two digits' strokes where there is one, and cuts through the least ink where
    /// there is none (a seam; a straight column cannot part digits that overlap or lean).
    struct Cut {
        /// Per row of the stretch's box, top to bottom, the grid column the cut passes at:
        /// pixels left of it go left.
        var path: [Int]
        /// The column the cut was started from (locally least ink), which orders the cuts.
        var x: Int
        /// The ink cut through, in stroke widths.
        var cost: Double
    }

    /// `segment` as a stretch: its candidate cuts and the candidate digits between them (each
    /// position to each later one within `widestCandidate` typical heights, and always to the
    /// next). A candidate's picture holds only the segment's own pixels (segments never share one).
    func stretch(_ segment: Segment, map: InkMap, image: GrayImage, typicalHeight: Double) -> InkStretch {
        let cuts = candidateCuts(segment, width: map.width, typicalHeight: typicalHeight)
        let box = segment.box
        // Position p's column at grid row y: the box's sides for the first and last positions.
        func column(_ position: Int, row y: Int) -> Int {
            position == 0 ? box.x : position == cuts.count + 1 ? box.lastX + 1 : cuts[position - 1].path[y - box.y]
        }
        let starts = [box.x] + cuts.map(\.x) + [box.lastX + 1]
        var candidates: [InkStretch.Candidate] = []
        for from in 0..<(starts.count - 1) {
            for to in (from + 1)..<starts.count {
                if to > from + 1, Double(starts[to] - starts[from]) > widestCandidate * typicalHeight { break }
                func between(_ x: Int, _ y: Int) -> Bool { column(from, row: y) <= x && x < column(to, row: y) }
                let inside = segment.pixels.filter { between($0 % map.width, $0 / map.width) }
                // Only a cut leaves scraps: a whole stretch keeps the pieces of its broken digit.
                let pixels = from == 0 && to == starts.count - 1 ? inside : Self.withoutScraps(inside, width: map.width)
                guard let piece = Self.segment(of: pixels, width: map.width) else { continue }
                let kept = Set(pixels)
                let picture = Self.cutOutPicture(piece.box, map: map) { x, y in kept.contains(y * map.width + x) }
                candidates.append(InkStretch.Candidate(
                    span: from..<to, cutOut: DigitCutOut(box: Self.pictureBox(piece.box, scale: map.scale, image: image), picture: picture),
                    shapeCost: Self.shapeCost(piece.box, typicalHeight: typicalHeight, leftCut: from > 0 ? cuts[from - 1].cost : 0)))
            }
        }
        let inkCuts = cuts.map { cut in
            InkCut(runs: Self.runs(of: cut.path, top: box.y).map { Self.pictureBox($0, scale: map.scale, image: image) })
        }
        return InkStretch(box: Self.pictureBox(box, scale: map.scale, image: image), cuts: inkCuts, candidates: candidates)
    }

    /// `path` (a column per row from grid row `top` down) as one-pixel-wide vertical runs.
    static func runs(of path: [Int], top: Int) -> [PixelRect] {
        var runs: [PixelRect] = []
        var start = 0
        for row in 1...path.count where row == path.count || path[row] != path[start] {
            runs.append(PixelRect(x: path[start], y: top + start, width: 1, height: row - start))
            start = row
        }
        return runs
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
    /// typical heights; else from the columns of locally least ink (smoothed over three columns)
    /// at least 0.12 typical heights from either side and 0.15 from each other, least ink first,
    /// at most `cutsPerHeight` per typical height of width, each the seam of least ink cut
    /// through (`seam`) within its share of the box: halfway to the neighbouring starts, and at
    /// most `seamReach` typical heights from its own.
    func candidateCuts(_ segment: Segment, width: Int, typicalHeight: Double) -> [Cut] {
        let box = segment.box, boxWidth = segment.box.width
        let margin = max(2, Int((0.12 * typicalHeight).rounded()))
        guard Double(boxWidth) >= cutWidth * typicalHeight, boxWidth > 2 * margin + 2 else { return [] }
        var ink = [Bool](repeating: false, count: boxWidth * box.height)
        var inkPerColumn = [Int](repeating: 0, count: boxWidth)
        for index in segment.pixels {
            let (x, y) = (index % width - box.x, index / width - box.y)
            ink[y * boxWidth + x] = true
            inkPerColumn[x] += 1
        }
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
        chosen.sort()
        let reach = max(1, Int(seamReach * typicalHeight))
        return chosen.indices.map { i in
            let low = max(i == 0 ? margin : (chosen[i - 1] + chosen[i]) / 2 + 1, chosen[i] - reach)
            let high = min(i == chosen.count - 1 ? boxWidth - 1 - margin : (chosen[i] + chosen[i + 1]) / 2, chosen[i] + reach)
            let (path, crossed) = Self.seam(ink: ink, width: boxWidth, columns: low...high, start: chosen[i])
            return Cut(path: path.map { box.x + $0 }, x: box.x + chosen[i], cost: Double(crossed) / stroke)
        }
    }

    /// The path from the top row of `ink` (`width` columns, row-major) to its bottom that cuts
    /// through the fewest ink pixels, moving at most one column a row within `columns`, with the
    /// count it cuts through. A path at column x passes between columns x - 1 and x: it cuts
    /// where both are ink, so running along a stroke's edge is free. Each sideways step and each
    /// column away from `start` costs a little, so among paths through equally little ink the
    /// straightest nearest `start` wins (by dynamic programming, row by row).
    static func seam(ink: [Bool], width: Int, columns: ClosedRange<Int>, start: Int) -> (path: [Int], crossed: Int) {
        let height = ink.count / width, span = columns.count
        func crosses(_ x: Int, _ y: Int) -> Bool { x > 0 && ink[y * width + x - 1] && ink[y * width + x] }
        // cost[y * span + i]: the cheapest path's cost from the top to column columns.lowerBound + i of row y.
        var cost = [Double](repeating: 0, count: height * span)
        var from = [Int](repeating: 0, count: height * span)
        for y in 0..<height {
            for i in 0..<span {
                let x = columns.lowerBound + i
                let here = (crosses(x, y) ? 1 : 0) + 0.01 * Double(abs(x - start))
                guard y > 0 else { cost[i] = here; continue }
                var best = i, bestCost = cost[(y - 1) * span + i]
                for j in [i - 1, i + 1] where j >= 0 && j < span && cost[(y - 1) * span + j] + 0.1 < bestCost {
                    best = j
                    bestCost = cost[(y - 1) * span + j] + 0.1
                }
                cost[y * span + i] = bestCost + here
                from[y * span + i] = best
            }
        }
        var i = (0..<span).min { cost[(height - 1) * span + $0] < cost[(height - 1) * span + $1] }!
        var path = [Int](repeating: 0, count: height)
        var crossed = 0
        for y in stride(from: height - 1, through: 0, by: -1) {
            path[y] = columns.lowerBound + i
            if crosses(path[y], y) { crossed += 1 }
            i = from[y * span + i]
        }
        return (path, crossed)
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
