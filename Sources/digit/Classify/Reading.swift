import DigitCompute
import DigitFiles
import DigitVision

/// What `classify` found for one file: the prediction for the digit it saw, or an error.
struct Reading {
    let path: String
    let outcome: Result<DigitPrediction, FileError>
}

/// Reads the digit in each of a list of files as a pipeline on the scheduler's threads:
/// each thread decodes and preprocesses a batch of files and classifies it
/// (`SingleDigitReader`), so decoding and inference overlap and every thread stays busy,
/// while the batches come out in order (`Scheduler.forEachInOrder`).
struct PictureReader {
    /// The classifier, asked for once the first batch is decoded and preprocessed, so a model
    /// still loading (`BackgroundModel`) is waited for only then; its error is rethrown.
    let classifier: () throws -> Classifier
    var preprocessor = DigitPreprocessor()

    /// Calls `batch` with the readings of consecutive files, in the files' order, as soon as
    /// they and all before them are read, then `progress(done, total)`; both calls are made
    /// one at a time. At most `pipelineWindow` batches are held at once, so memory stays
    /// bounded for any number of files. Throws the classifier's error (nothing read then).
    func read(_ files: [InputFile], progress: (Int, Int) -> Void, batch: ([Reading]) -> Void) throws {
        let batches = FileBatches(files: files.count, largest: 32)
        Scheduler.forEachInOrder(batches.count, window: pipelineWindow, produce: { index -> [Reading]? in
            // Later batches stop at once when there is no classifier.
            if index > 0, (try? classifier()) == nil { return nil }
            let range = batches[index]
            let prepared = files[range].map(prepare)
            guard let classifier = try? classifier() else { return nil }
            var reader = SingleDigitReader(classifier: classifier)
            reader.preprocessor = preprocessor
            return zip(files[range], reader.classify(prepared)).map { Reading(path: $0.name, outcome: $1) }
        }, consume: { index, readings in
            guard let readings else { return }
            batch(readings)
            progress(batches[index].upperBound, files.count)
        })
        _ = try classifier()
    }

    /// Every file's reading, in order.
    func read(_ files: [InputFile], progress: (Int, Int) -> Void) throws -> [Reading] {
        var readings: [Reading] = []
        readings.reserveCapacity(files.count)
        try read(files, progress: progress) { readings += $0 }
        return readings
    }

    /// Decodes one file into its candidate network inputs; errors name the file (the
    /// preprocessing fails only for a blank picture).
    private func prepare(_ file: InputFile) -> Result<[NetworkInput], FileError> {
        file.decoded().flatMap { picture in
            SingleDigitReader.prepare(picture, with: preprocessor)
                .mapError { _ in FileError(path: file.name, reason: "no digit found: the picture is blank") }
        }
    }
}

/// Batches a pipeline may hold at once: four per thread keep every thread fed while the
/// oldest batch waits for its turn to be written.
var pipelineWindow: Int { 4 * Scheduler.threads }

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
