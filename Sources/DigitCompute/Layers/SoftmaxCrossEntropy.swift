
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax of each row of `logits[batch x classes]`, stable (the row maximum is
/// subtracted before exponentiating) and with logits divided by `temperature`.
package func softmax(_ logits: [Float], classes: Int, temperature: Float = 1) -> [Float] {
    var p = logits
    let rows = logits.count / classes
    for r in 0..<rows {
        let row = r * classes
        var peak = -Float.infinity
        for j in 0..<classes { peak = max(peak, logits[row + j]) }
        var sum: Float = 0
        for j in 0..<classes {
            let e = expf((logits[row + j] - peak) / temperature)
            p[row + j] = e
            sum += e
        }
        for j in 0..<classes { p[row + j] /= sum }
    }
    return p
}

/// Mean cross-entropy of softmax(logits) against integer labels, and its gradient.
///
/// Fused, so the gradient is the well-conditioned `(softmax - target) / batch` and
/// the loss uses log-sum-exp (no `log(0)`). `logits` is `[batch x classes]`. The target
/// is the one-hot label, or with `smoothing` ε (label smoothing, Szegedy et al. 2016)
/// `(1 - ε) onehot + ε / classes`, which keeps the network from pushing its logits apart
/// without end on examples it already has right.
package func softmaxCrossEntropy(logits: [Float], labels: [Int], classes: Int, smoothing: Float = 0)
    -> (loss: Float, gradient: [Float], correct: Int)
{
    let batch = labels.count
    var gradient = logits
    var loss: Double = 0
    var correct = 0
    let spread = smoothing / Float(classes)
    for r in 0..<batch {
        let row = r * classes
        let label = labels[r]
        let best = indexOfLargest(logits, row: r, classes: classes)
        if best == label { correct += 1 }
        let peak = logits[row + best]
        var sum: Float = 0, meanLogit: Float = 0
        for j in 0..<classes {
            let e = expf(logits[row + j] - peak)
            gradient[row + j] = e
            sum += e
            meanLogit += logits[row + j]
        }
        meanLogit /= Float(classes)
        for j in 0..<classes { gradient[row + j] = gradient[row + j] / sum - spread }
        // -Σ t log softmax = log Σ e^(l - peak) + peak - Σ t l, finite for any logits.
        let targetLogit = smoothing == 0 ? logits[row + label] : (1 - smoothing) * logits[row + label] + smoothing * meanLogit
        loss += Double(logf(sum) + peak - targetLogit)
        gradient[row + label] -= 1 - smoothing
    }
    let scale = 1 / Float(batch)
    for i in gradient.indices { gradient[i] *= scale }
    return (Float(loss / Double(batch)), gradient, correct)
}
