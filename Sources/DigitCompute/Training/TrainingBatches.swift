
/// The training images as network inputs: picked by index, normalised and, when
/// augmentation is on, distorted; and the loss against their labels.
///
/// Each sample's distortion is seeded by (seed, step, row in the whole batch), so a batch
/// comes out the same however it is split between threads.
struct TrainingBatches {
    /// The images as bytes, normalised per batch: a quarter of the memory traffic of floats.
    let pixels: [UInt8]
    let labels: [UInt8]
    let width: Int
    let augmentation: Augmentation
    /// The bank of elastic distortions, when augmentation uses them.
    let elasticFields: ElasticFields?
    let seed: UInt64
    /// Label smoothing of the loss (`TrainingOptions.labelSmoothing`).
    let labelSmoothing: Float

    /// The training loss of `logits` for the samples at `members`, its gradient scaled by
    /// `share`, and the count of correct answers.
    func loss(_ logits: [Float], for members: ArraySlice<Int>, classes: Int, share: Float)
        -> (loss: Float, gradient: [Float], correct: Int) {
        var result = softmaxCrossEntropy(logits: logits, labels: members.map { Int(labels[$0]) }, classes: classes,
                                         smoothing: labelSmoothing)
        if share != 1 {
            for i in result.gradient.indices { result.gradient[i] *= share }
        }
        return result
    }

    /// Writes the samples at `members`, rows `firstRow...` of batch `step`, one after
    /// another into `batch` (`members.count x width` floats).
    func gather(_ members: ArraySlice<Int>, firstRow: Int, step: Int, into batch: UnsafeMutablePointer<Float>) {
        pixels.withUnsafeBufferPointer { src in
            let source = src.baseAddress!
            if augmentation.isIdentity { return undistorted(members, features: 0..<width, into: batch) }
            let original = UnsafeMutablePointer<Float>.allocate(capacity: width)
            defer { original.deallocate() }
            for (row, index) in members.enumerated() {
                normalise(source + index * width, count: width, into: original)
                var random = SeededRandom(seed: seed &* 0x9E37_79B9 &+ UInt64(step) &* 0x1_0000 &+ UInt64(firstRow + row))
                augmentation.apply(original, side: Architecture.inputShape.width,
                                   into: batch + row * width, fields: elasticFields, random: &random)
            }
        }
    }

    /// Features `features` (pixel indices) of the samples at `members` as they are, without
    /// distortions, one sample after another into `batch` (`members.count x features.count` floats).
    func undistorted(_ members: ArraySlice<Int>, features: Range<Int>, into batch: UnsafeMutablePointer<Float>) {
        pixels.withUnsafeBufferPointer { src in
            for (row, index) in members.enumerated() {
                normalise(src.baseAddress! + index * width + features.lowerBound, count: features.count,
                          into: batch + row * features.count)
            }
        }
    }

    /// `undistorted` into a new array; all features when `features` is nil.
    func undistorted(_ members: ArraySlice<Int>, features: Range<Int>? = nil) -> [Float] {
        let features = features ?? 0..<width
        guard !members.isEmpty, !features.isEmpty else { return [] }
        return [Float](unsafeUninitializedCapacity: members.count * features.count) { buffer, count in
            undistorted(members, features: features, into: buffer.baseAddress!)
            count = members.count * features.count
        }
    }

    /// `gather` into a new array.
    func gather(_ members: ArraySlice<Int>, firstRow: Int, step: Int) -> [Float] {
        guard !members.isEmpty else { return [] }
        return [Float](unsafeUninitializedCapacity: members.count * width) { buffer, count in
            gather(members, firstRow: firstRow, step: step, into: buffer.baseAddress!)
            count = members.count * width
        }
    }
}
