import DigitCompute
import DigitImage

extension NumberPictures {
    /// How a composed number reaches the reader: the picture kinds of `DigitVariant` (scans,
    /// pens, fitted boxes), applied to the whole composed picture as a scanner or a pen treats a
    /// whole page, so neighbouring digits share one resolution, threshold and pen.
    ///
    /// Every kind keeps the composition's labels and `touching` as composed, and moves its true
    /// boxes with the picture: each box covers its digit's transformed ink.
    package enum PictureKind: String, CaseIterable, Sendable {
        /// Anti-aliased dark ink on white, as composed.
        case clean
        /// Captured so that the nominal digit height is 12-18 px (area-averaged), then enlarged
        /// 2-4x by nearest neighbour or bilinearly.
        case lowResolution = "low-resolution"
        /// Every pixel ink or paper, at a threshold of 0.3-0.7 of full ink.
        case binarised
        /// A thick felt pen: the ink dilated by 1.5-3 px; each box grows by the pen's reach.
        case bold
        /// A fine pen: the strokes thinned to their skeleton and redrawn about 3 px wide.
        case thin
        /// Squeezed or stretched horizontally by 0.7-1.3, as a scan fitted to a box.
        case stretched

        /// Every kind but `clean`.
        package static let altered = allCases.filter { $0 != .clean }

        /// `composition` (laid out with a nominal digit height of `digitHeight` px) in this kind,
        /// its random choices drawn from `random`; `clean` draws nothing and returns it unchanged.
        func applied(to composition: Composition, digitHeight: Int, random: inout SeededRandom) -> Composition {
            let ink = Coverage(inkOf: composition.picture)
            var result = composition
            func moveBoxes(_ move: (PixelRect) -> PixelRect) { result.boxes = result.boxes.map { $0.map(move) } }
            switch self {
            case .clean:
                return composition
            case .lowResolution:
                let scale = NumberPictures.draw(12...18, &random) / Double(digitHeight)
                let factor = 2 + random.integer(below: 3)
                let nearest = random.uniform() < 0.5
                let small = ink.resized(width: Int((Double(ink.width) * scale).rounded()),
                                        height: Int((Double(ink.height) * scale).rounded()))
                result.picture = (nearest ? small.enlargedNearest(by: factor) : small.enlargedBilinear(by: factor)).darkOnLight()
                let (scaleX, scaleY) = (Double(small.width) / Double(ink.width), Double(small.height) / Double(ink.height))
                moveBoxes { scaled(scaled($0, x: scaleX, y: scaleY), x: Double(factor), y: Double(factor)) }
            case .binarised:
                result.picture = ink.binarised(at: Float(NumberPictures.draw(0.3...0.7, &random))).darkOnLight()
            case .bold:
                let radius = Float(NumberPictures.draw(1.5...3, &random))
                result.picture = ink.dilated(radius: radius).darkOnLight()
                let reach = Int(radius.rounded(.down))
                moveBoxes { $0.insetBy(-reach) }
            case .thin:
                // A pen of radius 1 draws a 3 px cross, of 1.5 a 3 px square: both fine at a
                // digit height of about 48 px, where MNIST's strokes are 5-7 px wide.
                result.picture = ink.binarised().thinned().dilated(radius: Float(NumberPictures.draw(1...1.5, &random))).darkOnLight()
            case .stretched:
                let stretch = NumberPictures.draw(0.7...1.3, &random)
                let wide = ink.resized(width: Int((Double(ink.width) * stretch).rounded()), height: ink.height)
                result.picture = wide.darkOnLight()
                let scaleX = Double(wide.width) / Double(ink.width)
                moveBoxes { scaled($0, x: scaleX, y: 1) }
            }
            return result
        }

        /// The pixels of a grid `x` by `y` times as fine (or coarse) that `box`'s pixels overlap.
        private func scaled(_ box: PixelRect, x: Double, y: Double) -> PixelRect {
            let left = Int((Double(box.x) * x).rounded(.down)), top = Int((Double(box.y) * y).rounded(.down))
            let right = Int((Double(box.x + box.width) * x).rounded(.up))
            let bottom = Int((Double(box.y + box.height) * y).rounded(.up))
            return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
        }
    }
}
