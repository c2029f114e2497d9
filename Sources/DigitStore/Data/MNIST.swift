import DigitCompute
import DigitFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two halves of an MNIST-format dataset.
package enum Split: String, CaseIterable, Sendable {
    case train
    case test

    /// The standard file names, e.g. `train-images-idx3-ubyte`.
    var imagesFile: String { self == .train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte" }
    var labelsFile: String { self == .train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte" }
}

/// Loads MNIST and datasets in the same format (Fashion-MNIST, EMNIST digits...).
package enum MNIST {
    /// Loads one split from `directory`, accepting `NAME.gz` or uncompressed `NAME` files.
    ///
    /// Throws `FileError` naming the file when it is missing, malformed, when image and
    /// label counts differ, or when a label is outside `0..<classCount`.
    package static func load(split: Split, from directory: String, classCount: Int = 10) throws -> Dataset {
        let imagesPath = try locate(split.imagesFile, in: directory)
        let labelsPath = try locate(split.labelsFile, in: directory)
        let images = try IDX.readImages(path: imagesPath)
        let labels = try IDX.readLabels(path: labelsPath)
        guard images.count == labels.count else {
            throw FileError(path: labelsPath, reason: "\(labels.count) labels for \(images.count) images in \(imagesPath)")
        }
        if let bad = labels.firstIndex(where: { Int($0) >= classCount }) {
            throw FileError(path: labelsPath, reason: "label \(labels[bad]) at index \(bad) is outside 0...\(classCount - 1)")
        }
        return Dataset(images: images.pixels, labels: labels, rows: images.rows, columns: images.columns)
    }

    /// The reason given for a data file that is not in the folder.
    package static let notFound = "not found"

    /// Whether `directory` holds both files of `split` (`.gz` or raw).
    package static func isPresent(_ split: Split, in directory: String) -> Bool {
        (try? locate(split.imagesFile, in: directory)) != nil && (try? locate(split.labelsFile, in: directory)) != nil
    }

    static func locate(_ name: String, in directory: String) throws -> String {
        for candidate in ["\(directory)/\(name).gz", "\(directory)/\(name)"] where access(candidate, F_OK) == 0 {
            return candidate
        }
        throw FileError(path: "\(directory)/\(name).gz",
                        reason: notFound)
    }
}
