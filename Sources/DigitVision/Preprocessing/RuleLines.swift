import DigitCompute

extension DigitPreprocessor {
    /// A printed rule of notebook paper (or a margin line): a thin straight band of ink running
    /// across the whole picture.
    ///
    /// Coordinates are "along" the line (x for a horizontal rule, y for a vertical one) and
    /// "across" it; the band's centre is at `across = offset + slope · (along - alongLength / 2)`.
    struct RuleLine: Equatable {
        var isVertical: Bool
        var offset: Double
        var slope: Double
        /// Band thickness in pixels, measured across the line.
        var thickness: Int
    }

    /// Reads a mask in a rule's (along, across) coordinates.
    struct OrientedMask {
        var mask: Plane<UInt8>
        var isVertical: Bool

        var alongLength: Int { isVertical ? mask.height : mask.width }
        var acrossLength: Int { isVertical ? mask.width : mask.height }

        func index(along: Int, across: Int) -> Int {
            isVertical ? along * mask.width + across : across * mask.width + along
        }

        func isInk(along: Int, across: Int) -> Bool {
            across >= 0 && across < acrossLength && mask.values[index(along: along, across: across)] == 1
        }

        /// The run of ink across the line through `(along, across)`, which must be ink.
        func run(along: Int, across: Int) -> ClosedRange<Int> {
            var low = across
            var high = across
            while isInk(along: along, across: low - 1) { low -= 1 }
            while isInk(along: along, across: high + 1) { high += 1 }
            return low...high
        }

        /// The ink pixel nearest `centre` within `radius` pixels across, if any.
        func nearestInk(along: Int, centre: Double, radius: Double) -> Int? {
            let low = Int((centre - radius).rounded(.up))
            let high = Int((centre + radius).rounded(.down))
            guard low <= high else { return nil }
            return (low...high).filter { isInk(along: along, across: $0) }
                .min { abs(Double($0) - centre) < abs(Double($1) - centre) }
        }
    }

    /// Finds rule lines in an ink mask with a Hough transform restricted to near-horizontal and
    /// near-vertical lines (tilt up to `maximumSlope`). A candidate counts as a rule only if its ink
    /// covers at least 75% of its length, reaches within 5% of both picture edges (paper continues
    /// past the frame; a digit's stroke stops short) and is thin: at most 3 px or 4% of the picture
    /// across. Pictures shorter than 32 px along a direction have no rules in it.
    static func detectRuleLines(mask: Plane<UInt8>, maximumSlope: Double = 0.08) -> [RuleLine] {
        [false, true].flatMap { isVertical -> [RuleLine] in
            let oriented = OrientedMask(mask: mask, isVertical: isVertical)
            return oriented.alongLength >= 32 ? detectRules(in: oriented, maximumSlope: maximumSlope) : []
        }
    }

    /// The Hough search of `detectRuleLines` along one orientation.
    static func detectRules(in oriented: OrientedMask, maximumSlope: Double) -> [RuleLine] {
        let length = oriented.alongLength
        let centre = Double(length) / 2
        // Neighbouring slopes differ by 1.5 px of drift over the whole length.
        let slopeStep = 1.5 / Double(length)
        let slopes = (-Int(maximumSlope / slopeStep)...Int(maximumSlope / slopeStep)).map { Double($0) * slopeStep }
        let binOffset = Int((maximumSlope * centre).rounded(.up)) + 1
        let binCount = oriented.acrossLength + 2 * binOffset
        var votes = [Int32](repeating: 0, count: slopes.count * binCount)
        // Only pixels on runs (across the line) no thicker than a rule can lie on one: the inside
        // of bold strokes does not vote, which keeps the transform cheap.
        let thickest = maximumRuleThickness(acrossLength: oriented.acrossLength)
        for along in 0..<length {
            var across = 0
            while across < oriented.acrossLength {
                guard oriented.isInk(along: along, across: across) else { across += 1; continue }
                let run = oriented.run(along: along, across: across)
                if run.count <= thickest {
                    for position in run {
                        for (s, slope) in slopes.enumerated() {
                            let bin = roundedToInt(Double(position) - slope * (Double(along) - centre)) + binOffset
                            votes[s * binCount + bin] += 1
                        }
                    }
                }
                across = run.upperBound + 1
            }
        }
        var rules: [RuleLine] = []
        let minimumVotes = Int32(0.6 * Double(length))
        for _ in 0..<64 {
            guard let best = votes.indices.max(by: { votes[$0] < votes[$1] }), votes[best] >= minimumVotes else { break }
            let rule = RuleLine(isVertical: oriented.isVertical, offset: Double(best % binCount - binOffset),
                                slope: slopes[best / binCount], thickness: 0)
            let thickness = ruleThickness(of: rule, in: oriented)
            if let thickness { rules.append(RuleLine(isVertical: rule.isVertical, offset: rule.offset,
                                                     slope: rule.slope, thickness: thickness)) }
            // Nothing else can be a rule at the same place, whatever its tilt.
            let reach = (thickness ?? 1) + 2
            let bin = best % binCount
            for s in slopes.indices {
                for b in max(bin - reach, 0)...min(bin + reach, binCount - 1) { votes[s * binCount + b] = 0 }
            }
        }
        return rules
    }

    /// The thickness of `candidate` if it passes as a rule (see `detectRuleLines`), else nil.
    static func ruleThickness(of candidate: RuleLine, in oriented: OrientedMask) -> Int? {
        let length = oriented.alongLength
        var runLengths: [Int] = []
        var first = length
        var last = -1
        for along in 0..<length {
            let centre = candidate.offset + candidate.slope * (Double(along) - Double(length) / 2)
            guard let across = oriented.nearestInk(along: along, centre: centre, radius: 1) else { continue }
            runLengths.append(oriented.run(along: along, across: across).count)
            first = min(first, along)
            last = max(last, along)
        }
        let edge = Int(0.05 * Double(length))
        guard Double(runLengths.count) >= 0.75 * Double(length), first <= edge, last >= length - 1 - edge else { return nil }
        let thickness = runLengths.sorted()[runLengths.count / 2]
        // A line along the frame's own edge is the edge of a tightly cropped digit (the bottom
        // bar of a 2, the top of a 7), not a rule; an outline there (a form's box) is dropped
        // with the components that span the frame.
        let nearest = min(candidate.offset - candidate.slope * Double(length) / 2,
                          candidate.offset + candidate.slope * Double(length) / 2)
        let farthest = max(candidate.offset - candidate.slope * Double(length) / 2,
                           candidate.offset + candidate.slope * Double(length) / 2)
        guard nearest > Double(thickness), farthest < Double(oriented.acrossLength - 1 - thickness) else { return nil }
        return thickness <= maximumRuleThickness(acrossLength: oriented.acrossLength) ? thickness : nil
    }

    /// The thickest a rule can be, in pixels: 3, or 4% of the picture across the rule if more.
    static func maximumRuleThickness(acrossLength: Int) -> Int {
        max(3, Int(0.04 * Double(acrossLength)))
    }

    /// Erases `rules` from `mask` and marks the erased pixels in the returned plane (1 = erased).
    ///
    /// Along each rule, the run of ink across it is erased only where the run is no thicker than
    /// the rule (+2 px): where a stroke crosses or sits on the rule the run is longer and stays,
    /// so the digit is not cut. A line holding at least half of the ink left is the digit itself
    /// (a tightly cropped 1, whose stroke spans the picture) and stays, and if erasing would leave
    /// no ink at all, nothing is erased.
    static func eraseRuleLines(_ rules: [RuleLine], from mask: inout Plane<UInt8>) -> Plane<UInt8> {
        var erased = Plane<UInt8>(width: mask.width, height: mask.height, repeating: 0)
        guard !rules.isEmpty else { return erased }
        var cleaned = mask
        var inkLeft = mask.values.reduce(0) { $0 + Int($1) }
        for rule in rules {
            let oriented = OrientedMask(mask: cleaned, isVertical: rule.isVertical)
            let length = oriented.alongLength
            var line: [Int] = []
            for along in 0..<length {
                let centre = rule.offset + rule.slope * (Double(along) - Double(length) / 2)
                let radius = Double(rule.thickness) / 2 + 1
                guard let across = oriented.nearestInk(along: along, centre: centre, radius: radius) else { continue }
                let run = oriented.run(along: along, across: across)
                guard run.count <= rule.thickness + 2 else { continue }
                line += run.map { oriented.index(along: along, across: $0) }
            }
            guard 2 * line.count < inkLeft else { continue }
            for index in line {
                cleaned.values[index] = 0
                erased.values[index] = 1
            }
            inkLeft -= line.count
        }
        guard cleaned.values.contains(1) else { return Plane(width: mask.width, height: mask.height, repeating: 0) }
        mask = cleaned
        return erased
    }
}
