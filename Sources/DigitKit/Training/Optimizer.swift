#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How parameters move along their gradients.
public enum OptimizerKind: String, CaseIterable, Codable, Sendable {
    /// `w -= lr * g`.
    case sgd
    /// `v = 0.9 v + g; w -= lr * v`.
    case momentum
    /// Adam (Kingma & Ba 2015), β1 0.9, β2 0.999, ε 1e-8, with bias correction.
    case adam
}

/// Applies one update per call of `step` to every parameter.
///
/// L2 weight decay adds `weightDecay * w` to the gradient of parameters that decay
/// (weights, not biases) before the update rule.
public final class Optimizer {
    public let kind: OptimizerKind
    public let weightDecay: Float
    private let parameters: [Parameter]
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]
    private var steps = 0

    /// Updates applied so far (Adam's bias correction depends on it).
    public var stepCount: Int { steps }

    /// The moment estimates by name (`m.PARAM`, `v.PARAM`), for checkpoints.
    public var state: [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (index, parameter) in parameters.enumerated() {
            if !firstMoments.isEmpty { result["m.\(parameter.name)"] = firstMoments[index] }
            if !secondMoments.isEmpty { result["v.\(parameter.name)"] = secondMoments[index] }
        }
        return result
    }

    /// Restores moments saved by `state` and the step count.
    public func restore(_ saved: [String: [Float]], steps: Int) throws {
        func load(_ key: String, count: Int) throws -> [Float] {
            guard let values = saved[key], values.count == count else {
                throw ModelFileError(path: "checkpoint", reason: "optimizer state \(key) is missing or the wrong size")
            }
            return values
        }
        for (index, parameter) in parameters.enumerated() {
            if !firstMoments.isEmpty { firstMoments[index] = try load("m.\(parameter.name)", count: parameter.value.count) }
            if !secondMoments.isEmpty { secondMoments[index] = try load("v.\(parameter.name)", count: parameter.value.count) }
        }
        self.steps = steps
    }

    public static let momentum: Float = 0.9
    public static let beta1: Float = 0.9
    public static let beta2: Float = 0.999
    public static let epsilon: Float = 1e-8

    public init(kind: OptimizerKind, parameters: [Parameter], weightDecay: Float = 0) {
        self.kind = kind
        self.weightDecay = weightDecay
        self.parameters = parameters
        firstMoments = kind == .sgd ? [] : parameters.map { [Float](repeating: 0, count: $0.value.count) }
        secondMoments = kind == .adam ? parameters.map { [Float](repeating: 0, count: $0.value.count) } : []
    }

    /// Moves every parameter by one step of size `learningRate` along its gradient.
    public func step(learningRate lr: Float) {
        steps += 1
        let correction1 = 1 - powf(Self.beta1, Float(steps))
        let correction2 = 1 - powf(Self.beta2, Float(steps))
        for (index, parameter) in parameters.enumerated() {
            let decay = parameter.decays ? weightDecay : 0
            let count = parameter.value.count
            parameter.gradient.withUnsafeBufferPointer { gradient in
                let g = gradient.baseAddress!
                parameter.value.withUnsafeMutableBufferPointer { weights in
                    let w = weights.baseAddress!
                    switch kind {
                    case .sgd:
                        for i in 0..<count { w[i] -= lr * (g[i] + decay * w[i]) }
                    case .momentum:
                        firstMoments[index].withUnsafeMutableBufferPointer { velocity in
                            let v = velocity.baseAddress!
                            for i in 0..<count {
                                v[i] = Self.momentum * v[i] + g[i] + decay * w[i]
                                w[i] -= lr * v[i]
                            }
                        }
                    case .adam:
                        firstMoments[index].withUnsafeMutableBufferPointer { first in
                            secondMoments[index].withUnsafeMutableBufferPointer { second in
                                let m = first.baseAddress!, v = second.baseAddress!
                                for i in 0..<count {
                                    let gi = g[i] + decay * w[i]
                                    m[i] = Self.beta1 * m[i] + (1 - Self.beta1) * gi
                                    v[i] = Self.beta2 * v[i] + (1 - Self.beta2) * gi * gi
                                    let mHat = m[i] / correction1, vHat = v[i] / correction2
                                    w[i] -= lr * mHat / (vHat.squareRoot() + Self.epsilon)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Learning rate as a function of progress through training.
public enum LearningRateSchedule: String, CaseIterable, Codable, Sendable {
    /// The base rate throughout.
    case constant
    /// Cosine decay from the base rate to zero at the last step.
    case cosine
    /// The base rate, divided by 10 at 50% and again at 75% of the steps.
    case step

    /// The rate at `step` (0-based) of `totalSteps`.
    public func rate(base: Float, step: Int, totalSteps: Int) -> Float {
        let progress = totalSteps > 0 ? Float(step) / Float(totalSteps) : 0
        switch self {
        case .constant: return base
        case .cosine: return base * 0.5 * (1 + cosf(Float.pi * progress))
        case .step: return progress < 0.5 ? base : progress < 0.75 ? base / 10 : base / 100
        }
    }
}
