import DigitImage

extension GrayImage {
    /// The picture area-averaged down (never enlarged) to fit a `side` x `side` square keeping
    /// its aspect ratio, centred on `background`: a thumbnail as the person made it.
    package func thumbnail(side: Int, background: UInt8 = 255) -> GrayImage {
        let scale = min(1, Double(side) / Double(max(width, height, 1)))
        let w = max(1, min(side, Int((Double(width) * scale).rounded())))
        let h = max(1, min(side, Int((Double(height) * scale).rounded())))
        let small = DigitPreprocessor.areaResample(DigitPreprocessor.Plane(width: width, height: height, values: pixels),
                                                   originX: 0, originY: 0, scaleX: Double(w) / Double(width),
                                                   scaleY: Double(h) / Double(height), width: w, height: h)
        var result = GrayImage(width: side, height: side, filledWith: background)
        let left = (side - w) / 2, top = (side - h) / 2
        for y in 0..<h {
            for x in 0..<w { result.pixels[(top + y) * side + left + x] = UInt8(min(max(small.values[y * w + x], 0), 255).rounded()) }
        }
        return result
    }
}
