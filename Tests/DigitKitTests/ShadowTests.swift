@testable import DigitImage
@testable import DigitVision
import Foundation
import Testing

/// A shadow cast across the page: lifted before the background fit, and only where it is one.
struct ShadowTests {
    static let clean = SyntheticPicture(width: 600, height: 450)
        .draw(SyntheticDigitShape.two.paths, origin: SIMD2(250, 120), size: 200, penWidth: 16)

    /// `picture` with half the light gone beyond a soft edge running diagonally through its middle.
    static func shadowed(_ picture: GrayImage) -> GrayImage {
        var result = picture
        for y in 0..<picture.height {
            for x in 0..<picture.width {
                let signed = Double(x - picture.width / 2) + 0.6 * Double(y - picture.height / 2)
                let light = 1 - 0.5 / (1 + exp(-signed / 10))
                result[x, y] = UInt8((Double(picture[x, y]) * light).rounded())
            }
        }
        return result
    }

    static func plane(_ image: GrayImage) -> DigitPreprocessor.Plane<Float> {
        DigitPreprocessor.Plane(width: image.width, height: image.height, values: image.pixels.map(Float.init))
    }

    /// Without the lifting, the shadowed half is one huge dark "stroke" and the digit merges into it.
    @Test func aShadowAcrossTheDigitIsLiftedAndTheDigitKept() throws {
        let expected = try preprocessDigit(Self.clean)
        let output = try preprocessDigit(Self.shadowed(Self.clean))
        #expect(InkMeasure.strongInkIoU(InkMeasure.aligned(output, to: expected), expected) > 0.8)
        let lifted = DigitPreprocessor.shadowsLifted(Self.plane(Self.shadowed(Self.clean)))
        // The paper on both sides of the edge at one level again, within a few gray levels.
        #expect(abs(lifted[40, 40] - lifted[560, 410]) < 8, "\(lifted[40, 40]) vs \(lifted[560, 410])")
    }

    /// Even paper, smooth light the quadratic follows, a chalk board and a digit drawn in gray
    /// blocks hold no shadow: they pass through untouched.
    @Test func picturesWithoutAShadowAreUntouched() {
        var lit = Self.clean
        for y in 0..<lit.height {
            for x in 0..<lit.width { lit[x, y] = UInt8(Double(lit[x, y]) * (1 - 0.45 * Double(x) / 600)) }
        }
        let chalk = SyntheticPicture(width: 600, height: 450, paper: 60, ink: 230)
            .draw(SyntheticDigitShape.zero.paths, origin: SIMD2(250, 100), size: 250, penWidth: 12)
        let blocks = GrayImage(width: 128, height: 128, pixels: (0..<(128 * 128)).map { i in
            let (x, y) = ((i % 128) / 16, (i / 128) / 16)
            return x >= 2 && x <= 5 && y >= 1 && y <= 6 ? UInt8(40 + 20 * ((x + y) % 5)) : 255
        })
        for picture in [Self.clean, lit, chalk, blocks] {
            let plane = Self.plane(picture)
            #expect(DigitPreprocessor.shadowsLifted(plane).values == plane.values)
        }
    }
}
