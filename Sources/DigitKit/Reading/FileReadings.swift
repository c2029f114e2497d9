import DigitCompute
import DigitFiles
import DigitStore
import DigitVision

/// What `classify` found in one file: the prediction for the digit it saw, or an error naming the file.
public struct PictureReading: Sendable {
    public let file: PictureFile
    public let outcome: Result<DigitPrediction, FileError>

    /// The path as printed.
    public var name: String { file.name }
}

/// What `readNumbers` found in one file: the number, or an error naming the file.
public struct NumberPictureReading: Sendable {
    public let file: PictureFile
    public let outcome: Result<NumberReading, FileError>

    /// The path as printed.
    public var name: String { file.name }
}

extension DigitReader {
    /// Reads the digit in each of `files` as a pipeline on every thread: each thread decodes and
    /// preprocesses a batch of files and classifies it, so decoding and inference overlap,
    /// while the batches come out in order.
    ///
    /// Calls `batch` with the readings of consecutive files, in the files' order, as soon as
    /// they and all before them are read, then `progress(done, total)`; both calls are made one
    /// at a time. At most four batches per thread are held at once, so memory stays bounded for
    /// any number of files. A model still loading (`init(loadingInBackground:)`) is waited for
    /// only once the first batch is prepared. Throws the model's `FileError` when it cannot be
    /// loaded, having read nothing.
    public func classify(_ files: [PictureFile], progress: (Int, Int) -> Void = { _, _ in },
                         batch: ([PictureReading]) -> Void) throws {
        let preprocessor = DigitPreprocessor()
        try readInOrder(files, largestBatch: 32, progress: progress, batch: batch) { files, classifier in
            let prepared = files.map { file in
                file.decoded().flatMap { picture in
                    SingleDigitReader.prepare(picture, with: preprocessor).mapError { FileError(path: file.name, reason: "\($0)") }
                }
            }
            guard let classifier = classifier() else { return nil }
            return zip(files, SingleDigitReader(classifier: classifier).classify(prepared)).map(PictureReading.init)
        }
    }

    /// Every file's reading, in order; see `classify(_:progress:batch:)`.
    public func classify(_ files: [PictureFile], progress: (Int, Int) -> Void = { _, _ in }) throws -> [PictureReading] {
        var readings: [PictureReading] = []
        readings.reserveCapacity(files.count)
        try classify(files, progress: progress) { readings += $0 }
        return readings
    }

    /// Reads the number in each of `files` as `classify(_:progress:batch:)` reads digits: each
    /// thread decodes and segments a batch of pictures and classifies their digits together;
    /// the batches come out in order. A picture without digits is a failed reading. With
    /// `digits`, only readings of that many digits are considered (see `readNumber(_:digits:)`).
    public func readNumbers(_ files: [PictureFile], digits: Int? = nil, progress: (Int, Int) -> Void = { _, _ in },
                            batch: ([NumberPictureReading]) -> Void) throws {
        let segmenter = DigitSegmenter()
        let wholeDigitScorer = try BundledModel.wholeDigitScorer()
        // Pictures of numbers hold several digits each: smaller batches than classify's.
        try readInOrder(files, largestBatch: 16, progress: progress, batch: batch) { files, classifier in
            let prepared = files.map { file in
                file.decoded().flatMap { picture in
                    Result { try NumberReader.prepare(picture, with: segmenter) }.mapError { FileError(path: file.name, reason: "\($0)") }
                }
            }
            guard let classifier = classifier() else { return nil }
            var readings = NumberReader(classifier: classifier, wholeDigitScorer: wholeDigitScorer).classify(prepared.compactMap { try? $0.get() }, digits: digits)
                .makeIterator()
            return zip(files, prepared).map { file, outcome in
                NumberPictureReading(file: file, outcome: outcome.map { _ in readings.next()! })
            }
        }
    }

    /// The ordered pipeline behind both: `read` turns one batch of files into its results, given
    /// the classifier (nil when the model cannot be loaded: it then returns nil too).
    private func readInOrder<Reading>(_ files: [PictureFile], largestBatch: Int, progress: (Int, Int) -> Void,
                                      batch: ([Reading]) -> Void,
                                      read: (ArraySlice<PictureFile>, () -> Classifier?) -> [Reading]?) throws {
        let batches = FileBatches(files: files.count, largest: largestBatch)
        Scheduler.forEachInOrder(batches.count, window: 4 * Scheduler.threads, produce: { index -> [Reading]? in
            // Later batches stop at once when there is no classifier.
            if index > 0, (try? classifier()) == nil { return nil }
            return read(files[batches[index]], { try? classifier() })
        }, consume: { index, readings in
            guard let readings else { return }
            batch(readings)
            progress(batches[index].upperBound, files.count)
        })
        _ = try classifier()
    }
}

/// A list of files cut into consecutive batches for the pipeline: about four per thread, so
/// the threads share the work evenly, of at most `largest` files each, so the first results
/// come out early and each batch's inference stays in cache.
struct FileBatches {
    /// The number of batches.
    let count: Int
    private let files: Int
    private let size: Int

    init(files: Int, largest: Int) {
        self.files = files
        size = max(1, min(largest, files / (4 * Scheduler.threads)))
        count = (files + size - 1) / size
    }

    /// The files of batch `index`.
    subscript(index: Int) -> Range<Int> { (index * size)..<min((index + 1) * size, files) }
}
