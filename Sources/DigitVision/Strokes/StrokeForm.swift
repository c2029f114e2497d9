import DigitCompute

/// The forms people write each digit in, as pen skeletons with random proportions: among
/// them the shapes MNIST's writers hardly used (ones with long, low, detached or footed
/// flags; nines with a g-like hook or a big loop on a long tail; fives with a faint or
/// detached bar; open fours; crossed and curved sevens). `StrokeDigits` draws them.
package enum StrokeForm: String, CaseIterable, Sendable {
    case zero
    case onePlain = "one-plain"
    /// A short flag from a little below the top.
    case oneShortFlag = "one-short-flag"
    /// A flag from low on the left, up to as long as the stem: a Λ leaning right.
    case oneLongFlag = "one-long-flag"
    /// A flag from the bottom-left corner: a full Λ.
    case oneCornerFlag = "one-corner-flag"
    /// A flag drawn apart, stopping short of the stem.
    case oneDetachedFlag = "one-detached-flag"
    case oneFlagFoot = "one-flag-foot"
    /// A small flag and a small foot, as printed.
    case oneSerif = "one-serif"
    case twoPlain = "two-plain"
    /// A small loop where the diagonal meets the base.
    case twoLoop = "two-loop"
    case three
    /// A long slant and a bar, the stem apart from the slant's top.
    case fourOpen = "four-open"
    case fourClosed = "four-closed"
    /// A short, often faint top bar.
    case fiveShortBar = "five-short-bar"
    case fiveLongBar = "five-long-bar"
    /// The top bar apart from the stem.
    case fiveDetachedBar = "five-detached-bar"
    case six
    case sevenPlain = "seven-plain"
    case sevenCrossed = "seven-crossed"
    /// The stem bowed out to the right, crossed half the time.
    case sevenCurved = "seven-curved"
    case eight
    case nineStraight = "nine-straight"
    /// The stem bending left at the foot.
    case nineCurved = "nine-curved"
    /// The tail curling back left like a g.
    case nineHooked = "nine-hooked"
    /// A big loop on a long straight diagonal tail.
    case nineBigLoop = "nine-big-loop"

    /// The digit this form writes.
    package var digit: Int {
        switch self {
        case .zero: return 0
        case .onePlain, .oneShortFlag, .oneLongFlag, .oneCornerFlag, .oneDetachedFlag, .oneFlagFoot, .oneSerif: return 1
        case .twoPlain, .twoLoop: return 2
        case .three: return 3
        case .fourOpen, .fourClosed: return 4
        case .fiveShortBar, .fiveLongBar, .fiveDetachedBar: return 5
        case .six: return 6
        case .sevenPlain, .sevenCrossed, .sevenCurved: return 7
        case .eight: return 8
        case .nineStraight, .nineCurved, .nineHooked, .nineBigLoop: return 9
        }
    }

    /// How often this form is drawn among its digit's forms (relative weights).
    var share: Int {
        switch self {
        case .onePlain, .twoPlain: return 3
        case .oneShortFlag, .oneLongFlag, .fiveLongBar, .sevenPlain, .nineStraight: return 2
        default: return 1
        }
    }

    /// A form of `digit` (0-9), drawn by the forms' shares.
    package static func random(digit: Int, random: inout SeededRandom) -> StrokeForm {
        let forms = allCases.filter { $0.digit == digit }
        var pick = random.integer(below: forms.map(\.share).reduce(0, +))
        for form in forms {
            if pick < form.share { return form }
            pick -= form.share
        }
        preconditionFailure("StrokeForm: no form of \(digit)")
    }

    /// The skeleton with its proportions drawn from `random`: y down, the digit about one
    /// unit high, its width (`w`) from about half that to nearly all of it.
    func skeleton(random r: inout SeededRandom) -> PenPath {
        var path = PenPath()
        let w = r.uniform(in: 0.55...0.8)
        func p(_ x: Float, _ y: Float) -> PenPoint { PenPoint(x * w, y) }
        switch self {
        case .zero:
            let overlap = r.uniform(in: -0.1...0.5)
            path.arc(centre: p(0.5, 0.5), radii: PenPoint(w / 2, 0.5), start: -Float.pi / 2 + r.uniform(in: -0.4...0.5),
                     sweep: -(2 * Float.pi + overlap))
        case .onePlain:
            path.move(to: PenPoint(0, 0))
            let lean = r.uniform(in: -0.05...0.08)
            path.quadratic(control: PenPoint(lean / 2 + r.uniform(in: -0.04...0.04), 0.5), to: PenPoint(lean, 1))
        case .oneShortFlag:
            oneWithFlag(&path, across: r.uniform(in: 0.12...0.3), down: r.uniform(in: 0.1...0.3), random: &r)
        case .oneLongFlag:
            oneWithFlag(&path, across: r.uniform(in: 0.28...0.55), down: r.uniform(in: 0.45...0.8), random: &r)
        case .oneCornerFlag:
            oneWithFlag(&path, across: r.uniform(in: 0.35...0.6), down: r.uniform(in: 0.85...1), random: &r)
        case .oneDetachedFlag:
            let gap = r.uniform(in: 0.04...0.1)
            path.move(to: PenPoint(-r.uniform(in: 0.15...0.4), r.uniform(in: 0.15...0.55)))
            path.line(to: PenPoint(-gap, gap * 0.6))
            path.move(to: PenPoint(0, 0))
            path.line(to: PenPoint(r.uniform(in: -0.04...0.06), 1))
        case .oneFlagFoot, .oneSerif:
            let serif = self == .oneSerif
            let foot = serif ? r.uniform(in: 0.08...0.16) : r.uniform(in: 0.15...0.3)
            let end = oneWithFlag(&path, across: serif ? r.uniform(in: 0.08...0.16) : r.uniform(in: 0.15...0.35),
                                  down: serif ? r.uniform(in: 0.04...0.12) : r.uniform(in: 0.12...0.4), random: &r)
            path.move(to: end - PenPoint(foot, r.uniform(in: -0.02...0.02)))
            path.line(to: end + PenPoint(foot * r.uniform(in: 0.8...1.2), 0))
        case .twoPlain, .twoLoop:
            path.move(to: p(r.uniform(in: 0...0.1), r.uniform(in: 0.12...0.35)))
            let arch = [p(0.5, 0), p(0.95, r.uniform(in: 0.15...0.3)), p(0.7, 0.55)]
            let loop = [p(0.15, 0.88), p(0.02, 0.82), p(0.15, 0.72), p(0.3, 0.84), p(0.25, 0.98)]
            path.smooth(through: arch + (self == .twoLoop ? loop : [p(r.uniform(in: 0...0.1), 1)]))
            path.line(to: p(r.uniform(in: 0.9...1.1), r.uniform(in: 0.95...1.02)))
        case .three:
            let middle = r.uniform(in: 0.42...0.52)
            path.move(to: p(r.uniform(in: 0...0.1), r.uniform(in: 0.05...0.2)))
            path.smooth(through: [p(0.5, 0), p(0.9, 0.17), p(0.6, middle - 0.04), p(r.uniform(in: 0.2...0.4), middle)])
            path.smooth(through: [p(0.8, middle + 0.1), p(0.97, 0.77), p(0.55, 1), p(0, r.uniform(in: 0.8...0.9))])
        case .fourOpen, .fourClosed:
            let bar = r.uniform(in: 0.55...0.7), stemX = r.uniform(in: 0.65...0.8)
            let slantTop = self == .fourOpen ? r.uniform(in: 0.1...stemX - 0.3) : stemX
            path.move(to: p(slantTop, 0))
            path.line(to: p(0, bar))
            path.line(to: p(1, bar - r.uniform(in: -0.02...0.05)))
            path.move(to: p(stemX, self == .fourOpen ? r.uniform(in: -0.05...0.25) : 0))
            path.line(to: p(stemX + r.uniform(in: -0.08...0.05), 1))
        case .fiveShortBar, .fiveLongBar, .fiveDetachedBar:
            let top = p(0.15, 0), corner = p(r.uniform(in: 0.02...0.15), r.uniform(in: 0.38...0.5))
            path.move(to: top)
            path.line(to: corner)
            path.smooth(through: [p(0.5, corner.y - 0.06), p(0.95, 0.66), p(0.6, 0.98), p(0, r.uniform(in: 0.8...0.92))])
            let rise = PenPoint(0, -r.uniform(in: -0.02...0.05))
            switch self {
            case .fiveShortBar:
                path.move(to: top, weight: r.uniform(in: 0.45...0.9))
                path.line(to: top + PenPoint(r.uniform(in: 0.25...0.45) * w, 0) + rise)
            case .fiveLongBar:
                path.move(to: top)
                path.line(to: top + PenPoint(r.uniform(in: 0.6...0.85) * w, 0) + rise)
            default:
                let start = top + PenPoint(r.uniform(in: 0.08...0.2) * w, -r.uniform(in: 0.04...0.1))
                path.move(to: start)
                path.line(to: start + PenPoint(r.uniform(in: 0.45...0.75) * w, 0) + rise)
            }
        case .six:
            let loopTop = r.uniform(in: 0.4...0.58)
            path.move(to: p(r.uniform(in: 0.75...0.95), r.uniform(in: 0...0.08)))
            path.smooth(through: [p(0.35, 0.18), p(0.03, 0.6), p(0.25, 0.97), p(0.75, 0.96), p(0.95, 0.75),
                                  p(0.55, loopTop), p(0.1, loopTop + 0.2)])
        case .sevenPlain, .sevenCrossed, .sevenCurved:
            let foot = p(r.uniform(in: 0.2...0.45), 1)
            path.move(to: p(0, r.uniform(in: -0.03...0.08)))
            path.line(to: p(1, 0))
            let stem: PenSegment = self == .sevenCurved
                ? .quadratic(control: p(r.uniform(in: 0.8...0.98), r.uniform(in: 0.4...0.55)), to: foot)
                : .line(to: foot)
            path.add(stem)
            let crossing = stem.point(at: r.uniform(in: 0.45...0.6), from: p(1, 0))
            if self == .sevenCrossed || (self == .sevenCurved && r.uniform() < 0.5) {
                let half = r.uniform(in: 0.15...0.3) * w
                path.move(to: crossing - PenPoint(half, 0))
                path.line(to: crossing + PenPoint(half * r.uniform(in: 0.8...1.2), r.uniform(in: -0.03...0.03)))
            }
        case .eight:
            // One stroke from the top right: the top loop anticlockwise, crossing in the middle,
            // the bottom loop clockwise, back up through the middle.
            let top = r.uniform(in: 0.7...0.95), middle = r.uniform(in: 0.42...0.5)
            func upper(_ x: Float, _ y: Float) -> PenPoint { p(0.5 + (x - 0.5) * top, y) }
            path.move(to: upper(0.8, 0.12))
            path.smooth(through: [upper(0.5, 0), upper(0.15, 0.14), upper(0.3, middle - 0.12), p(0.5, middle),
                                  p(0.88, 0.68), p(0.8, 0.93), p(0.45, 1), p(0.08, 0.85), p(0.2, middle + 0.15),
                                  p(0.5, middle), upper(0.75, middle - 0.15), upper(0.82, r.uniform(in: 0.08...0.16))])
        case .nineStraight, .nineCurved, .nineHooked, .nineBigLoop:
            let big = self == .nineBigLoop
            let width = big ? r.uniform(in: 0.7...0.95) : w
            let loop = big ? r.uniform(in: 0.28...0.34) : r.uniform(in: 0.2...0.28)
            let right = PenPoint(width, loop)
            path.arc(centre: PenPoint(width / 2, loop), radii: PenPoint(width / 2, loop), start: r.uniform(in: -0.7...0),
                     sweep: -(2 * Float.pi + r.uniform(in: -0.2...0.4)))
            switch self {
            case .nineStraight: path.line(to: PenPoint(width * r.uniform(in: 0.8...1), 1))
            case .nineCurved:
                path.quadratic(control: PenPoint(width * r.uniform(in: 0.9...1.05), r.uniform(in: 0.75...0.9)),
                               to: PenPoint(width * r.uniform(in: 0.35...0.6), 1))
            case .nineHooked:
                path.smooth(through: [right + PenPoint(0, 0.3), PenPoint(width * 0.92, 0.88), PenPoint(width * 0.6, 1),
                                      PenPoint(width * 0.25, 0.96), PenPoint(width * r.uniform(in: 0.05...0.2), 0.85)])
            default: path.line(to: PenPoint(width * r.uniform(in: 0.3...0.6), 1))
            }
        }
        return path
    }

    /// A one drawn from the flag's start `across` left of and `down` below the top, up to
    /// the top, then down the stem; returns the stem's foot.
    @discardableResult
    private func oneWithFlag(_ path: inout PenPath, across: Float, down: Float, random r: inout SeededRandom) -> PenPoint {
        let start = PenPoint(-across, down), top = PenPoint(0, 0)
        // A flag bows a little, mostly up and out.
        let outwards = PenPoint(-down, -across) / max(distance(start, top), 1e-3)
        path.move(to: start)
        path.quadratic(control: (start + top) / 2 + outwards * r.uniform(in: -0.03...0.08), to: top)
        let foot = PenPoint(r.uniform(in: -0.04...0.08), 1)
        path.line(to: foot)
        return foot
    }
}

extension SeededRandom {
    /// Uniform in `range`.
    mutating func uniform(in range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }
}
