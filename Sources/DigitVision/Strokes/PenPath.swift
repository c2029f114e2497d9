#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point of a pen path: x to the right, y down, in units of the digit's height.
typealias PenPoint = SIMD2<Float>

/// One piece of a pen stroke, from where the previous piece ended (or the stroke's start).
enum PenSegment {
    case line(to: PenPoint)
    case quadratic(control: PenPoint, to: PenPoint)
    case cubic(PenPoint, PenPoint, to: PenPoint)

    var end: PenPoint {
        switch self {
        case .line(let end), .quadratic(_, let end), .cubic(_, _, let end): return end
        }
    }

    /// The same piece with every point (control and end) moved by `move`.
    func moved(_ move: (PenPoint) -> PenPoint) -> PenSegment {
        switch self {
        case .line(let end): return .line(to: move(end))
        case .quadratic(let control, let end): return .quadratic(control: move(control), to: move(end))
        case .cubic(let first, let second, let end): return .cubic(move(first), move(second), to: move(end))
        }
    }

    /// The point at `t` (0...1) of the piece starting at `start`.
    func point(at t: Float, from start: PenPoint) -> PenPoint {
        let u = 1 - t
        switch self {
        case .line(let end): return u * start + t * end
        case .quadratic(let control, let end): return u * u * start + 2 * u * t * control + t * t * end
        case .cubic(let first, let second, let end):
            return u * u * u * start + 3 * u * u * t * first + 3 * u * t * t * second + t * t * t * end
        }
    }
}

/// One pen-down stroke: a start and the pieces that follow it without lifting the pen.
/// `weight` scales the pen's width for this stroke (below 1: a lighter, thinner line).
struct PenStroke {
    var start: PenPoint
    var segments: [PenSegment] = []
    var weight: Float = 1

    /// The stroke as a polyline about `spacing` apart (in path units), each point with its
    /// fraction 0...1 of the way along the stroke's pieces.
    func flattened(spacing: Float) -> [(point: PenPoint, along: Float)] {
        var points: [PenPoint] = [start]
        var current = start
        for segment in segments {
            // The control polygon is never shorter than the curve, so the steps stay fine enough.
            let polygon: [PenPoint]
            switch segment {
            case .line(let end): polygon = [current, end]
            case .quadratic(let control, let end): polygon = [current, control, end]
            case .cubic(let first, let second, let end): polygon = [current, first, second, end]
            }
            let length = zip(polygon, polygon.dropFirst()).map { distance($0, $1) }.reduce(0, +)
            let steps = max(1, Int((length / spacing).rounded(.up)))
            for step in 1...steps { points.append(segment.point(at: Float(step) / Float(steps), from: current)) }
            current = segment.end
        }
        let last = Float(max(points.count - 1, 1))
        return points.enumerated().map { ($0.element, Float($0.offset) / last) }
    }
}

func distance(_ a: PenPoint, _ b: PenPoint) -> Float {
    let d = a - b
    return (d * d).sum().squareRoot()
}

/// A digit's skeleton as the pen draws it: strokes built piece by piece, each continuing
/// from where the last piece ended.
struct PenPath {
    private(set) var strokes: [PenStroke] = []

    /// Lifts the pen and puts it down at `point`: a new stroke.
    mutating func move(to point: PenPoint, weight: Float = 1) {
        strokes.append(PenStroke(start: point, weight: weight))
    }

    private var current: PenPoint {
        let stroke = strokes[strokes.count - 1]
        return stroke.segments.last?.end ?? stroke.start
    }

    /// Continues the current stroke with `segment`.
    mutating func add(_ segment: PenSegment) {
        precondition(!strokes.isEmpty, "PenPath: a piece before the first move(to:)")
        strokes[strokes.count - 1].segments.append(segment)
    }

    mutating func line(to point: PenPoint) { add(.line(to: point)) }

    mutating func quadratic(control: PenPoint, to point: PenPoint) { add(.quadratic(control: control, to: point)) }

    /// A smooth curve through `points` (a Catmull-Rom spline as cubic pieces), starting from
    /// the current point with no corner inside it; a corner only where it meets the pieces
    /// before and after.
    mutating func smooth(through points: [PenPoint]) {
        let knots = [current] + points
        for index in 0..<(knots.count - 1) {
            let before = knots[max(index - 1, 0)], from = knots[index]
            let to = knots[index + 1], after = knots[min(index + 2, knots.count - 1)]
            add(.cubic(from + (to - before) / 6, to - (after - from) / 6, to: to))
        }
    }

    /// An arc of the ellipse at `centre` with half-axes `radii`, from angle `start` turning by
    /// `sweep` (radians; y points down, so a positive sweep turns clockwise on the page). The
    /// pen goes straight to the arc's start first if it is elsewhere; the first stroke may
    /// start with an arc.
    mutating func arc(centre: PenPoint, radii: PenPoint, start: Float, sweep: Float) {
        func onEllipse(_ angle: Float) -> PenPoint { centre + radii * PenPoint(cosf(angle), sinf(angle)) }
        func tangent(_ angle: Float) -> PenPoint { radii * PenPoint(-sinf(angle), cosf(angle)) }
        if strokes.isEmpty {
            move(to: onEllipse(start))
        } else if distance(current, onEllipse(start)) > 1e-4 {
            line(to: onEllipse(start))
        }
        // Cubic pieces of at most a quarter turn each, with the usual 4/3·tan(θ/4) handles.
        let pieces = max(1, Int((abs(sweep) / (Float.pi / 2)).rounded(.up)))
        let step = sweep / Float(pieces)
        let handle = 4 / 3 * tanf(step / 4)
        for piece in 0..<pieces {
            let a = start + Float(piece) * step, b = a + step
            add(.cubic(onEllipse(a) + handle * tangent(a), onEllipse(b) - handle * tangent(b), to: onEllipse(b)))
        }
    }
}
