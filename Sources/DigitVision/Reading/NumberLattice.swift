import Foundation
import DigitImage

/// One line's candidate digits as a graph: nodes are the positions of its stretches, one after
/// another (a stretch's right edge is the next one's left edge), and each candidate is an edge
/// from its first position to its last, weighted by its cost. A reading of the line is a path
/// from the first node to the last; the best is the cheapest, found by dynamic programming
/// (LeCun et al. 1998's recognition-based segmentation), for each number of digits.
struct NumberLattice {
    /// A candidate digit as an edge.
    struct Edge {
        var from: Int
        var to: Int
        var digit: ReadDigit
        var cost: Double
        /// The cut the candidate starts at, if it starts inside a stretch.
        var cut: InkCut?
    }

    /// Added to every digit's cost, in nats: above 0 readings of fewer digits are preferred.
    static let digitCost = 0.5

    let last: Int
    let edges: [Edge]

    /// The lattice of `line`, taking each candidate's class probabilities and the probability that
    /// it is one whole digit (nil: not judged) from `scores` in order (stretches left to right,
    /// candidates in order).
    init(_ line: [PreparedStretch], wholeDigitWeight: Double, scores: () -> (probabilities: [Float], whole: Float?)) {
        var edges: [Edge] = []
        var offset = 0
        for stretch in line {
            for candidate in stretch.candidates {
                let (probabilities, whole) = scores()
                let prediction = DigitPrediction(input: candidate.input, probabilities: probabilities)
                edges.append(Edge(from: offset + candidate.span.lowerBound, to: offset + candidate.span.upperBound,
                                  digit: ReadDigit(box: candidate.box, prediction: prediction),
                                  cost: Self.cost(prediction, box: candidate.box, shapeCost: candidate.shapeCost,
                                                   notWhole: whole.map { -wholeDigitWeight * log(max(Double($0), 1e-6)) } ?? 0),
                                  cut: candidate.span.lowerBound > 0 ? stretch.cuts[candidate.span.lowerBound - 1] : nil))
            }
            offset += stretch.end
        }
        last = offset
        self.edges = edges.sorted { $0.from < $1.from }
    }

    /// A candidate's cost, in nats: the network's doubt (−log of its confidence), the whole-digit
    /// scorer's (`notWhole`), its shape's cost, 8 per unit of aspect (width over height) below
    /// 0.35 unless it reads as a 1 (a sliver cut off a wider digit), and `digitCost`.
    static func cost(_ prediction: DigitPrediction, box: PixelRect, shapeCost: Double, notWhole: Double) -> Double {
        let aspect = Double(box.width) / Double(max(box.height, 1))
        let sliver = prediction.digit == 1 ? 0 : 8 * max(0, 0.35 - aspect)
        return -log(max(Double(prediction.confidence), 1e-6)) + notWhole + shapeCost + sliver + digitCost
    }

    /// For each node and number of digits, the cheapest path's cost from node 0 and its last edge.
    func paths() -> [[(cost: Double, edge: Int)?]] {
        var best = [[(cost: Double, edge: Int)?]](repeating: [(cost: Double, edge: Int)?](repeating: nil, count: last + 1),
                                                  count: last + 1)
        best[0][0] = (0, -1)
        for (index, edge) in edges.enumerated() {
            for count in 0..<last {
                guard let start = best[edge.from][count] else { continue }
                let cost = start.cost + edge.cost
                if best[edge.to][count + 1].map({ cost < $0.cost }) ?? true { best[edge.to][count + 1] = (cost, index) }
            }
        }
        return best
    }

    /// The line's digits and cuts along the cheapest path of `count` digits in `table` (from `paths`).
    func reading(_ table: [[(cost: Double, edge: Int)?]], count: Int) -> (digits: [ReadDigit], cuts: [InkCut]) {
        var digits: [ReadDigit] = [], cuts: [InkCut] = []
        var node = last, remaining = count
        while remaining > 0, let step = table[node][remaining] {
            let edge = edges[step.edge]
            digits.append(edge.digit)
            if let cut = edge.cut { cuts.append(cut) }
            node = edge.from
            remaining -= 1
        }
        return (digits.reversed(), cuts.reversed())
    }

    /// The reading of a picture whose lines are `lattices`: each line its cheapest path, or with
    /// `digits`, the cheapest paths whose digits add up to `digits` if there are such.
    static func reading(_ lattices: [NumberLattice], digits: Int?) -> NumberReading {
        let tables = lattices.map { $0.paths() }
        let ends = zip(lattices, tables).map { lattice, table in table[lattice.last].map { $0?.cost } }
        let free = ends.map { costs in costs.indices.filter { costs[$0] != nil }.min { costs[$0]! < costs[$1]! }! }
        let counts = digits.flatMap { countsAddingUp(to: $0, ends) } ?? free
        let lines = zip(lattices, zip(tables, counts)).map { lattice, choice in lattice.reading(choice.0, count: choice.1) }
        return NumberReading(lines: lines.map(\.digits), cuts: lines.flatMap(\.cuts))
    }

    /// The number of digits per line, adding up to `total`, whose paths cost least together; nil if none.
    static func countsAddingUp(to total: Int, _ ends: [[Double?]]) -> [Int]? {
        // best[n]: the cheapest counts of the lines so far that add up to n.
        var best: [(cost: Double, counts: [Int])?] = [(0, [])] + [(cost: Double, counts: [Int])?](repeating: nil, count: max(total, 0))
        for costs in ends {
            var next = [(cost: Double, counts: [Int])?](repeating: nil, count: best.count)
            for (sum, entry) in best.enumerated() {
                guard let entry else { continue }
                for (count, cost) in costs.enumerated() {
                    guard let cost, sum + count <= total else { continue }
                    let option = (entry.cost + cost, entry.counts + [count])
                    if next[sum + count].map({ option.0 < $0.cost }) ?? true { next[sum + count] = option }
                }
            }
            best = next
        }
        return best.last??.counts
    }
}
