import DigitFiles
import DigitVision
import Dispatch

/// What `classify` found for one file: the prediction for the digit it saw, or an error.
struct Reading {
    let path: String
    let outcome: Result<DigitPrediction, FileError>
}

/// Decodes and preprocesses pictures on all cores, then reads their digits in batches
/// (`SingleDigitReader`).
struct PictureReader {
    let reader: SingleDigitReader
    let batchSize = 256

    func read(_ files: [InputFile], progress: (Int, Int) -> Void) -> [Reading] {
        var readings: [Reading] = []
        readings.reserveCapacity(files.count)
        var done = 0
        while done < files.count {
            let batch = Array(files[done..<min(done + batchSize, files.count)])
            var prepared = [Result<[NetworkInput], FileError>?](repeating: nil, count: batch.count)
            prepared.withUnsafeMutableBufferPointer { slots in
                let base = slots.baseAddress!
                DispatchQueue.concurrentPerform(iterations: batch.count) { i in base[i] = prepare(batch[i]) }
            }
            for (file, outcome) in zip(batch, reader.classify(prepared.map { $0! })) {
                readings.append(Reading(path: file.name, outcome: outcome))
            }
            done += batch.count
            progress(done, files.count)
        }
        return readings
    }

    /// Decodes one file into its candidate network inputs; errors name the file (the
    /// preprocessing fails only for a blank picture).
    private func prepare(_ file: InputFile) -> Result<[NetworkInput], FileError> {
        file.decoded().flatMap { picture in
            reader.prepare(picture).mapError { _ in FileError(path: file.name, reason: "no digit found: the picture is blank") }
        }
    }
}
