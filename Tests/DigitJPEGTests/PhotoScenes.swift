import DigitCompute
import DigitImage
import DigitJPEG
import Foundation

/// What a phone photo of a handwritten digit does to it, each made on an MNIST test digit.
enum PhotoTrouble: String, CaseIterable, Sendable {
    /// A clean photo saved at JPEG quality 50: 8x8 block edges and ringing around the strokes.
    case blockArtefacts = "block-artefacts"
    /// Sensor noise: Gaussian, σ = 12 gray levels per channel.
    case sensorNoise = "sensor-noise"
    /// Light falling off to 55% across the page and a soft-edged shadow (half the light) across
    /// the digit.
    case unevenLightAndShadow = "uneven-light-and-shadow"
    /// A 12-megapixel photo (4000x3000) with the digit 240 px tall (8% of its height), off centre.
    case smallInABigPhoto = "small-in-a-big-photo"
    /// The sheet covers part of the frame: its edge and a dark wooden table around it.
    case paperEdgeAndTable = "paper-edge-and-table"
    /// Squared paper: light blue lines every half digit height.
    case squaredPaper = "squared-paper"
    /// Ruled paper: blue lines a little more than a digit height apart, a red margin line.
    case ruledPaper = "ruled-paper"
}

/// A synthetic colour photo of one digit on paper, rendered then written as a JPEG.
struct PhotoScene {
    var width = 800
    var height = 600
    /// Height of the digit's 20 px MNIST box in the photo, in pixels.
    var digitHeight = 200.0
    /// The digit's centre, as fractions of the width and height.
    var centre = (x: 0.5, y: 0.5)
    var paper: SIMD3<Double> = [228, 224, 212]
    var ink: SIMD3<Double> = [35, 40, 70]
    /// The sheet's extent in pixels (minX, minY, maxX, maxY); the table shows outside it.
    var sheet: (Int, Int, Int, Int)?
    var squares: Double?
    var rules: Double?
    /// The share of the light lost from the left edge to the right.
    var lightFalloff = 0.0
    /// A soft-edged shadow (half the light) across the page through the digit.
    var shadow = false
    var noise = 0.0
    var quality = 85

    init(_ trouble: PhotoTrouble?) {
        switch trouble {
        case nil: break
        case .blockArtefacts?: quality = 50
        case .sensorNoise?: noise = 12
        case .unevenLightAndShadow?: (lightFalloff, shadow) = (0.45, true)
        case .smallInABigPhoto?:
            (width, height, digitHeight, centre) = (4000, 3000, 240, (0.35, 0.6))
        case .paperEdgeAndTable?:
            sheet = (180, 60, 760, 640)
            centre = (0.55, 0.45)
        case .squaredPaper?: squares = digitHeight / 2
        case .ruledPaper?: rules = digitHeight * 1.15
        }
    }

    /// The photo as the JPEG a phone would save.
    func jpeg(of digit: GrayImage, seed: UInt64) throws -> [UInt8] {
        var random = SeededRandom(seed: seed)
        let scale = digitHeight / 20  // photo pixels per MNIST pixel
        let originX = centre.x * Double(width) - 14 * scale
        let originY = centre.y * Double(height) - 14 * scale
        var rgb = [UInt8](repeating: 0, count: 3 * width * height)
        let table: SIMD3<Double> = [95, 70, 50]
        for y in 0..<height {
            for x in 0..<width {
                var colour = paper
                if let (minX, minY, maxX, maxY) = sheet, x < minX || y < minY || x > maxX || y > maxY {
                    // Wood grain: bands along x, slowly varying.
                    let phase: Double = Double(y) * 0.09 + 3 * sin(Double(x) * 0.004)
                    let grain: Double = 12 * sin(phase)
                    colour = table + SIMD3<Double>(repeating: grain)
                } else {
                    if let squares, Self.onLine(Double(x), every: squares) || Self.onLine(Double(y), every: squares) {
                        colour = [165, 190, 225]
                    }
                    if let rules {
                        if Self.onLine(Double(y) + rules / 2, every: rules) { colour = [150, 170, 215] }
                        if x >= 60 && x < 62 { colour = [215, 120, 120] }
                    }
                    let coverage = Self.coverage(digit, (Double(x) - originX) / scale, (Double(y) - originY) / scale)
                    colour = colour * (1 - coverage) + ink * coverage
                }
                colour *= 1 - lightFalloff * Double(x) / Double(width)
                if shadow {
                    // Its edge runs diagonally through the digit, soft over about 40 px.
                    let signed = (Double(x) - 0.45 * Double(width)) + 0.6 * (Double(y) - 0.5 * Double(height))
                    colour *= 1 - 0.5 / (1 + exp(-signed / 10))
                }
                for channel in 0..<3 {
                    let value = colour[channel] + (noise > 0 ? noise * Double(random.normal()) : 0)
                    rgb[3 * (y * width + x) + channel] = UInt8(max(0, min(255, value.rounded())))
                }
            }
        }
        return try encodeJPEG(rgb: rgb, width: width, height: height, JPEGEncoding(quality: quality))
    }

    /// Whether `position` lies on a 2 px line repeating `every` pixels.
    private static func onLine(_ position: Double, every spacing: Double) -> Bool {
        position.truncatingRemainder(dividingBy: spacing) < 2
    }

    /// The MNIST digit's ink (0...1) at (u, v) in its own pixels, bilinearly; 0 outside.
    private static func coverage(_ digit: GrayImage, _ u: Double, _ v: Double) -> Double {
        let x = u - 0.5, y = v - 0.5
        guard x > -1, y > -1, x < Double(digit.width), y < Double(digit.height) else { return 0 }
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Double(x0), fy = y - Double(y0)
        func at(_ px: Int, _ py: Int) -> Double {
            px < 0 || py < 0 || px >= digit.width || py >= digit.height ? 0 : Double(digit[px, py]) / 255
        }
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }
}
