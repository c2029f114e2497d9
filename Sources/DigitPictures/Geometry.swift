
/// A pixel position: `x` grows rightwards, `y` downwards, (0, 0) is the top-left pixel.
package struct PixelPoint: Equatable, Hashable, Sendable {
    package var x: Int
    package var y: Int

    package init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}
