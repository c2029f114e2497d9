import DigitCompute

/// The picture variants `Trainer` learns from (`TrainingOptions.pictureVariants`): for each
/// digit, the MNIST-style 28x28 of one random person's picture of it
/// (`DigitVariant.randomPicture`) as `DigitPreprocessor` reads it.
package struct PictureVariants: PictureVariantSource {
    package init() {}

    /// Drawn on the scheduler's threads, each picture from its own seed, so the same seed gives
    /// the same images.
    package func pictures(of data: Dataset, indices: [Int], seed: UInt64) -> [UInt8] {
        let width = data.pixelsPerImage
        var result = [UInt8](repeating: 0, count: indices.count * width)
        let preprocessor = DigitPreprocessor()
        result.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            Scheduler.forEachItem(indices.count) { slot in
                let index = indices[slot]
                var random = SeededRandom(seed: seed &* 0x2545_F491 &+ UInt64(index))
                let start = index * width
                let (picture, lightInk) = DigitVariant.randomPicture(
                    of: Array(data.images[start..<(start + width)]), label: Int(data.labels[index]), side: data.rows,
                    random: &random)
                // Of an ambiguous picture's two readings (dark ink first), the one with the
                // ink it was made with: the network learns digits, not misread paper.
                let readings = (try? preprocessor.networkInputs(for: picture)) ?? []
                let input = (lightInk && readings.count == 2 ? readings.last : readings.first)?.image.pixels
                    ?? Array(data.images[start..<(start + width)])
                (base + slot * width).update(from: input, count: width)
            }
        }
        return result
    }
}
