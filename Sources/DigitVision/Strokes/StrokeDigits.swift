import DigitCompute
import DigitImage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Digits drawn from pen strokes: a `StrokeForm`'s skeleton with random proportions, then a
/// random hand and pen (slant, rotation, width, pressure along the stroke, wobble and jitter,
/// stroke ends), rendered anti-aliased and handed over as people's pictures arrive
/// (`Coverage.randomCapture`, as `DigitVariant.randomPicture` does for MNIST digits).
///
/// Every picture is dark ink on white, any size, and depends only on the random stream:
/// the same seed gives the same bytes.
package enum StrokeDigits {
    /// A picture of `form` with all its random choices drawn from `random`.
    package static func picture(of form: StrokeForm, random: inout SeededRandom) -> GrayImage {
        let drawing = rendered(form.skeleton(random: &random), random: &random)
        // A capture that loses much of the strokes (a fine pen binarised at a low resolution)
        // is no picture anyone hands over: capture again, a few times at most.
        var captured = drawing.randomCapture(random: &random)
        for _ in 0..<8 where captured.inkDensity < 0.7 * drawing.inkDensity {
            captured = drawing.randomCapture(random: &random)
        }
        return captured.darkOnLight()
    }

    /// A picture of `digit` (0-9) in one of its forms, drawn by the forms' shares.
    package static func randomPicture(digit: Int, random: inout SeededRandom) -> GrayImage {
        picture(of: StrokeForm.random(digit: digit, random: &random), random: &random)
    }

    /// Supersampling of the rendering: strokes are drawn 4x finer, then area-averaged.
    private static let supersampling = 4

    /// The skeleton written by a random hand and pen, as coverage about 20-44 px high.
    static func rendered(_ skeleton: PenPath, random r: inout SeededRandom) -> Coverage {
        // The hand: control points off by a little, a slow wobble along each stroke, a slant
        // (mostly to the right), a small rotation, a narrower or wider digit.
        let jitter = r.uniform(in: 0...0.025)
        let slant = min(max(0.08 + 0.15 * r.normal(), -0.3), 0.5)
        let turn = r.uniform(in: -0.15...0.15), aspect = r.uniform(in: 0.8...1.2)
        let (cosine, sine) = (cosf(turn), sinf(turn))
        func placed(_ point: PenPoint) -> PenPoint {
            let x = point.x * aspect + slant * (1 - point.y)
            return PenPoint(cosine * x - sine * point.y, sine * x + cosine * point.y)
        }
        // The pen: a hairline, an ordinary pen or a bold felt pen (width over the digit's
        // height); pressure swelling and thinning along the stroke; thin flicks or blots at the ends.
        let pen = r.uniform()
        let width = pen < 0.2 ? r.uniform(in: 0.045...0.07) : pen < 0.75 ? r.uniform(in: 0.07...0.14) : r.uniform(in: 0.14...0.24)
        let pressure = r.uniform(in: 0...0.35), waves = r.uniform(in: 0.5...2), phase = r.uniform(in: 0...6.3)
        let ends = r.uniform(in: 0.4...1.3)
        func thickness(along t: Float) -> Float {
            let nearEnd = max(0, 1 - min(t, 1 - t) / 0.12)
            return (1 + pressure * sinf(2 * Float.pi * waves * t + phase)) * (1 + (ends - 1) * nearEnd)
        }
        var lines: [(points: [PenPoint], radii: [Float])] = []
        for stroke in skeleton.strokes {
            var shaken = stroke
            func shake(_ point: PenPoint) -> PenPoint { point + jitter * PenPoint(r.normal(), r.normal()) }
            shaken.start = shake(stroke.start)
            shaken.segments = stroke.segments.map { $0.moved(shake) }
            let wobble = r.uniform(in: 0...0.02), frequency = r.uniform(in: 0.5...2)
            let (phaseX, phaseY) = (r.uniform(in: 0...6.3), r.uniform(in: 0...6.3))
            let polyline = shaken.flattened(spacing: 0.01)
            lines.append((polyline.map { point, t in
                placed(point + wobble * PenPoint(sinf(6.28 * frequency * t + phaseX), sinf(6.28 * frequency * t + phaseY)))
            }, polyline.map { width / 2 * stroke.weight * thickness(along: $0.along) }))
        }
        let all = lines.flatMap(\.points)
        let low = all.reduce(all[0]) { pointwiseMin($0, $1) }, high = all.reduce(all[0]) { pointwiseMax($0, $1) }
        let scale = Float(supersampling) * r.uniform(in: 20...44) / max(high.y - low.y, 0.3)
        let widest = lines.flatMap(\.radii).max() ?? 0
        let margin = Float(supersampling) + widest * scale
        func side(_ extent: Float) -> Int {
            (Int((extent * scale + 2 * margin).rounded(.up)) / supersampling + 1) * supersampling
        }
        let (fineWidth, fineHeight) = (side(high.x - low.x), side(high.y - low.y))
        var fine = Coverage(width: fineWidth, height: fineHeight, values: [Float](repeating: 0, count: fineWidth * fineHeight))
        for (points, radii) in lines {
            let pixels = points.map { ($0 - low) * scale + margin }
            for index in 0..<max(pixels.count - 1, 0) {
                fine.drawStroke(from: (pixels[index].x, pixels[index].y), to: (pixels[index + 1].x, pixels[index + 1].y),
                                radius: max(0.5, (radii[index] + radii[index + 1]) / 2 * scale))
            }
        }
        return fine.areaAveraged(by: supersampling)
    }
}

/// Where generated pictures' random choices come from, so that what a model trains on, what
/// it is chosen by and what it is measured on never share a picture. Picture `index`
/// (below 2^32) of a space starts `SeededRandom` from `seed(index:)`; the spaces differ in
/// the seed's top two bits: 00 training, 10 validation, 11 test.
package enum StrokeSeeds: Sendable {
    /// The training pictures of a run (`TrainingOptions.seed`).
    case training(runSeed: UInt64)
    /// Held-out pictures to choose by (e.g. the share of stroke digits), one stream per form.
    case validation(form: StrokeForm)
    /// Pictures to report on, one stream per form.
    case test(form: StrokeForm)

    package func seed(index: Int) -> UInt64 {
        precondition(index >= 0 && index < 1 << 32, "StrokeSeeds: index \(index)")
        switch self {
        case .training(let runSeed):
            var mix = SeededRandom(seed: runSeed)
            return mix.next() & 0x3FFF_FFFF_0000_0000 | UInt64(index)
        case .validation(let form): return 0x8000_0000_0000_0000 | Self.stream(form) | UInt64(index)
        case .test(let form): return 0xC000_0000_0000_0000 | Self.stream(form) | UInt64(index)
        }
    }

    private static func stream(_ form: StrokeForm) -> UInt64 {
        UInt64(StrokeForm.allCases.firstIndex(of: form)!) << 32
    }
}

extension Coverage {
    /// The mean coverage inside the box of the clearly inked pixels: how much of the ink's
    /// area is ink, whatever the picture's size (0 for a blank picture).
    var inkDensity: Float {
        guard let box = inkBox(above: 0.1) else { return 0 }
        return values.reduce(0, +) / Float(box.width * box.height)
    }
}

extension StrokeDigits {
    /// `picture` (dark ink on white) shrunk or enlarged to fit a `side` x `side` square,
    /// its shape kept and centred, dark on white: a cell of a catalogue of draws.
    package static func thumbnail(_ picture: GrayImage, side: Int) -> GrayImage {
        let ink = Coverage(width: picture.width, height: picture.height, values: picture.pixels.map { 1 - Float($0) / 255 })
        return ink.fitted(PixelRect(x: 0, y: 0, lastX: picture.width - 1, lastY: picture.height - 1), side: side).darkOnLight()
    }
}
