
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A classifier's results on a labelled dataset.
package struct Evaluation {
    /// `[count x classes]` probabilities, one row per image.
    package let probabilities: [Float]
    package let predictions: [Int]
    package let labels: [Int]
    package let classes: Int

    /// Raw network outputs `[count x classes]`, before the temperature.
    package let logits: [Float]
    package let temperature: Float

    package init(classifier: Classifier, data: Dataset) {
        let logits = classifier.logits(normalisedPixels(data.images), count: data.count)
        self.init(logits: logits, labels: data.labels.map(Int.init), classes: classifier.network.classes,
                  temperature: classifier.temperature)
    }

    /// From the probabilities a classifier at `temperature` gave (`[count x classes]`, rows
    /// summing to 1) and the true labels: logits are recovered up to a constant per row,
    /// which no softmax sees.
    package init(probabilities: [Float], labels: [Int], classes: Int, temperature: Float) {
        self.init(logits: probabilities.map { temperature * logf(max($0, .leastNormalMagnitude)) }, labels: labels,
                  classes: classes, temperature: temperature)
    }

    private init(logits: [Float], labels: [Int], classes: Int, temperature: Float) {
        self.classes = classes
        self.temperature = temperature
        self.logits = logits
        self.labels = labels
        probabilities = softmax(logits, classes: classes, temperature: temperature)
        predictions = (0..<labels.count).map { [probabilities, classes] in indexOfLargest(probabilities, row: $0, classes: classes) }
    }

    package var total: Int { labels.count }
    package var correct: Int { zip(predictions, labels).filter { $0 == $1 }.count }
    package var accuracy: Float { total > 0 ? Float(correct) / Float(total) : 0 }

    /// Expected calibration error of the probabilities at `temperature` (see
    /// `expectedCalibrationError`); 1 gives the uncalibrated network's.
    package func calibrationError(temperature: Float) -> Float {
        expectedCalibrationError(probabilities: softmax(logits, classes: classes, temperature: temperature),
                                 labels: labels, classes: classes)
    }

    /// `confusion[true][predicted]` counts.
    package var confusion: [[Int]] {
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (predicted, label) in zip(predictions, labels) { matrix[label][predicted] += 1 }
        return matrix
    }

    /// The probability the classifier gave its own answer for image `i`.
    package func confidence(_ i: Int) -> Float { probabilities[i * classes + predictions[i]] }

    /// Indices of misclassified images, most confident mistakes first (ties by index).
    package var errorsByConfidence: [Int] {
        (0..<total).filter { predictions[$0] != labels[$0] }
            .sorted { (confidence($0), $1) > (confidence($1), $0) }
    }
}
