
/// Makes people's pictures of training digits, read back as the network sees pictures
/// (DigitVision's `PictureVariants`): what `Trainer` shows in place of the MNIST image for a
/// share `TrainingOptions.pictureVariants` of the samples.
package protocol PictureVariantSource: Sendable {
    /// One 28x28 image (`data.pixelsPerImage` bytes) per index of `data`'s images at
    /// `indices`, one after another. The same data, indices and seed give the same bytes.
    func pictures(of data: Dataset, indices: [Int], seed: UInt64) -> [UInt8]
}
