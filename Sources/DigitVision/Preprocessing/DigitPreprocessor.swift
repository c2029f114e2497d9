import DigitImage

/// The picture holds nothing to classify.
public enum PreprocessingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No ink stands out from the background: the picture is blank, uniform, too faint, or holds
    /// only specks.
    case noInk

    public var description: String {
        switch self {
        case .noInk: return "no digit found: the picture has no ink that stands out from its background"
        }
    }
}

/// Turns a person's picture of one digit into a 28x28 image that looks like an MNIST digit.
///
/// The input is 8-bit gray as seen (0 black, 255 white), any size, ink of either polarity. The
/// output is white ink (up to 255) on a black (exactly 0) background, the digit's bounding box
/// 20 px on its longer side, its intensity-weighted centre of mass on pixel (14, 14), and strokes
/// about as wide as MNIST's. Its bytes / 255 are the network input, as for MNIST.
///
/// Steps: shrink a picture enlarged by nearest neighbour back to its own pixels
/// (`undoingBlockEnlargement`); area-average large pictures down (`analysisSide`) and lift a shadow cast across the paper
/// (`shadowsLifted`); fit a smooth background surface to
/// the non-ink pixels and decide the ink's polarity; threshold the ink (Otsu); erase notebook rule
/// lines; keep the digit's connected components and drop specks, far-away marks and shadows or
/// edges spanning the frame (a sheet photographed on a table is searched again inside); redraw the
/// digit as a binary shape on a fine grid, as NIST's bilevel digits were, widening or thinning the
/// strokes into `strokeWidths`; area-average it into a 20 px box; centre it by mass with an
/// integer shift. An MNIST digit passes through nearly unchanged.
package struct DigitPreprocessor: Sendable {
    /// Side of the square output, in pixels (MNIST: 28).
    package static let outputSide = 28
    /// Longer side of the digit's bounding box in the output, in pixels (MNIST: 20).
    package static let digitBoxSide = 20
    /// Row and column (0-indexed) of the output pixel the centre of mass lands on (MNIST: 14).
    package static let centre = 14

    /// Pictures whose longer side exceeds this many pixels are area-averaged down to it before
    /// analysis, which bounds the time per picture; keep it ≥ 256 so thin pen strokes survive.
    package var analysisSide = 512
    /// The digit is redrawn with its box at least this many pixels on the longer side before the
    /// final area averaging (6x the 20 px box), which gives MNIST-like anti-aliased edges.
    package var renderSide = 120
    /// Mean stroke widths, in output pixels, that are kept as drawn; wider or thinner strokes
    /// are thinned or widened to the nearer bound. The default is the middle 80% of MNIST digits.
    package var strokeWidths: ClosedRange<Float> = 1.8...3.5
    /// The least contrast, in gray levels, between ink and background that counts as ink.
    package var minimumContrast: Float = 12
    /// Whether long thin lines across the whole picture (notebook rules) are erased.
    package var removesRuleLines = true

    package init() {}

    /// The MNIST-style 28x28 version of `image`; throws `PreprocessingError.noInk` if it has no digit.
    package func preprocess(_ image: GrayImage) throws -> GrayImage {
        guard image.width > 0, image.height > 0 else { throw PreprocessingError.noInk }
        let image = Self.undoingBlockEnlargement(image)
        if let digit = Self.alreadyMNISTStyle(image) { return digit }
        return try mnistStyleDigit(in: Self.analysisPlane(image, maximumSide: analysisSide), mayLookInsidePaper: true)
    }

    /// The MNIST-style 28x28s `image` may be: one, or two when its border cannot tell the paper
    /// from the ink (a tight crop of a bold digit or of a one, nearly all ink): read as dark ink
    /// on light paper first, then as light ink on dark. A reader keeps the one it reads more
    /// confidently. Throws `PreprocessingError.noInk` if no reading finds a digit.
    package func candidates(_ image: GrayImage) throws -> [GrayImage] {
        guard image.width > 0, image.height > 0 else { throw PreprocessingError.noInk }
        let image = Self.undoingBlockEnlargement(image)
        if let digit = Self.alreadyMNISTStyle(image) { return [digit] }
        let plane = Self.analysisPlane(image, maximumSide: analysisSide)
        guard Self.paperPixels(plane, minimumContrast: minimumContrast).ambiguous else {
            return [try mnistStyleDigit(in: plane, mayLookInsidePaper: true)]
        }
        let readings = [PaperSide.light, .dark].compactMap { try? mnistStyleDigit(in: plane, mayLookInsidePaper: true, paper: $0) }
        guard !readings.isEmpty else { throw PreprocessingError.noInk }
        return readings
    }

    /// The pipeline on the analysis plane (gray levels). If the ink found is a sheet of paper on a
    /// table (`paperRegion`) and `mayLookInsidePaper`, it runs again inside the sheet, keeping the
    /// first result if the sheet holds no ink.
    func mnistStyleDigit(in picture: Plane<Float>, mayLookInsidePaper: Bool, paper: PaperSide? = nil) throws -> GrayImage {
        let (strength, threshold, mask, erased, noise, _) = try foundInk(in: picture, paper: paper)
        let (labels, components) = Self.labelComponents(mask: mask, strength: strength)
        let chosen = Self.selectDigitComponents(components, frameWidth: picture.width, frameHeight: picture.height)
        if mayLookInsidePaper, let main = chosen.first,
           let sheet = Self.paperRegion(components[main], frameWidth: picture.width, frameHeight: picture.height),
           let inside = try? mnistStyleDigit(in: picture.cropped(to: sheet), mayLookInsidePaper: false) {
            return inside
        }
        guard let box = chosen.map({ components[$0].box }).reduce(nil, { $0?.union($1) ?? $1 }),
              box.longerSide >= max(2, Int(0.02 * Double(max(picture.width, picture.height))))
        else { throw PreprocessingError.noInk }
        let digitInk = Self.digitStrength(strength: strength, labels: labels, chosen: chosen, box: box, excluded: erased)
        let level = Self.inkLevel(strength: digitInk, mask: Self.inkMask(strength: digitInk, threshold: threshold))
        guard level >= max(minimumContrast, 5 * noise) else { throw PreprocessingError.noInk }
        // The stroke's edge is where the strength is half the ink's: Otsu's level separates ink from
        // paper robustly, but can sit lower, which would fatten strokes.
        let edge = max(level / 2, 3 * noise, minimumContrast / 2)
        guard let scaled = Self.scaledToBox(renderedStrokes(digitInk, box: box, edgeLevel: edge),
                                            boxSide: Self.digitBoxSide)
        else { throw PreprocessingError.noInk }
        let placed = Self.centredByMass(Self.grayLevels(fromCoverage: scaled), side: Self.outputSide, centre: Self.centre)
        return GrayImage(width: placed.width, height: placed.height, pixels: placed.values.map { UInt8($0) })
    }

    /// The ink stage shared by `preprocess` and `inkMap`: background surface and noise, polarity,
    /// ink strength, its threshold and mask, with notebook rules erased from the mask (`erased`
    /// is 1 where they were). `paper` chooses which side of the gray levels is the paper (and so
    /// the polarity) instead of deciding it. Throws `PreprocessingError.noInk` when no ink stands out.
    func foundInk(in picture: Plane<Float>, paper: PaperSide? = nil) throws
        -> (strength: Plane<Float>, threshold: Float, mask: Plane<UInt8>, erased: Plane<UInt8>, noise: Float,
            polarity: InkPolarity)
    {
        let (surface, noise) = Self.fitBackground(picture, paper: paper, minimumContrast: minimumContrast)
        let residuals = surface.residuals(of: picture)
        guard let found = Self.inkPolarity(residuals: residuals, noise: noise, minimumContrast: minimumContrast)
        else { throw PreprocessingError.noInk }
        let polarity = paper.map { $0 == .light ? InkPolarity.darkOnLight : .lightOnDark } ?? found
        let strength = Self.inkStrength(residuals: residuals, polarity: polarity)
        let threshold = Self.inkThreshold(strength: strength, noise: noise, minimumContrast: minimumContrast)
        var mask = Self.inkMask(strength: strength, threshold: threshold)
        let erased = removesRuleLines
            ? Self.eraseRuleLines(Self.detectRuleLines(mask: mask), from: &mask)
            : Plane(width: mask.width, height: mask.height, repeating: 0)
        return (strength, threshold, mask, erased, noise, polarity)
    }

    /// The picture as Float gray levels, area-averaged down (each axis to a whole number of
    /// pixels) if its longer side exceeds `maximumSide`, with a shadow across the paper lifted
    /// (`shadowsLifted`).
    static func analysisPlane(_ image: GrayImage, maximumSide: Int) -> Plane<Float> {
        shadowsLifted(averagedDown(image, maximumSide: maximumSide))
    }

    /// The picture as Float gray levels, area-averaged down if its longer side exceeds `maximumSide`.
    static func averagedDown(_ image: GrayImage, maximumSide: Int) -> Plane<Float> {
        let longer = max(image.width, image.height)
        guard longer > maximumSide else {
            return Plane(width: image.width, height: image.height, values: image.pixels.map { Float($0) })
        }
        let factor = Double(maximumSide) / Double(longer)
        let width = max(1, Int((Double(image.width) * factor).rounded()))
        let height = max(1, Int((Double(image.height) * factor).rounded()))
        return areaResample(Plane(width: image.width, height: image.height, values: image.pixels),
                            originX: 0, originY: 0,
                            scaleX: Double(width) / Double(image.width), scaleY: Double(height) / Double(image.height),
                            width: width, height: height)
    }

    /// Redraws the digit's ink (`digit`, ink strength in the analysis plane, inked within `box`) as
    /// anti-aliased coverage 0...1 on a grid fine enough that its box is at least `renderSide` px:
    /// bilinear upsampling (for small pictures) and `edgeLevel` (gray levels) give a smooth binary shape,
    /// whose edges then move so the strokes fall within `strokeWidths` once the box is 20 px
    /// (thinning only as far as it keeps the digit whole).
    /// The grid has a margin of 15% of the box for widened strokes.
    func renderedStrokes(_ digit: Plane<Float>, box: PixelRect, edgeLevel: Float) -> Plane<Float> {
        let scale = max(1, Double(renderSide) / Double(box.longerSide))
        let margin = Int((0.15 * Double(box.longerSide) * scale).rounded(.up)) + 2
        let fine = Self.bilinearResample(
            digit, originX: Double(box.x) - Double(margin) / scale, originY: Double(box.y) - Double(margin) / scale,
            scale: scale,
            width: Int((Double(box.width) * scale).rounded(.up)) + 2 * margin,
            height: Int((Double(box.height) * scale).rounded(.up)) + 2 * margin)
        let mask = Self.inkMask(strength: fine, threshold: edgeLevel)
        let inside = Self.squaredDistanceTransform(mask, to: 0)
        let width = Self.meanStrokeWidth(mask: mask, insideSquared: inside)
        let wanted = Self.strokeEdgeOffset(meanWidth: width, boxSide: Float(Self.inkedBox(mask)?.longerSide ?? 0),
                                           boxSideOut: Float(Self.digitBoxSide), widths: strokeWidths)
        let offset = wanted < 0
            ? Self.safeThinning(mask: mask, insideSquared: inside, offset: wanted)
            : min(wanted, Float(margin - 1))
        let outside = offset > 0 ? Self.squaredDistanceTransform(mask, to: 1) : nil
        return Self.strokeCoverage(mask: mask, insideSquared: inside, outsideSquared: outside, offset: offset)
    }

    /// The bounding box of the pixels with mask value 1, or nil if there are none.
    static func inkedBox(_ mask: Plane<UInt8>) -> PixelRect? {
        var box: PixelRect?
        for y in 0..<mask.height {
            for x in 0..<mask.width where mask[x, y] == 1 {
                let pixel = PixelRect(x: x, y: y, lastX: x, lastY: y)
                box = box?.union(pixel) ?? pixel
            }
        }
        return box
    }
}

/// `DigitPreprocessor()` with its default options applied to `image`: a 28x28 MNIST-style digit
/// (white ink on black). Throws `PreprocessingError.noInk` when the picture has no digit.
package func preprocessDigit(_ image: GrayImage) throws -> GrayImage {
    try DigitPreprocessor().preprocess(image)
}
