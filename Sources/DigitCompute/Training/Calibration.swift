
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The softmax temperature T that minimises the mean negative log-likelihood of
/// `labels` under `softmax(logits / T)` (Guo et al. 2017, temperature scaling).
///
/// A golden-section search over log T in [ln 0.05, ln 20]; NLL is unimodal in T.
/// Temperature scaling never changes which class wins, only how sure the model says it is.
package func fitTemperature(logits: [Float], labels: [Int], classes: Int) -> Float {
    func loss(_ logT: Double) -> Double {
        let t = Float(exp(logT))
        var total = 0.0
        for (row, label) in labels.enumerated() {
            let base = row * classes
            var peak = -Float.infinity
            for j in 0..<classes { peak = max(peak, logits[base + j] / t) }
            var sum: Float = 0
            for j in 0..<classes { sum += expf(logits[base + j] / t - peak) }
            total += Double(logf(sum) + peak - logits[base + label] / t)
        }
        return total / Double(max(labels.count, 1))
    }
    var low = log(0.05), high = log(20.0)
    let ratio = (sqrt(5.0) - 1) / 2
    var a = high - ratio * (high - low), b = low + ratio * (high - low)
    var fa = loss(a), fb = loss(b)
    for _ in 0..<40 {
        if fa < fb {
            high = b; b = a; fb = fa
            a = high - ratio * (high - low); fa = loss(a)
        } else {
            low = a; a = b; fa = fb
            b = low + ratio * (high - low); fb = loss(b)
        }
    }
    return Float(exp((low + high) / 2))
}

/// Expected calibration error: the gap between confidence and accuracy, averaged over
/// `bins` equal-width confidence bins weighted by how many predictions fall in each.
///
/// `probabilities` is `[count x classes]`; the result is in 0...1 (0: perfectly calibrated).
package func expectedCalibrationError(probabilities: [Float], labels: [Int], classes: Int, bins: Int = 15) -> Float {
    var confidenceSum = [Double](repeating: 0, count: bins)
    var correctCount = [Double](repeating: 0, count: bins)
    var count = [Double](repeating: 0, count: bins)
    for (row, label) in labels.enumerated() {
        let best = indexOfLargest(probabilities, row: row, classes: classes)
        let confidence = probabilities[row * classes + best]
        let bin = min(bins - 1, Int(confidence * Float(bins)))
        confidenceSum[bin] += Double(confidence)
        correctCount[bin] += best == label ? 1 : 0
        count[bin] += 1
    }
    let total = Double(labels.count)
    var error = 0.0
    for bin in 0..<bins where count[bin] > 0 {
        error += abs(confidenceSum[bin] - correctCount[bin]) / total
    }
    return Float(error)
}
