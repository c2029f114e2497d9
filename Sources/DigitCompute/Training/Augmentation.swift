
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random distortions of training digits, drawn afresh for every sample of every epoch.
///
/// Each digit is resampled (bilinear) through one displacement field: a random affine
/// map about the image centre (rotation, scale, shear, translation) plus, when
/// `elasticAlpha > 0`, Simard et al.'s (2003) elastic distortion: uniform random
/// displacements smoothed by a Gaussian of `elasticSigma` pixels and scaled by
/// `elasticAlpha`; optionally mirrored left to right; then, with probability `erasing`, one
/// random rectangle is overwritten with noise (Zhong et al. 2017). All zero: the identity.
package struct Augmentation: Codable, Equatable, Sendable {
    /// Largest rotation either way, in degrees.
    package var rotation: Float = 0
    /// Largest relative change of size (0.1: from 90% to 110%).
    package var scale: Float = 0
    /// Largest horizontal shear either way, in degrees.
    package var shear: Float = 0
    /// Largest shift either way along each axis, in pixels.
    package var shift: Float = 0
    /// Largest shift either way along each axis in whole pixels, drawn from -crop...crop:
    /// a random crop of the picture padded by `crop`, which alone moves pixels without
    /// resampling them (a fractional shift blurs the picture a little).
    package var crop = 0
    /// Strength of the elastic distortion, in pixels (Simard: 34 with sigma 4).
    package var elasticAlpha: Float = 0
    /// Smoothness of the elastic distortion, in pixels.
    package var elasticSigma: Float = 4
    /// Mirror half of the samples left to right: for pictures without a handedness, such
    /// as Fashion-MNIST's clothes; never for digits.
    package var mirror = false
    /// Chance (0...1) that a sample gets one rectangle of random pixels: 2% to 40% of the
    /// picture, sides in a ratio between 0.3 and 3.3, clamped to the picture (Zhong et
    /// al.'s random erasing, which redraws such a rectangle instead),
    /// so the network cannot lean on any one part of the picture.
    package var erasing: Float = 0

    package init() {}

    /// Keys missing from a file take their defaults, so models written before a
    /// distortion existed still load.
    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Augmentation()
        rotation = try c.decodeIfPresent(Float.self, forKey: .rotation) ?? d.rotation
        scale = try c.decodeIfPresent(Float.self, forKey: .scale) ?? d.scale
        shear = try c.decodeIfPresent(Float.self, forKey: .shear) ?? d.shear
        shift = try c.decodeIfPresent(Float.self, forKey: .shift) ?? d.shift
        crop = try c.decodeIfPresent(Int.self, forKey: .crop) ?? d.crop
        elasticAlpha = try c.decodeIfPresent(Float.self, forKey: .elasticAlpha) ?? d.elasticAlpha
        elasticSigma = try c.decodeIfPresent(Float.self, forKey: .elasticSigma) ?? d.elasticSigma
        mirror = try c.decodeIfPresent(Bool.self, forKey: .mirror) ?? d.mirror
        erasing = try c.decodeIfPresent(Float.self, forKey: .erasing) ?? d.erasing
    }

    /// The distortions the default model is trained with: what people's pictures vary by.
    package static let standard: Augmentation = {
        var a = Augmentation()
        a.rotation = 10
        a.scale = 0.1
        a.shear = 10
        a.shift = 2
        a.elasticAlpha = 14
        a.elasticSigma = 4
        return a
    }()

    package var isIdentity: Bool {
        rotation == 0 && scale == 0 && shear == 0 && shift == 0 && crop == 0 && elasticAlpha == 0 && !mirror && erasing == 0
    }

    /// Distorts one `side` x `side` image (values 0...1) into `output`, drawing the
    /// affine parameters from `random` and the elastic field from `fields`.
    package func apply(_ image: UnsafePointer<Float>, side: Int, into output: UnsafeMutablePointer<Float>,
                      fields: ElasticFields?, random: inout SeededRandom) {
        let angle = (random.uniform() * 2 - 1) * rotation * .pi / 180
        let zoom = 1 + (random.uniform() * 2 - 1) * scale
        let shearing = tanf((random.uniform() * 2 - 1) * shear * .pi / 180)
        var dx = (random.uniform() * 2 - 1) * shift, dy = (random.uniform() * 2 - 1) * shift
        // Drawn only when cropping is on, so other settings keep their random streams.
        if crop > 0 {
            dx += Float(random.integer(below: 2 * crop + 1) - crop)
            dy += Float(random.integer(below: 2 * crop + 1) - crop)
        }
        // Inverse map: output pixel -> source position (so every output pixel is defined).
        let c = cosf(angle) / zoom, s = sinf(angle) / zoom
        let centre = Float(side - 1) / 2
        let field = fields?.pick(&random)
        // Drawn only when mirroring is on, so other settings keep their random streams.
        let flip: Float = mirror && random.integer(below: 2) == 1 ? -1 : 1
        for y in 0..<side {
            for x in 0..<side {
                var u = flip * (Float(x) - centre) - dx
                let v = Float(y) - centre - dy
                u -= shearing * v
                var sx = c * u + s * v + centre, sy = -s * u + c * v + centre
                if let field {
                    sx += field.signX * field.x[y * side + x]
                    sy += field.signY * field.y[y * side + x]
                }
                output[y * side + x] = Self.bilinear(image, side: side, x: sx, y: sy)
            }
        }
        // Drawn only when erasing is on, so other settings keep their random streams.
        if erasing > 0, random.uniform() < erasing {
            Self.eraseRectangle(in: output, side: side, random: &random)
        }
    }

    /// Overwrites one random rectangle of `image` with uniform noise in 0...1.
    static func eraseRectangle(in image: UnsafeMutablePointer<Float>, side: Int, random: inout SeededRandom) {
        let area = Float(side * side) * (0.02 + random.uniform() * 0.38)
        let ratio = expf(logf(0.3) + random.uniform() * (logf(1 / 0.3) - logf(0.3)))
        let height = min(side, max(1, Int((area * ratio).squareRoot().rounded())))
        let width = min(side, max(1, Int((area / ratio).squareRoot().rounded())))
        let top = random.integer(below: side - height + 1), left = random.integer(below: side - width + 1)
        for y in top..<(top + height) {
            for x in left..<(left + width) { image[y * side + x] = random.uniform() }
        }
    }

    static func gaussianKernel(sigma: Float) -> [Float] {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        let weights = (-radius...radius).map { expf(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// Separable Gaussian blur with clamped edges.
    static func blur(_ values: [Float], side: Int, kernel: [Float]) -> [Float] {
        let radius = kernel.count / 2
        var horizontal = [Float](repeating: 0, count: values.count)
        for y in 0..<side {
            for x in 0..<side {
                var sum: Float = 0
                for (i, w) in kernel.enumerated() { sum += w * values[y * side + min(max(x + i - radius, 0), side - 1)] }
                horizontal[y * side + x] = sum
            }
        }
        var result = [Float](repeating: 0, count: values.count)
        for y in 0..<side {
            for x in 0..<side {
                var sum: Float = 0
                for (i, w) in kernel.enumerated() { sum += w * horizontal[min(max(y + i - radius, 0), side - 1) * side + x] }
                result[y * side + x] = sum
            }
        }
        return result
    }

    /// Bilinear sample at (x, y); outside the image is background (0).
    @inline(__always)
    static func bilinear(_ image: UnsafePointer<Float>, side: Int, x: Float, y: Float) -> Float {
        let x0 = flooredToInt(x), y0 = flooredToInt(y)
        let fx = x - Float(x0), fy = y - Float(y0)
        func at(_ xi: Int, _ yi: Int) -> Float {
            xi >= 0 && xi < side && yi >= 0 && yi < side ? image[yi * side + xi] : 0
        }
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }
}

/// A bank of precomputed elastic displacement fields (Simard 2003): uniform noise
/// smoothed by a Gaussian, scaled so `alpha / 10` is the RMS displacement in pixels.
///
/// Smoothing a fresh field per sample costs more than the network's forward pass, so
/// fields are made once per training run and picked at random, each with random signs.
package final class ElasticFields: @unchecked Sendable {
    package let side: Int
    private let x: [[Float]]
    private let y: [[Float]]

    package init(side: Int, alpha: Float, sigma: Float, count: Int = 512, seed: UInt64) {
        self.side = side
        var random = SeededRandom(seed: seed)
        let kernel = Augmentation.gaussianKernel(sigma: sigma)
        func component() -> [Float] {
            let noise = (0..<(side * side)).map { _ in random.uniform() * 2 - 1 }
            let smooth = Augmentation.blur(noise, side: side, kernel: kernel)
            let rms = (smooth.reduce(0) { $0 + $1 * $1 } / Float(smooth.count)).squareRoot()
            let gain = rms > 0 ? alpha / 10 / rms : 0
            return smooth.map { $0 * gain }
        }
        var xs: [[Float]] = [], ys: [[Float]] = []
        for _ in 0..<count {
            xs.append(component())
            ys.append(component())
        }
        x = xs
        y = ys
    }

    /// One field, chosen with `random`, with a random sign per component.
    func pick(_ random: inout SeededRandom) -> (x: [Float], y: [Float], signX: Float, signY: Float) {
        let i = random.integer(below: x.count)
        let signs = random.integer(below: 4)
        return (x[i], y[i], signs & 1 == 0 ? 1 : -1, signs & 2 == 0 ? 1 : -1)
    }
}
