import DigitFiles
import DigitVision
import Dispatch

/// What `read` found in one file: the number, or why there is none.
struct NumberFileResult {
    let file: InputFile
    let outcome: Result<NumberReading, FileError>

    /// The path as printed.
    var path: String { file.name }
}

/// Decodes and segments pictures on both cores, then classifies their digits in batches.
struct NumberPictureReader {
    let reader: NumberReader
    /// Pictures segmented before their digits are classified together.
    let picturesPerBatch = 64

    /// One result per file, in the order given; `progress(done, total)` after each batch.
    func read(_ files: [InputFile], progress: (Int, Int) -> Void) -> [NumberFileResult] {
        var results: [NumberFileResult] = []
        results.reserveCapacity(files.count)
        var done = 0
        while done < files.count {
            let range = done..<min(done + picturesPerBatch, files.count)
            var prepared = [Result<[[PreparedDigit]], FileError>?](repeating: nil, count: range.count)
            prepared.withUnsafeMutableBufferPointer { slots in
                let base = slots.baseAddress!
                DispatchQueue.concurrentPerform(iterations: 2) { half in
                    for i in stride(from: half, to: range.count, by: 2) { base[i] = prepare(files[range.lowerBound + i]) }
                }
            }
            let ready = prepared.compactMap { slot -> [[PreparedDigit]]? in
                if case .success(let lines)? = slot { return lines }
                return nil
            }
            var readings = reader.classify(ready).makeIterator()
            for (offset, slot) in prepared.enumerated() {
                let file = files[range.lowerBound + offset]
                switch slot! {
                case .success: results.append(NumberFileResult(file: file, outcome: .success(readings.next()!)))
                case .failure(let error): results.append(NumberFileResult(file: file, outcome: .failure(error)))
                }
            }
            done = range.upperBound
            progress(done, files.count)
        }
        return results
    }

    /// Decodes one file and prepares its digits; errors name the file.
    private func prepare(_ file: InputFile) -> Result<[[PreparedDigit]], FileError> {
        file.decoded().flatMap { picture in
            Result { try reader.prepare(picture) }.mapError { FileError(path: file.name, reason: "\($0)") }
        }
    }
}
