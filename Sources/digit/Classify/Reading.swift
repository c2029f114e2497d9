import DigitKit
import DigitPNG
import Dispatch

/// What `classify` found for one file: probabilities for the digit it saw, or an error.
struct Reading {
    let path: String
    let outcome: Result<Prediction, ReadingError>
}

/// A file that could not be classified, with the one-line reason (already naming the file).
struct ReadingError: Error, CustomStringConvertible {
    let message: String

    var description: String { message }
}

/// The classifier's answer for one picture.
struct Prediction {
    /// The 28x28 picture the network saw.
    let input: GrayImage
    /// True when no distinct ink was found and the whole picture was read instead.
    let wholePicture: Bool
    let probabilities: [Float]

    var digit: Int { probabilities.indices.max { probabilities[$0] < probabilities[$1] }! }
    var confidence: Float { probabilities[digit] }

    /// The `k` most probable digits, best first.
    func top(_ k: Int) -> [(digit: Int, probability: Float)] {
        probabilities.enumerated().sorted { ($0.element, $1.offset) > ($1.element, $0.offset) }
            .prefix(k).map { ($0.offset, $0.element) }
    }
}

/// Decodes and preprocesses pictures on both cores, then classifies them in batches.
struct PictureReader {
    let classifier: Classifier
    let preprocessor = DigitPreprocessor()

    func read(_ files: [InputFile], progress: (Int, Int) -> Void) -> [Reading] {
        var inputs = [Result<[NetworkInput], ReadingError>?](repeating: nil, count: files.count)
        let batchSize = 256
        var done = 0
        var readings: [Reading] = []
        readings.reserveCapacity(files.count)
        while done < files.count {
            let range = done..<min(done + batchSize, files.count)
            inputs.withUnsafeMutableBufferPointer { slots in
                let base = slots.baseAddress!
                DispatchQueue.concurrentPerform(iterations: 2) { half in
                    for i in stride(from: range.lowerBound + half, to: range.upperBound, by: 2) {
                        base[i] = prepare(files[i])
                    }
                }
            }
            let ready = range.compactMap { i -> [NetworkInput]? in
                if case .success(let candidates)? = inputs[i] { return candidates }
                return nil
            }
            let answers = classifier.mostConfident(ready.map { $0.map(\.image) })
            var next = 0
            for i in range {
                switch inputs[i]! {
                case .failure(let error):
                    readings.append(Reading(path: files[i].name, outcome: .failure(error)))
                case .success(let candidates):
                    let (choice, row) = answers[next]
                    let picture = candidates[choice]
                    let prediction = Prediction(input: picture.image, wholePicture: picture.wholePicture, probabilities: row)
                    readings.append(Reading(path: files[i].name, outcome: .success(prediction)))
                    next += 1
                }
                inputs[i] = nil
            }
            done = range.upperBound
            progress(done, files.count)
        }
        return readings
    }

    /// Decodes and preprocesses one file into its candidate network inputs (see
    /// `DigitPreprocessor.networkInputs`); only a blank picture is an error.
    private func prepare(_ file: InputFile) -> Result<[NetworkInput], ReadingError> {
        let picture: GrayImage
        switch file.decoded() {
        case .success(let decoded): picture = decoded
        case .failure(let error): return .failure(error)
        }
        guard let candidates = try? preprocessor.networkInputs(for: picture) else {
            return .failure(ReadingError(message: "\(file.name): no digit found: the picture is blank"))
        }
        return .success(candidates)
    }
}
