import DigitCompute
import DigitImage

/// The ways a real digit picture differs from MNIST's, each made from one MNIST digit: what
/// tight crops, low-resolution and binary scans, form boxes, pens and writing habits do to a
/// digit. They measure (and train) how well `digit` reads pictures it was not made from.
///
/// Every variant is a picture as a person would hand it over: dark ink on white paper (unless
/// the kind says otherwise), any size, never the clean 28x28 MNIST layout.
package enum DigitVariant: String, CaseIterable, Sendable {
    /// Cropped to the ink's box (no margin at all), enlarged 4-8x by nearest neighbour.
    case tightNearest = "tight-nearest"
    /// Cropped to the ink's box, enlarged 4-8x bilinearly.
    case tightBilinear = "tight-bilinear"
    /// Cropped 1-2 px into the ink on every side, enlarged 4-8x by nearest neighbour.
    case cutNearest = "cut-nearest"
    /// Cropped 1-2 px into the ink on every side, enlarged 4-8x bilinearly.
    case cutBilinear = "cut-bilinear"
    /// Light ink on a dark ground (chalk, or a bitmap stored as counts), cropped to the ink.
    case tightLightOnDark = "tight-light-on-dark"
    /// Captured at 16x16 (the digit filling the box), 256 grey levels, enlarged 1-8x bilinearly.
    case scan16Grey = "scan16-grey"
    /// Captured at 16x16, 16 grey levels, enlarged 1-8x by nearest neighbour.
    case scan16Levels = "scan16-levels"
    /// Captured at 16x16, 1-bit, enlarged 1-8x by nearest neighbour.
    case scan16Binary = "scan16-binary"
    /// Captured at 16x16 and stretched to fill it (the aspect ratio lost), 1-bit, enlarged 1-8x.
    case stretched16Binary = "stretched16-binary"
    /// Stretched to fill a square box, 256 grey levels, enlarged 4x bilinearly.
    case stretchedGrey = "stretched-grey"
    /// A 32x32 1-bit form bitmap, the digit filling it.
    case form32Binary = "form32-binary"
    /// An 8x8 picture of 17 levels (0-16: the inked pixels of each 4x4 block of a 32x32 bitmap),
    /// enlarged 1-8x by nearest neighbour.
    case form8Levels = "form8-levels"
    /// Bold strokes: a thick felt pen after binarisation, at 4x.
    case bold
    /// Hairlines: a fine pen, strokes about one MNIST pixel wide, at 4x.
    case hairline
    /// Slanted right (the top leans right), at 4x.
    case slantRight = "slant-right"
    /// Slanted left, at 4x.
    case slantLeft = "slant-left"
    /// Ones with a long flag and a base, the European and form style, at 4x (ones only).
    case flaggedOne = "flagged-one"
    /// Sevens with a crossbar, the European style, at 4x (sevens only).
    case crossedSeven = "crossed-seven"

    /// The digits this kind applies to; nil for all.
    package var onlyDigit: Int? {
        switch self {
        case .flaggedOne: return 1
        case .crossedSeven: return 7
        default: return nil
        }
    }

    /// The variant of `digit`, one MNIST image (`side` x `side` bytes, white ink on black),
    /// with the kind's random choices (enlargement, cut, pen width) drawn from `random`.
    package func picture(of digit: [UInt8], side: Int, random: inout SeededRandom) -> GrayImage {
        let source = Coverage(width: side, height: side, values: digit.map { Float($0) / 255 })
        let box = source.inkBox(above: 0) ?? PixelRect(x: 0, y: 0, lastX: side - 1, lastY: side - 1)
        func enlargement(_ choices: [Int]) -> Int { choices[random.integer(below: choices.count)] }
        switch self {
        case .tightNearest:
            return source.cropped(to: box).enlargedNearest(by: enlargement([4, 5, 6, 7, 8])).darkOnLight()
        case .tightBilinear:
            return source.cropped(to: box).enlargedBilinear(by: enlargement([4, 5, 6, 7, 8])).darkOnLight()
        case .cutNearest, .cutBilinear:
            let (left, top) = (1 + random.integer(below: 2), 1 + random.integer(below: 2))
            let (right, bottom) = (1 + random.integer(below: 2), 1 + random.integer(below: 2))
            // A one's box may be too narrow to cut into across, a dash's too low to cut into down.
            let across = box.width - left - right >= 3, down = box.height - top - bottom >= 3
            let cut = box.inset(left: across ? left : 0, top: down ? top : 0,
                                right: across ? right : 0, bottom: down ? bottom : 0)
            let part = source.cropped(to: cut)
            let factor = enlargement([4, 5, 6, 7, 8])
            return (self == .cutNearest ? part.enlargedNearest(by: factor) : part.enlargedBilinear(by: factor)).darkOnLight()
        case .tightLightOnDark:
            return source.cropped(to: box).enlargedBilinear(by: enlargement([1, 4, 8])).lightOnDark()
        case .scan16Grey:
            return source.fitted(box, side: 16).enlargedBilinear(by: enlargement([1, 2, 4, 8])).darkOnLight()
        case .scan16Levels:
            return source.fitted(box, side: 16).quantised(levels: 16).enlargedNearest(by: enlargement([1, 2, 4, 8])).darkOnLight()
        case .scan16Binary:
            return source.fitted(box, side: 16).binarised().enlargedNearest(by: enlargement([1, 2, 4, 8])).darkOnLight()
        case .stretched16Binary:
            return source.stretched(box, side: 16).binarised().enlargedNearest(by: enlargement([1, 2, 4, 8])).darkOnLight()
        case .stretchedGrey:
            return source.stretched(box, side: 20).enlargedBilinear(by: 4).darkOnLight()
        case .form32Binary:
            return source.fitted(box, side: 32).binarised().darkOnLight()
        case .form8Levels:
            let blocks = source.fitted(box, side: 32).binarised().areaAveraged(by: 4)
            return Coverage(width: 8, height: 8, values: blocks.values.map { ($0 * 16).rounded() / 16 })
                .enlargedNearest(by: enlargement([1, 2, 4, 8])).darkOnLight()
        case .bold:
            let pen = source.enlargedBilinear(by: 4).binarised()
            return pen.dilated(radius: 3 + Float(random.integer(below: 4))).darkOnLight()
        case .hairline:
            return source.enlargedBilinear(by: 4).binarised().thinned().dilated(radius: 1.5).darkOnLight()
        case .slantRight, .slantLeft:
            let amount = 0.25 + 0.2 * random.uniform()
            return source.enlargedBilinear(by: 4).sheared(self == .slantRight ? amount : -amount).darkOnLight()
        case .flaggedOne:
            var pen = source.enlargedBilinear(by: 4).binarised()
            pen.addFlagAndBase(penRadius: pen.typicalHalfWidth())
            return pen.darkOnLight()
        case .crossedSeven:
            var pen = source.enlargedBilinear(by: 4).binarised()
            pen.addCrossbar(penRadius: pen.typicalHalfWidth())
            return pen.darkOnLight()
        }
    }
}

/// A grey picture as ink coverage (0 paper ... 1 ink), row-major: what the variants are made on.
struct Coverage {
    var width: Int
    var height: Int
    var values: [Float]

    subscript(x: Int, y: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }

    /// The box of the pixels above `level`, or nil.
    func inkBox(above level: Float) -> PixelRect? {
        var box: PixelRect?
        for y in 0..<height {
            for x in 0..<width where self[x, y] > level {
                let pixel = PixelRect(x: x, y: y, lastX: x, lastY: y)
                box = box?.union(pixel) ?? pixel
            }
        }
        return box
    }

    func cropped(to box: PixelRect) -> Coverage {
        var part: [Float] = []
        for y in box.y...box.lastY { part += values[(y * width + box.x)...(y * width + box.lastX)] }
        return Coverage(width: box.width, height: box.height, values: part)
    }

    func enlargedNearest(by factor: Int) -> Coverage {
        guard factor > 1 else { return self }
        var result = [Float](repeating: 0, count: width * height * factor * factor)
        for y in 0..<(height * factor) {
            for x in 0..<(width * factor) { result[y * width * factor + x] = self[x / factor, y / factor] }
        }
        return Coverage(width: width * factor, height: height * factor, values: result)
    }

    /// Bilinear enlargement, sampling at pixel centres and clamping at the edges (as image
    /// editors do: ink touching the frame stays touching it).
    func enlargedBilinear(by factor: Int) -> Coverage {
        guard factor > 1 else { return self }
        let plane = DigitPreprocessor.Plane(width: width, height: height, values: values)
        let fine = DigitPreprocessor.bilinearResample(plane, originX: 0, originY: 0, scale: Double(factor),
                                                      width: width * factor, height: height * factor)
        return Coverage(width: fine.width, height: fine.height, values: fine.values)
    }

    /// The part in `box` area-averaged into `w` x `h` pixels; either axis may shrink or grow.
    func resampled(_ box: PixelRect, width w: Int, height h: Int) -> Coverage {
        let plane = DigitPreprocessor.Plane(width: width, height: height, values: values)
        let part = DigitPreprocessor.areaResample(plane, originX: Double(box.x), originY: Double(box.y),
                                                  scaleX: Double(w) / Double(box.width), scaleY: Double(h) / Double(box.height),
                                                  width: w, height: h)
        return Coverage(width: w, height: h, values: part.values)
    }

    /// The whole picture area-averaged into `w` x `h` pixels (at least one each way).
    func resized(width w: Int, height h: Int) -> Coverage {
        resampled(PixelRect(x: 0, y: 0, width: width, height: height), width: max(1, w), height: max(1, h))
    }

    /// The picture centred on `side` x `side` of paper (it must fit).
    private func centred(side: Int) -> Coverage {
        var result = Coverage(width: side, height: side, values: [Float](repeating: 0, count: side * side))
        let left = (side - width) / 2, top = (side - height) / 2
        for y in 0..<height { for x in 0..<width { result[left + x, top + y] = self[x, y] } }
        return result
    }

    /// The ink in `box` captured at `side` x `side`, its longer side filling the frame and its
    /// shape kept (centred along the shorter side).
    func fitted(_ box: PixelRect, side: Int) -> Coverage {
        let scale = Double(side) / Double(max(box.width, box.height))
        let w = max(1, min(side, Int((Double(box.width) * scale).rounded())))
        let h = max(1, min(side, Int((Double(box.height) * scale).rounded())))
        return resampled(box, width: w, height: h).centred(side: side)
    }

    /// The ink in `box` stretched to fill `side` x `side` on both axes.
    func stretched(_ box: PixelRect, side: Int) -> Coverage {
        resampled(box, width: side, height: side)
    }

    func quantised(levels: Int) -> Coverage {
        let top = Float(levels - 1)
        return Coverage(width: width, height: height, values: values.map { ($0 * top).rounded() / top })
    }

    func binarised(at level: Float = 0.5) -> Coverage {
        Coverage(width: width, height: height, values: values.map { $0 >= level ? 1 : 0 })
    }

    /// Every pixel within `radius` px of an inked one inked (a round pen).
    func dilated(radius: Float) -> Coverage {
        let reach = Int(radius.rounded(.down))
        var result = values
        for y in 0..<height {
            for x in 0..<width where self[x, y] >= 0.5 {
                for dy in -reach...reach where y + dy >= 0 && y + dy < height {
                    for dx in -reach...reach where x + dx >= 0 && x + dx < width
                        && Float(dx * dx + dy * dy) <= radius * radius {
                        result[(y + dy) * width + x + dx] = 1
                    }
                }
            }
        }
        return Coverage(width: width, height: height, values: result)
    }

    /// The binary shape's skeleton, one pixel wide (Zhang & Suen 1984).
    func thinned() -> Coverage {
        var ink = values.map { $0 >= 0.5 }
        func at(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height && ink[y * width + x] }
        var changed = true
        while changed {
            changed = false
            for pass in 0..<2 {
                var remove: [Int] = []
                for y in 0..<height {
                    for x in 0..<width where ink[y * width + x] {
                        // Neighbours P2...P9, clockwise from north.
                        let p = [at(x, y - 1), at(x + 1, y - 1), at(x + 1, y), at(x + 1, y + 1),
                                 at(x, y + 1), at(x - 1, y + 1), at(x - 1, y), at(x - 1, y - 1)]
                        let count = p.filter { $0 }.count
                        let transitions = (0..<8).filter { !p[$0] && p[($0 + 1) % 8] }.count
                        guard (2...6).contains(count), transitions == 1 else { continue }
                        let keep = pass == 0
                            ? (p[0] && p[2] && p[4]) || (p[2] && p[4] && p[6])
                            : (p[0] && p[2] && p[6]) || (p[0] && p[4] && p[6])
                        if !keep { remove.append(y * width + x) }
                    }
                }
                for index in remove { ink[index] = false }
                changed = changed || !remove.isEmpty
            }
        }
        return Coverage(width: width, height: height, values: ink.map { $0 ? 1 : 0 })
    }

    /// Shears horizontally about the centre: `x' = x + amount · (centreY - y)`, so a positive
    /// amount leans the top to the right. The frame widens to keep every pixel.
    func sheared(_ amount: Float) -> Coverage {
        let extra = Int((abs(amount) * Float(height)).rounded(.up))
        let newWidth = width + extra
        var result = [Float](repeating: 0, count: newWidth * height)
        let centreY = Float(height - 1) / 2
        for y in 0..<height {
            let offset = amount * (centreY - Float(y)) + Float(extra) / 2
            for x in 0..<newWidth {
                let source = Float(x) - offset
                let low = Int(source.rounded(.down))
                let t = source - Float(low)
                let a = low >= 0 && low < width ? self[low, y] : 0
                let b = low + 1 >= 0 && low + 1 < width ? self[low + 1, y] : 0
                result[y * newWidth + x] = a + t * (b - a)
            }
        }
        return Coverage(width: newWidth, height: height, values: result)
    }

    /// Half the typical stroke width of a binary shape, in pixels: its ink area over the length
    /// of its skeleton, halved.
    func typicalHalfWidth() -> Float {
        let area = values.filter { $0 >= 0.5 }.count
        let length = max(1, thinned().values.filter { $0 >= 0.5 }.count)
        return max(1, Float(area) / Float(length) / 2)
    }

    /// Draws a straight stroke from `(x0, y0)` to `(x1, y1)` with a round pen of `radius` px.
    mutating func drawStroke(from start: (Float, Float), to end: (Float, Float), radius: Float) {
        let length = max(abs(end.0 - start.0), abs(end.1 - start.1))
        let steps = max(1, Int(length.rounded(.up)))
        let reach = Int(radius.rounded(.up))
        for step in 0...steps {
            let t = Float(step) / Float(steps)
            let cx = start.0 + t * (end.0 - start.0), cy = start.1 + t * (end.1 - start.1)
            for y in (Int(cy) - reach)...(Int(cy) + reach) where y >= 0 && y < height {
                for x in (Int(cx) - reach)...(Int(cx) + reach) where x >= 0 && x < width {
                    let dx = Float(x) - cx, dy = Float(y) - cy
                    if dx * dx + dy * dy <= radius * radius { self[x, y] = 1 }
                }
            }
        }
    }

    /// The mean column of the ink in row `y`, or nil if the row has none.
    func inkCentre(row y: Int) -> Float? {
        let xs = (0..<width).filter { self[$0, y] >= 0.5 }
        return xs.isEmpty ? nil : Float(xs.reduce(0, +)) / Float(xs.count)
    }

    /// A one's European flag (from the top of the stroke down to the left, about 40% of the
    /// height) and base (a bar under the stroke about half the height wide).
    mutating func addFlagAndBase(penRadius: Float) {
        guard let box = inkBox(above: 0.5) else { return }
        let h = Float(box.height)
        let topX = inkCentre(row: box.y) ?? Float(box.x)
        let bottomX = inkCentre(row: box.lastY) ?? Float(box.x)
        drawStroke(from: (topX, Float(box.y)), to: (topX - 0.3 * h, Float(box.y) + 0.3 * h), radius: penRadius)
        drawStroke(from: (bottomX - 0.22 * h, Float(box.lastY)), to: (bottomX + 0.22 * h, Float(box.lastY)), radius: penRadius)
    }

    /// A seven's crossbar: a horizontal bar through the stem at 55% of the height, 40% of the
    /// height long.
    mutating func addCrossbar(penRadius: Float) {
        guard let box = inkBox(above: 0.5) else { return }
        let h = Float(box.height)
        let y = box.y + Int(0.55 * h)
        guard let stemX = inkCentre(row: y) else { return }
        drawStroke(from: (stemX - 0.2 * h, Float(y)), to: (stemX + 0.2 * h, Float(y)), radius: penRadius)
    }

    /// As an 8-bit picture of dark ink on white paper.
    func darkOnLight() -> GrayImage {
        GrayImage(width: width, height: height, pixels: values.map { UInt8((255 * (1 - min(max($0, 0), 1))).rounded()) })
    }

    /// As an 8-bit picture of light ink on black.
    func lightOnDark() -> GrayImage {
        GrayImage(width: width, height: height, pixels: values.map { UInt8((255 * min(max($0, 0), 1)).rounded()) })
    }
}

extension DigitVariant {
    /// A picture of `digit` (an MNIST image, `side` x `side`, white ink on black) as a person
    /// might hand it over, for training: each trait drawn at random and independently, over
    /// wider, continuous ranges than the named kinds (which measure), so a network trained on
    /// them does not learn one generator's style. Pen: as written, bold or a hairline; European
    /// shapes for ones and sevens; then `Coverage.randomCapture` (framing, resolution, levels,
    /// enlargement); dark or (rarely) light ink (`lightInk`).
    package static func randomPicture(of digit: [UInt8], label: Int, side: Int, random: inout SeededRandom)
        -> (picture: GrayImage, lightInk: Bool) {
        var picture = Coverage(width: side, height: side, values: digit.map { Float($0) / 255 })
        let pen = random.uniform()
        let shape = random.uniform()
        if pen < 0.3 || (shape < 0.3 && (label == 1 || label == 7)) {
            var fine = picture.enlargedBilinear(by: 4).binarised()
            if pen < 0.15 { fine = fine.dilated(radius: 2 + 4 * random.uniform()) }
            else if pen < 0.3 { fine = fine.thinned().dilated(radius: 1 + random.uniform()) }
            if shape < 0.3 && label == 1 { fine.addFlagAndBase(penRadius: fine.typicalHalfWidth()) }
            if shape < 0.3 && label == 7 { fine.addCrossbar(penRadius: fine.typicalHalfWidth()) }
            picture = fine.areaAveraged(by: 4)
        }
        let captured = picture.randomCapture(random: &random)
        return random.uniform() < 0.1 ? (captured.lightOnDark(), true) : (captured.darkOnLight(), false)
    }
}

extension Coverage {
    /// The ink of `picture` (dark ink on white paper).
    init(inkOf picture: GrayImage) {
        self.init(width: picture.width, height: picture.height, values: picture.pixels.map { 1 - Float($0) / 255 })
    }

    /// Mean coverage of each `factor` x `factor` block (sides rounded down).
    func areaAveraged(by factor: Int) -> Coverage {
        let w = width / factor, h = height / factor
        var result = [Float](repeating: 0, count: w * h)
        for y in 0..<(h * factor) { for x in 0..<(w * factor) { result[(y / factor) * w + x / factor] += self[x, y] } }
        return Coverage(width: w, height: h, values: result.map { $0 / Float(factor * factor) })
    }

    /// The picture inside a border of `margin` paper pixels.
    func padded(by margin: Int) -> Coverage {
        guard margin > 0 else { return self }
        var result = Coverage(width: width + 2 * margin, height: height + 2 * margin,
                              values: [Float](repeating: 0, count: (width + 2 * margin) * (height + 2 * margin)))
        for y in 0..<height { for x in 0..<width { result[x + margin, y + margin] = self[x, y] } }
        return result
    }
}

extension Coverage {
    /// How a person's picture of this ink (0 paper ... 1 ink, any size) arrives, each trait
    /// drawn from `random` independently. Framing: a margin of paper (up to 30% of the ink's
    /// longer side), tight to the ink, or cut 1-2 px into it; capture: as is, or at 7 to 20 px
    /// keeping or losing the aspect ratio; 256, 16 or 2 levels; enlarged 1-6x by nearest
    /// neighbour or bilinearly. Blank coverage comes back as it is.
    func randomCapture(random: inout SeededRandom) -> Coverage {
        var picture = self
        guard var box = picture.inkBox(above: 0) else { return picture }
        let framing = random.uniform()
        if framing < 0.25 {
            let margin = Int((Float(max(box.width, box.height)) * 0.3 * random.uniform()).rounded())
            // The ink's box with `margin` of paper around it, in the padded picture's pixels.
            picture = picture.padded(by: margin)
            box = box.inset(left: 0, top: 0, right: -2 * margin, bottom: -2 * margin)
        } else if framing < 0.45 && box.width > 6 && box.height > 6 {
            // Both sides exceed 6 px, so a cut of at most 4 px leaves at least 3.
            let (left, top) = (1 + random.integer(below: 2), 1 + random.integer(below: 2))
            box = box.inset(left: left, top: top, right: 1 + random.integer(below: 2), bottom: 1 + random.integer(below: 2))
        }
        let capture = random.uniform()
        let lowSide = 7 + random.integer(below: 14)
        if capture < 0.35 {
            picture = picture.fitted(box, side: lowSide)
        } else if capture < 0.55 {
            picture = picture.stretched(box, side: lowSide)
        } else {
            picture = picture.cropped(to: box)
        }
        let levels = random.uniform()
        if levels < 0.3 { picture = picture.binarised(at: 0.3 + 0.4 * random.uniform()) }
        else if levels < 0.45 { picture = picture.quantised(levels: 16) }
        let factor = 1 + random.integer(below: 6)
        picture = random.uniform() < 0.5 ? picture.enlargedNearest(by: factor) : picture.enlargedBilinear(by: factor)
        return picture
    }
}
