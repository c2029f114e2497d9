/// A labelled set of same-sized grayscale images, as MNIST stores them.
///
/// `images` holds `count` images of `rows * columns` bytes each, row-major, 0 = background
/// (black), 255 = ink (white). `labels[i]` is the class of image `i`, in `0..<classCount`.
public struct Dataset: Sendable {
    public let images: [UInt8]
    public let labels: [UInt8]
    public let rows: Int
    public let columns: Int

    public init(images: [UInt8], labels: [UInt8], rows: Int, columns: Int) {
        precondition(images.count == labels.count * rows * columns)
        self.images = images
        self.labels = labels
        self.rows = rows
        self.columns = columns
    }

    public var count: Int { labels.count }
    public var pixelsPerImage: Int { rows * columns }

    /// Image `i` as a `GrayImage` (white ink on black).
    public func image(_ i: Int) -> GrayImage {
        let n = pixelsPerImage
        return GrayImage(width: columns, height: rows, pixels: Array(images[(i * n)..<((i + 1) * n)]))
    }
}
