
/// An axis-aligned rectangle of whole pixels: columns `x ..< x + width`, rows `y ..< y + height`.
public struct PixelRect: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The rectangle from column `x` through column `lastX` and row `y` through row `lastY`,
    /// both ends included.
    package init(x: Int, y: Int, lastX: Int, lastY: Int) {
        self.init(x: x, y: y, width: lastX - x + 1, height: lastY - y + 1)
    }

    /// The last column inside (`maxX - 1`).
    package var lastX: Int { x + width - 1 }
    /// The last row inside (`maxY - 1`).
    package var lastY: Int { y + height - 1 }
    package var longerSide: Int { max(width, height) }

    /// The smallest rectangle holding both.
    package func union(_ other: PixelRect) -> PixelRect {
        PixelRect(x: min(x, other.x), y: min(y, other.y), lastX: max(lastX, other.lastX), lastY: max(lastY, other.lastY))
    }

    /// Empty pixels between the rectangles along the axis where they are furthest apart; 0 if
    /// they touch or overlap.
    package func gap(to other: PixelRect) -> Int {
        let dx = max(other.x - lastX - 1, x - other.lastX - 1, 0)
        let dy = max(other.y - lastY - 1, y - other.lastY - 1, 0)
        return max(dx, dy)
    }

    /// The rectangle with each side moved inwards by its own number of pixels.
    package func inset(left: Int, top: Int, right: Int, bottom: Int) -> PixelRect {
        PixelRect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
    }

    /// One past the last column.
    public var maxX: Int { x + width }
    /// One past the last row.
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The overlap of two rectangles (empty, with non-negative size, when they do not meet).
    public func intersection(_ other: PixelRect) -> PixelRect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return PixelRect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// The rectangle shrunk by `d` pixels on every side (grown when `d` is negative).
    public func insetBy(_ d: Int) -> PixelRect {
        PixelRect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d)
    }
    /// Intersection over union of the two rectangles' areas, 0...1.
    public func intersectionOverUnion(_ other: PixelRect) -> Double {
        let overlap = intersection(other)
        let overlapArea = Double(overlap.width * overlap.height)
        let union = Double(width * height + other.width * other.height) - overlapArea
        return union > 0 ? overlapArea / union : 0
    }

    /// `[x,y,width,height]`.
    public var description: String { "[\(x),\(y),\(width),\(height)]" }
}
