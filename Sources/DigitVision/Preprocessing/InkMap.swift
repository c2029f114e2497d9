import DigitImage

/// Where a picture's ink is, found exactly as `DigitPreprocessor.preprocess` finds it (background
/// surface, polarity, Otsu threshold, rule-line removal), for callers that look at several marks
/// in one picture, such as the multi-digit reader.
///
/// The planes are on the analysis grid: the picture area-averaged down so its longer side is at
/// most the requested size, `scale` analysis pixels per picture pixel (1 when not reduced).
package struct InkMap: Sendable {
    /// Analysis grid size in pixels.
    package let width: Int
    package let height: Int
    /// Analysis pixels per picture pixel, in (0, 1].
    package let scale: Double
    /// 1 where the ink strength exceeds the ink threshold and no rule line was erased, else 0;
    /// row-major, `width * height` values.
    package let mask: [UInt8]
    /// How far each pixel departs from the background towards the ink, in gray levels (≥ 0);
    /// 0 on erased rule lines. Row-major, `width * height` values.
    package let strength: [Float]
    /// The threshold (gray levels) that made `mask` from `strength`.
    package let threshold: Float
    /// True when the ink is lighter than its background (chalk on a board, MNIST itself).
    package let isLightOnDark: Bool
}

extension DigitPreprocessor {
    /// The ink of `image` on an analysis grid whose longer side is at most `maximumSide` pixels.
    /// Throws `PreprocessingError.noInk` for an empty picture or one with no ink of either polarity.
    package func inkMap(of image: GrayImage, maximumSide: Int) throws -> InkMap {
        guard image.width > 0, image.height > 0 else { throw PreprocessingError.noInk }
        let picture = Self.analysisPlane(image, maximumSide: maximumSide)
        var (strength, threshold, mask, erased, _, polarity) = try foundInk(in: picture)
        for index in erased.values.indices where erased.values[index] == 1 { strength.values[index] = 0 }
        return InkMap(width: picture.width, height: picture.height,
                      scale: Double(picture.width) / Double(image.width),
                      mask: mask.values, strength: strength.values, threshold: threshold,
                      isLightOnDark: polarity == .lightOnDark)
    }
}
