/// A pixel position: `x` grows rightwards, `y` downwards, (0, 0) is the top-left pixel.
public struct PixelPoint: Equatable, Hashable, Sendable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}
