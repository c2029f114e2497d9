import DigitImage

/// A labelled set of same-sized grayscale images, as MNIST stores them.
///
/// `images` holds `count` images of `rows * columns` bytes each, row-major, 0 = background
/// (black), 255 = ink (white). `labels[i]` is the class of image `i`, in `0..<classCount`.
package struct Dataset: Sendable {
    package let images: [UInt8]
    package let labels: [UInt8]
    package let rows: Int
    package let columns: Int

    package init(images: [UInt8], labels: [UInt8], rows: Int, columns: Int) {
        precondition(images.count == labels.count * rows * columns)
        self.images = images
        self.labels = labels
        self.rows = rows
        self.columns = columns
    }

    package var count: Int { labels.count }
    package var pixelsPerImage: Int { rows * columns }

    /// Image `i` as a `GrayImage` (white ink on black).
    package func image(_ i: Int) -> GrayImage {
        let n = pixelsPerImage
        return GrayImage(width: columns, height: rows, pixels: Array(images[(i * n)..<((i + 1) * n)]))
    }
}
