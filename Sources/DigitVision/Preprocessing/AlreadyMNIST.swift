import DigitImage

extension DigitPreprocessor {
    /// `image` itself, with polarity made white-on-black, when it already is an MNIST-format
    /// digit: 28x28, a clean background, the ink's box 19-20 px on its longer side and its
    /// centre of mass within a pixel of (14, 14). Re-rendering such a digit could only lose
    /// detail, so it is passed through; any other picture gives nil.
    static func alreadyMNISTStyle(_ image: GrayImage) -> GrayImage? {
        guard image.width == outputSide, image.height == outputSide else { return nil }
        var border: [UInt8] = []
        for i in 0..<outputSide {
            border += [image[i, 0], image[i, outputSide - 1], image[0, i], image[outputSide - 1, i]]
        }
        let darkInk = border.map(Int.init).reduce(0, +) / border.count > 127
        let pixels = darkInk ? image.pixels.map { 255 - $0 } : image.pixels
        // A clean background: MNIST's is exactly 0, allow a little noise.
        guard pixels.filter({ $0 > 8 }).count < pixels.count / 2,
              border.allSatisfy({ darkInk ? $0 >= 247 : $0 <= 8 }) else { return nil }
        var minX = outputSide, minY = outputSide, maxX = -1, maxY = -1
        for y in 0..<outputSide {
            for x in 0..<outputSide where pixels[y * outputSide + x] > 0 {
                (minX, minY, maxX, maxY) = (min(minX, x), min(minY, y), max(maxX, x), max(maxY, y))
            }
        }
        guard let mass = centreOfMass(width: outputSide, height: outputSide, weight: { Double(pixels[$1 * outputSide + $0]) }),
              (digitBoxSide - 1...digitBoxSide).contains(max(maxX - minX, maxY - minY) + 1),
              abs(mass.x - Double(centre)) <= 1, abs(mass.y - Double(centre)) <= 1 else { return nil }
        return GrayImage(width: outputSide, height: outputSide, pixels: pixels)
    }
}
