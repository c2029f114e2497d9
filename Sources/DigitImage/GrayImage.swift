
/// An 8-bit grayscale picture, row-major, `pixels.count == width * height`.
///
/// 0 is black and 255 is white, as a person sees the picture: decoders composite any
/// alpha over white before they hand one out.
public struct GrayImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height,
                     "GrayImage: \(pixels.count) pixels for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A `width` x `height` picture filled with `value`.
    public init(width: Int, height: Int, filledWith value: UInt8) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: value, count: width * height))
    }

    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// Each pixel repeated `factor` x `factor` times (nearest neighbour: crisp pixels), `factor` >= 1.
    public func enlarged(by factor: Int) -> GrayImage {
        var out = [UInt8](repeating: 0, count: width * height * factor * factor)
        for y in 0..<(height * factor) {
            for x in 0..<(width * factor) {
                out[y * width * factor + x] = pixels[(y / factor) * width + x / factor]
            }
        }
        return GrayImage(width: width * factor, height: height * factor, pixels: out)
    }
}

/// An 8-bit RGB picture, row-major, three bytes per pixel (`pixels.count == 3 * width * height`).
package struct RGBImage: Equatable, Sendable {
    package var width: Int
    package var height: Int
    package var pixels: [UInt8]

    package init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == 3 * width * height,
                     "RGBImage: \(pixels.count) bytes for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A `width` x `height` picture filled with one colour.
    package init(width: Int, height: Int, filledWith colour: RGB) {
        var pixels = [UInt8](repeating: 0, count: 3 * width * height)
        for i in 0..<(width * height) {
            pixels[3 * i] = colour.r
            pixels[3 * i + 1] = colour.g
            pixels[3 * i + 2] = colour.b
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    package subscript(x: Int, y: Int) -> RGB {
        get {
            let i = 3 * (y * width + x)
            return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = 3 * (y * width + x)
            pixels[i] = newValue.r
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.b
        }
    }
}

/// One 8-bit sRGB colour.
package struct RGB: Equatable, Hashable, Sendable {
    package var r: UInt8
    package var g: UInt8
    package var b: UInt8

    package init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    package static let black = RGB(0, 0, 0)
    package static let white = RGB(255, 255, 255)
}
