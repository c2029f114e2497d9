@testable import DigitImage
@testable import DigitStore
@testable import DigitVision
import Foundation
import Testing

/// Preprocessing of people's pictures into MNIST-style 28x28 digits, on synthetic pictures of
/// known geometry (`SyntheticDigits.swift`) and, when the data is present, on real MNIST digits.
struct PreprocessingTests {

    /// Checks what every output must satisfy: 28x28, black background, MNIST-like ink peak,
    /// centre of mass within half a pixel of (14, 14), ink box 19-20 px on its longer side.
    func expectMNISTGeometry(_ output: GrayImage, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(output.width == 28 && output.height == 28, sourceLocation: sourceLocation)
        let centre = InkMeasure.centreOfMass(output)
        #expect(abs(centre.row - 14) <= 0.5 && abs(centre.column - 14) <= 0.5,
                "centre of mass \(centre)", sourceLocation: sourceLocation)
        let box = InkMeasure.inkBox(output)
        #expect((19...20).contains(max(box.width, box.height)), "ink box \(box)", sourceLocation: sourceLocation)
        #expect((output.pixels.max() ?? 0) >= 250, sourceLocation: sourceLocation)
        let corners = [output[0, 0], output[27, 0], output[0, 27], output[27, 27]]
        #expect(corners.allSatisfy { $0 == 0 }, sourceLocation: sourceLocation)
    }

    // MARK: - MNIST-style input passes through

    @Test(arguments: SyntheticDigitShape.allCases)
    func mnistStyleDigitPassesThroughNearlyUnchanged(shape: SyntheticDigitShape) throws {
        let digit = SyntheticPicture.mnistStyle(shape.paths)
        let output = try preprocessDigit(digit)
        expectMNISTGeometry(output)
        let aligned = InkMeasure.aligned(output, to: digit)
        let difference = InkMeasure.meanAbsoluteDifference(aligned, digit)
        let overlap = InkMeasure.strongInkIoU(aligned, digit)
        #expect(difference < 6, "mean absolute difference \(difference) gray levels")
        #expect(overlap > 0.8, "IoU of ink above 127: \(overlap)")
    }

    // MARK: - People's pictures of the same digit agree

    /// The same "2" drawn as people might. The reference (dark on white, a 36 px pen on a 320 px
    /// digit, so about 2 px once its box is 20 px) needs no stroke correction.
    enum Variant: String, CaseIterable, CustomTestStringConvertible {
        case darkOnWhite, whiteOnBlack, offCentreOnLargePage, lightingGradient, notebookRules,
             pencilOnRuledPaper, faintPencil, stickyNote, stickyNoteOnDarkDesk, shadowAlongEdge,
             noisyPhoto, thickMarker, thinPen, smallLowResolution

        var testDescription: String { rawValue }

        var picture: GrayImage {
            let two = SyntheticDigitShape.two.paths
            let origin = SIMD2<Double>(90, 40)
            switch self {
            case .darkOnWhite:
                return SyntheticPicture(width: 400, height: 400).draw(two, origin: origin, size: 320, penWidth: 36)
            case .whiteOnBlack:
                return SyntheticPicture(width: 400, height: 400, paper: 25, ink: 235)
                    .draw(two, origin: origin, size: 320, penWidth: 36)
            case .offCentreOnLargePage:
                return SyntheticPicture(width: 1000, height: 800).draw(two, origin: SIMD2(120, 380), size: 320, penWidth: 36)
            case .lightingGradient:
                return SyntheticPicture(width: 400, height: 400, paper: 250, ink: 40, gradient: SIMD2(-0.2, -0.15))
                    .draw(two, origin: origin, size: 320, penWidth: 36)
            case .notebookRules:
                var page = SyntheticPicture(width: 600, height: 500)
                page.ruleSpacing = 45
                return page.draw(two, origin: SIMD2(190, 90), size: 320, penWidth: 36)
            case .pencilOnRuledPaper:
                // The rules are darker than the pencil, so thresholding alone keeps them as ink.
                var page = SyntheticPicture(width: 600, height: 500, paper: 240, ink: 185, noise: 2)
                page.ruleSpacing = 45
                page.ruleLevel = 150
                return page.draw(two, origin: SIMD2(190, 90), size: 320, penWidth: 36)
            case .faintPencil:
                return SyntheticPicture(width: 400, height: 400, paper: 235, ink: 195, noise: 3)
                    .draw(two, origin: origin, size: 320, penWidth: 36)
            case .stickyNote:
                return SyntheticPicture(width: 400, height: 400, paper: 200, ink: 70)
                    .draw(two, origin: origin, size: 320, penWidth: 36)
            case .stickyNoteOnDarkDesk:
                // The border is desk, not paper: the whole note stands out from it.
                let note = SyntheticPicture(width: 400, height: 400, paper: 215, ink: 30)
                    .draw(two, origin: origin, size: 320, penWidth: 36)
                var desk = GrayImage(width: 600, height: 560, filledWith: 60)
                for y in 0..<400 { for x in 0..<400 { desk[x + 120, y + 90] = note[x, y] } }
                return desk
            case .shadowAlongEdge:
                // A hand's shadow: the right edge darkens to half brightness over 20 px.
                var page = SyntheticPicture(width: 500, height: 500).draw(two, origin: SIMD2(120, 80), size: 320, penWidth: 36)
                for y in 0..<500 {
                    for x in 430..<500 { page[x, y] = UInt8(Double(page[x, y]) * (1 - 0.5 * min(Double(x - 430) / 20, 1))) }
                }
                return page
            case .noisyPhoto:
                return SyntheticPicture(width: 400, height: 400, paper: 200, ink: 60, gradient: SIMD2(0.1, -0.1), noise: 12)
                    .draw(two, origin: origin, size: 320, penWidth: 36)
            case .thickMarker:
                return SyntheticPicture(width: 400, height: 400).draw(two, origin: origin, size: 320, penWidth: 80)
            case .thinPen:
                return SyntheticPicture(width: 400, height: 400).draw(two, origin: origin, size: 320, penWidth: 3)
            case .smallLowResolution:
                return SyntheticPicture(width: 40, height: 40).draw(two, origin: SIMD2(10, 5), size: 28, penWidth: 3)
            }
        }
    }

    static let reference = Result { try preprocessDigit(Variant.darkOnWhite.picture) }

    @Test(arguments: Variant.allCases)
    func variantsOfOneDigitGiveSimilarMNISTStyleOutputs(variant: Variant) throws {
        let reference = try Self.reference.get()
        let output = try preprocessDigit(variant.picture)
        expectMNISTGeometry(output)
        let aligned = InkMeasure.aligned(output, to: reference)
        let difference = InkMeasure.meanAbsoluteDifference(aligned, reference)
        let overlap = InkMeasure.strongInkIoU(aligned, reference)
        // Thin and thick pens are widened or thinned only into MNIST's range of widths, not to
        // the reference's width, so they may differ more.
        let differentPen = variant == .thickMarker || variant == .thinPen
        #expect(difference < (differentPen ? 25 : 8), "mean absolute difference \(difference)")
        #expect(overlap > (differentPen ? 0.5 : 0.75), "IoU of ink above 127: \(overlap)")
        let strong = InkMeasure.strongPixels(output)
        #expect(SyntheticDigitShape.two.mnistStrongPixels.contains(strong), "pixels above 127: \(strong)")
    }

    @Test(arguments: SyntheticDigitShape.allCases)
    func strokeWidthIsBroughtIntoMNISTRangeForThinAndThickPens(shape: SyntheticDigitShape) throws {
        // Without widening, a 3 px pen on a 320 px digit would leave 3 × 20 / 323 ≈ 0.2 px strokes,
        // and a 110 px marker 110 × 20 / 430 ≈ 5 px ones (its ink covers most of the picture).
        let page = SyntheticPicture(width: 400, height: 400)
        for pen in [3.0, 110] {
            let output = try preprocessDigit(page.draw(shape.paths, origin: SIMD2(90, 40), size: 320, penWidth: pen))
            expectMNISTGeometry(output)
            let strong = InkMeasure.strongPixels(output)
            #expect(shape.mnistStrongPixels.contains(strong), "pen \(pen): pixels above 127: \(strong)")
            if shape == .zero {
                #expect(output[14, 14] == 0, "pen \(pen): the 0's hole at the centre is \(output[14, 14])")
            }
        }
    }

    // MARK: - No digit

    enum BlankPicture: String, CaseIterable {
        case white, black, midGray, onePixel, empty, noisyPaper, unevenlyLitPaper

        var picture: GrayImage {
            switch self {
            case .white: return GrayImage(width: 300, height: 200, filledWith: 255)
            case .black: return GrayImage(width: 300, height: 200, filledWith: 0)
            case .midGray: return GrayImage(width: 64, height: 64, filledWith: 128)
            case .onePixel: return GrayImage(width: 1, height: 1, filledWith: 40)
            case .empty: return GrayImage(width: 0, height: 0, pixels: [])
            case .noisyPaper:
                return SyntheticPicture(width: 300, height: 300, paper: 230, noise: 6).draw([], origin: .zero, size: 1, penWidth: 1)
            case .unevenlyLitPaper:
                return SyntheticPicture(width: 300, height: 300, paper: 120, gradient: SIMD2(0.25, 0.15))
                    .draw([], origin: .zero, size: 1, penWidth: 1)
            }
        }
    }

    @Test(arguments: BlankPicture.allCases)
    func blankPictureHasNoInk(blank: BlankPicture) {
        #expect(throws: PreprocessingError.noInk) { try preprocessDigit(blank.picture) }
    }

    @Test func singleSpeckOnBlankPageHasNoInk() {
        var page = GrayImage(width: 400, height: 300, filledWith: 250)
        page[123, 45] = 0
        #expect(throws: PreprocessingError.noInk) { try preprocessDigit(page) }
    }

    @Test(arguments: [(1, 1), (1, 7), (7, 1), (1, 500), (500, 1), (2, 3)])
    func degeneratePicturesDoNotCrash(width: Int, height: Int) {
        let pixels = (0..<(width * height)).map { UInt8(($0 * 97) % 256) }
        let image = GrayImage(width: width, height: height, pixels: pixels)
        do {
            expectMNISTGeometry(try preprocessDigit(image))
        } catch {
            #expect(error as? PreprocessingError == .noInk)
        }
    }

    // MARK: - Steps

    @Test func otsuSplitsTwoLevelsInTheMiddleOfTheGap() {
        let values = [Float](repeating: 10, count: 900) + [Float](repeating: 200, count: 100)
        let threshold = DigitPreprocessor.otsuThreshold(values)
        #expect(abs(threshold - 105) <= 1, "\(threshold)")
    }

    @Test func backgroundSurfaceFollowsLightingButNotThickInk() {
        // A quadratic lighting falloff with a thick dark bar across the middle third.
        var values = [Float](repeating: 0, count: 120 * 90)
        for y in 0..<90 {
            for x in 0..<120 {
                let u = Float(x) / 119 * 2 - 1
                values[y * 120 + x] = 220 - 30 * u * u + 0.2 * Float(y) - ((30..<60).contains(y) ? 150 : 0)
            }
        }
        let picture = DigitPreprocessor.Plane(width: 120, height: 90, values: values)
        let (surface, noise) = DigitPreprocessor.fitBackground(picture)
        let residuals = surface.residuals(of: picture)
        #expect(noise < 1)
        #expect(abs(residuals[5, 5]) < 1 && abs(residuals[60, 80]) < 1)
        #expect(abs(residuals[60, 45] + 150) < 2, "bar residual \(residuals[60, 45])")
        let polarity = DigitPreprocessor.inkPolarity(residuals: residuals, noise: noise, minimumContrast: 12)
        #expect(polarity == .darkOnLight)
        let inverted = DigitPreprocessor.Plane(width: 120, height: 90, values: values.map { 255 - $0 })
        let fit = DigitPreprocessor.fitBackground(inverted)
        #expect(DigitPreprocessor.inkPolarity(residuals: fit.surface.residuals(of: inverted), noise: fit.noise,
                                              minimumContrast: 12) == .lightOnDark)
    }

    @Test func ruleLinesAreFoundAcrossThePageButADigitsBarIsNot() {
        var page = SyntheticPicture(width: 300, height: 240, ink: 0)
        page.ruleSpacing = 40
        page.ruleLevel = 0
        // A "7"-like bar that stops short of the edges, plus its diagonal.
        let seven: [[SIMD2<Double>]] = [[SIMD2(0, 0), SIMD2(1, 0), SIMD2(0.4, 1)]]
        let image = page.draw(seven, origin: SIMD2(60, 55), size: 180, penWidth: 4)
        var mask = DigitPreprocessor.Plane(width: image.width, height: image.height,
                                           values: image.pixels.map { $0 < 128 ? UInt8(1) : 0 })
        let rules = DigitPreprocessor.detectRuleLines(mask: mask)
        #expect(rules.count == 6, "\(rules)")
        #expect(rules.allSatisfy { !$0.isVertical && abs($0.slope) < 0.01 && $0.thickness <= 3 })
        let erased = DigitPreprocessor.eraseRuleLines(rules, from: &mask)
        #expect(erased.values.filter { $0 == 1 }.count > 5 * 280)
        // The bar and the diagonal survive, including where they cross rules.
        #expect(mask[150, 54] == 1 && mask[150, 56] == 1)
        let crossing = (0..<300).filter { mask[$0, 100] == 1 }
        #expect(!crossing.isEmpty && crossing.count < 10, "diagonal at the rule y=100: \(crossing)")
    }

    @Test func specksFarMarksAndFrameSpanningShadowsAreNotTheDigit() {
        let components = [
            DigitPreprocessor.InkComponent(pixelCount: 900, mass: 90_000, box: PixelRect(x: 100, y: 100, lastX: 160, lastY: 200)),
            // A broken-off stroke next to the digit.
            DigitPreprocessor.InkComponent(pixelCount: 80, mass: 8_000, box: PixelRect(x: 165, y: 120, lastX: 175, lastY: 130)),
            // Another mark far away.
            DigitPreprocessor.InkComponent(pixelCount: 300, mass: 30_000, box: PixelRect(x: 400, y: 400, lastX: 420, lastY: 420)),
            // A speck next to the digit.
            DigitPreprocessor.InkComponent(pixelCount: 2, mass: 200, box: PixelRect(x: 150, y: 205, lastX: 150, lastY: 205)),
            // A shadow down the whole right edge, heavier than the digit and near it.
            DigitPreprocessor.InkComponent(pixelCount: 9000, mass: 300_000, box: PixelRect(x: 190, y: 0, lastX: 499, lastY: 499)),
        ]
        let chosen = DigitPreprocessor.selectDigitComponents(components, frameWidth: 500, frameHeight: 500)
        #expect(chosen == [0, 1])
        // With nothing else substantial, a digit cropped tightly enough to touch two edges is the digit.
        let tight = [components[4], components[3]]
        #expect(DigitPreprocessor.selectDigitComponents(tight, frameWidth: 500, frameHeight: 500) == [0])
    }

    @Test func aSheetOnADeskIsSearchedInsideButStrokesAreNot() {
        let sheet = DigitPreprocessor.InkComponent(pixelCount: 190 * 150, mass: 1, box: PixelRect(x: 50, y: 40, lastX: 249, lastY: 199))
        #expect(DigitPreprocessor.paperRegion(sheet, frameWidth: 300, frameHeight: 240)
                == PixelRect(x: 56, y: 44, lastX: 243, lastY: 195))
        let boldRing = DigitPreprocessor.InkComponent(pixelCount: 150 * 150 / 2, mass: 1, box: PixelRect(x: 50, y: 40, lastX: 199, lastY: 189))
        #expect(DigitPreprocessor.paperRegion(boldRing, frameWidth: 300, frameHeight: 240) == nil)
    }

    @Test func distanceTransformMatchesBruteForce() {
        var seed: UInt64 = 42
        let values = (0..<(23 * 17)).map { _ -> UInt8 in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 61 == 0 ? 1 : 0
        }
        let mask = DigitPreprocessor.Plane(width: 23, height: 17, values: values)
        let distances = DigitPreprocessor.squaredDistanceTransform(mask, to: 1)
        for y in 0..<17 {
            for x in 0..<23 {
                var nearest = Float.infinity
                for v in 0..<17 { for u in 0..<23 where mask[u, v] == 1 { nearest = min(nearest, Float((u - x) * (u - x) + (v - y) * (v - y))) } }
                #expect(distances[x, y] == nearest, "at (\(x), \(y))")
            }
        }
    }

    @Test func strokeWidthOfABandIsMeasuredAndCorrected() {
        var band = DigitPreprocessor.Plane<UInt8>(width: 200, height: 60, repeating: 0)
        for y in 20..<28 { for x in 10..<190 { band[x, y] = 1 } }
        let inside = DigitPreprocessor.squaredDistanceTransform(band, to: 0)
        let width = DigitPreprocessor.meanStrokeWidth(mask: band, insideSquared: inside)
        #expect(abs(width - 8) < 0.5, "\(width)")
        // 8 px in a 180 px box is 0.9 px once the box is 20 px: widen to 1.8 px, solving for the
        // box growing too: (8 + 2δ) · 20 / (180 + 2δ) = 1.8.
        let offset = DigitPreprocessor.strokeEdgeOffset(meanWidth: 8, boxSide: 180, boxSideOut: 20, widths: 1.8...3.5)
        #expect(abs((8 + 2 * offset) * 20 / (180 + 2 * offset) - 1.8) < 1e-4)
        #expect(DigitPreprocessor.strokeEdgeOffset(meanWidth: 20, boxSide: 180, boxSideOut: 20, widths: 1.8...3.5) == 0)
    }

    @Test func thinningNeverErasesAHairlineTail() {
        // A bold blob (40 px) with a 3 px tail: thinning by 6 px would cut the tail off.
        var nine = DigitPreprocessor.Plane<UInt8>(width: 120, height: 200, repeating: 0)
        for y in 10..<50 { for x in 20..<100 { nine[x, y] = 1 } }
        for y in 50..<190 { for x in 80..<83 { nine[x, y] = 1 } }
        let inside = DigitPreprocessor.squaredDistanceTransform(nine, to: 0)
        #expect(DigitPreprocessor.safeThinning(mask: nine, insideSquared: inside, offset: -6) == 0)
        // The blob alone thins as asked.
        var blob = nine
        for y in 50..<190 { for x in 80..<83 { blob[x, y] = 0 } }
        let blobInside = DigitPreprocessor.squaredDistanceTransform(blob, to: 0)
        #expect(DigitPreprocessor.safeThinning(mask: blob, insideSquared: blobInside, offset: -6) == -6)
    }

    @Test func areaResamplingKeepsTheInkOfAThinLine() {
        // A 1 px line in a 300x300 plane, shrunk 15x: nearest-neighbour would miss it.
        var plane = DigitPreprocessor.Plane<Float>(width: 300, height: 300, repeating: 0)
        for x in 0..<300 { plane[x, 157] = 1 }
        let small = DigitPreprocessor.areaResample(plane, originX: 0, originY: 0, scaleX: 1.0 / 15, scaleY: 1.0 / 15,
                                                   width: 20, height: 20)
        #expect(abs(small.values.reduce(0, +) * 225 - 300) < 0.01)
        #expect(abs(small[7, 10] - 1.0 / 15) < 1e-5)
    }

    @Test func centringShiftsByWholePixelsToTheCentreOfMass() {
        // Centre of mass at column 3⅔, row 2: shifted by 10 columns and 12 rows, to (13⅔, 14).
        var digit = DigitPreprocessor.Plane<Float>(width: 5, height: 3, repeating: 0)
        digit[4, 2] = 1
        digit[3, 2] = 0.5
        let placed = DigitPreprocessor.centredByMass(digit, side: 28, centre: 14)
        #expect(placed[14, 14] == 1 && placed[13, 14] == 0.5)
        #expect(placed.values.reduce(0, +) == 1.5)
    }

    // MARK: - Real MNIST

    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func mnistTestDigitsPassThroughNearlyUnchanged() throws {
        let data = try MNIST.load(split: .test, from: CoreSupport.mnistDirectory)
        var differences: [Double] = []
        for i in 0..<100 {
            let digit = data.image(i)
            let output = try preprocessDigit(digit)
            expectMNISTGeometry(output)
            differences.append(InkMeasure.meanAbsoluteDifference(InkMeasure.aligned(output, to: digit), digit))
        }
        let mean = differences.reduce(0, +) / Double(differences.count)
        let median = differences.sorted()[differences.count / 2]
        #expect(mean < 7 && median < 6, "mean \(mean), median \(median) gray levels")
    }

    @Test(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func mnistDigitPhotographedLargeOffCentreComesBackClose() throws {
        let data = try MNIST.load(split: .test, from: CoreSupport.mnistDirectory)
        var differences: [Double] = []
        var overlaps: [Double] = []
        for i in 0..<20 {
            let digit = data.image(i)
            let page = Self.pastedDarkOnWhite(digit, scale: 10, canvasWidth: 800, canvasHeight: 600,
                                              origin: (x: 500 - 24 * i, y: 20 + 15 * i))
            let output = try preprocessDigit(page)
            expectMNISTGeometry(output)
            let aligned = InkMeasure.aligned(output, to: digit)
            differences.append(InkMeasure.meanAbsoluteDifference(aligned, digit))
            overlaps.append(InkMeasure.strongInkIoU(aligned, digit))
        }
        let meanDifference = differences.reduce(0, +) / Double(differences.count)
        let meanOverlap = overlaps.reduce(0, +) / Double(overlaps.count)
        #expect(meanDifference < 8 && meanOverlap > 0.75, "mean difference \(meanDifference), mean IoU \(meanOverlap)")
    }

    /// `digit` inverted to dark on white, scaled up bilinearly by `scale`, on a white canvas at `origin`.
    static func pastedDarkOnWhite(_ digit: GrayImage, scale: Int, canvasWidth: Int, canvasHeight: Int,
                                  origin: (x: Int, y: Int)) -> GrayImage {
        let plane = DigitPreprocessor.Plane(width: digit.width, height: digit.height, values: digit.pixels.map { Float($0) })
        let large = DigitPreprocessor.bilinearResample(plane, originX: 0, originY: 0, scale: Double(scale),
                                                       width: digit.width * scale, height: digit.height * scale)
        var canvas = GrayImage(width: canvasWidth, height: canvasHeight, filledWith: 255)
        for y in 0..<large.height {
            for x in 0..<large.width {
                canvas[origin.x + x, origin.y + y] = UInt8(255 - min(max(large[x, y], 0), 255).rounded())
            }
        }
        return canvas
    }
}
