/// Makes digits drawn from pen strokes, read back as the network sees pictures (DigitVision's
/// `StrokeDigitSamples`): the extra training samples of `TrainingOptions.strokeDigits`.
package protocol StrokeDigitSource: Sendable {
    /// `count` 28x28 images (`Architecture.inputSize` bytes each, one after another) and their
    /// labels, balanced over the classes. The same count and seed give the same bytes.
    func digits(count: Int, seed: UInt64) -> (images: [UInt8], labels: [UInt8])
}
