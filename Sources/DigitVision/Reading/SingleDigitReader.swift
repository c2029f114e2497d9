import DigitCompute
import DigitImage

/// Reads the one digit in each of a batch of pictures, as `digit classify` does: each picture
/// preprocessed into its candidate 28x28s (`DigitPreprocessor.networkInputs`), all candidates
/// classified in one batch, and the more confident reading kept (`Classifier.mostConfident`).
package struct SingleDigitReader {
    package let classifier: Classifier
    package var preprocessor = DigitPreprocessor()

    package init(classifier: Classifier) {
        self.classifier = classifier
    }

    /// One prediction per picture, in order; only a blank picture fails
    /// (`PreprocessingError.noInk`). Pictures are preprocessed on the scheduler's threads.
    package func read(_ pictures: [GrayImage]) -> [Result<DigitPrediction, PreprocessingError>] {
        var prepared = [Result<[NetworkInput], PreprocessingError>?](repeating: nil, count: pictures.count)
        prepared.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            Scheduler.forEachItem(pictures.count) { i in base[i] = prepare(pictures[i]) }
        }
        return classify(prepared.map { $0! })
    }

    /// The candidate network inputs of one picture, or `PreprocessingError.noInk` for a blank one.
    package func prepare(_ picture: GrayImage) -> Result<[NetworkInput], PreprocessingError> {
        Self.prepare(picture, with: preprocessor)
    }

    /// `prepare` with `preprocessor`, for pictures prepared before the classifier is at hand.
    package static func prepare(_ picture: GrayImage, with preprocessor: DigitPreprocessor)
        -> Result<[NetworkInput], PreprocessingError> {
        Result { try preprocessor.networkInputs(for: picture) }.mapError { $0 as? PreprocessingError ?? .noInk }
    }

    /// Classifies prepared pictures in one batch; failures pass through in their places.
    package func classify<Failure: Error>(_ prepared: [Result<[NetworkInput], Failure>]) -> [Result<DigitPrediction, Failure>] {
        let ready = prepared.compactMap { try? $0.get() }
        var answers = classifier.mostConfident(ready.map { $0.map(\.image) }).makeIterator()
        return prepared.map { outcome in
            outcome.map { candidates in
                let (choice, probabilities) = answers.next()!
                let chosen = candidates[choice]
                return DigitPrediction(input: chosen.image, probabilities: probabilities, wholePicture: chosen.wholePicture)
            }
        }
    }
}
