import DigitImage


extension GrayImage {
    /// The picture turned or mirrored by `orientation`: the stored picture of a JPEG made
    /// upright. Quarter turns and the diagonal mirrors (5 to 8) swap width and height.
    package func oriented(_ orientation: ExifOrientation) -> GrayImage {
        let (w, h) = (width, height)
        let swapsSides = orientation.rawValue >= 5
        let outWidth = swapsSides ? h : w
        let outHeight = swapsSides ? w : h
        // The stored pixel each upright pixel (x, y) shows.
        let source: (Int, Int) -> Int
        switch orientation {
        case .identity: return self
        case .flippedHorizontally: source = { x, y in y * w + (w - 1 - x) }
        case .rotated180: source = { x, y in (h - 1 - y) * w + (w - 1 - x) }
        case .flippedVertically: source = { x, y in (h - 1 - y) * w + x }
        case .transposed: source = { x, y in x * w + y }
        case .rotated90Clockwise: source = { x, y in (h - 1 - x) * w + y }
        case .transversed: source = { x, y in (h - 1 - x) * w + (w - 1 - y) }
        case .rotated90CounterClockwise: source = { x, y in x * w + (w - 1 - y) }
        }
        var turned = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { stored in
            for y in 0..<outHeight {
                for x in 0..<outWidth { turned[y * outWidth + x] = stored[source(x, y)] }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: turned)
    }
}
