import DigitCompute
import DigitFiles
import DigitVision

/// What `read` found in one file: the number, or why there is none.
struct NumberFileResult {
    let file: InputFile
    let outcome: Result<NumberReading, FileError>

    /// The path as printed.
    var path: String { file.name }
}

/// Reads the numbers in a list of files as a pipeline on the scheduler's threads, as
/// `PictureReader` reads digits: each thread decodes and segments a batch of pictures and
/// classifies their digits together; the batches come out in order.
struct NumberPictureReader {
    let reader: NumberReader

    /// Calls `batch` with the results of consecutive files, in the files' order, as soon as
    /// they and all before them are read, then `progress(done, total)`; both calls are made
    /// one at a time, with at most `pipelineWindow` batches held at once.
    func read(_ files: [InputFile], progress: (Int, Int) -> Void, batch: ([NumberFileResult]) -> Void) {
        // Pictures of numbers hold several digits each: smaller batches than classify's.
        let batches = FileBatches(files: files.count, largest: 16)
        Scheduler.forEachInOrder(batches.count, window: pipelineWindow, produce: { index in
            read(files[batches[index]])
        }, consume: { index, results in
            batch(results)
            progress(batches[index].upperBound, files.count)
        })
    }

    /// One result per file, in order.
    private func read(_ files: ArraySlice<InputFile>) -> [NumberFileResult] {
        let prepared = files.map(prepare)
        let ready = prepared.compactMap { try? $0.get() }
        var readings = reader.classify(ready).makeIterator()
        return zip(files, prepared).map { file, outcome in
            NumberFileResult(file: file, outcome: outcome.map { _ in readings.next()! })
        }
    }

    /// Decodes one file and prepares its digits; errors name the file.
    private func prepare(_ file: InputFile) -> Result<[[PreparedDigit]], FileError> {
        file.decoded().flatMap { picture in
            Result { try reader.prepare(picture) }.mapError { FileError(path: file.name, reason: "\($0)") }
        }
    }
}
