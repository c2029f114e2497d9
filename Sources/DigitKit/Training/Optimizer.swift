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
    /// Momentum's velocity or Adam's first moment, per parameter (none for SGD).
    private let firstMoments: [Moment]
    /// Adam's second moment, per parameter (none otherwise).
    private let secondMoments: [Moment]
    private var steps = 0

    /// Updates applied so far (Adam's bias correction depends on it).
    public var stepCount: Int { steps }

    /// The moment estimates by name (`m.PARAM`, `v.PARAM`), for checkpoints.
    public var state: [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (index, parameter) in parameters.enumerated() {
            if !firstMoments.isEmpty { result["m.\(parameter.name)"] = firstMoments[index].values }
            if !secondMoments.isEmpty { result["v.\(parameter.name)"] = secondMoments[index].values }
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
            if !firstMoments.isEmpty { firstMoments[index].values = try load("m.\(parameter.name)", count: parameter.value.count) }
            if !secondMoments.isEmpty { secondMoments[index].values = try load("v.\(parameter.name)", count: parameter.value.count) }
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
        firstMoments = kind == .sgd ? [] : parameters.map { Moment(count: $0.value.count) }
        secondMoments = kind == .adam ? parameters.map { Moment(count: $0.value.count) } : []
    }

    /// Moves every parameter by one step of size `learningRate` along its gradient.
    ///
    /// With a `replica` (the parameters, in the same order, of a twin network sharing their
    /// values that back-propagated the other part of the batch), its gradients are added to
    /// the parameters' own in the same pass.
    public func step(learningRate lr: Float, addingGradientsOf replica: [Parameter] = []) {
        precondition(replica.isEmpty || (replica.count == parameters.count
                        && zip(parameters, replica).allSatisfy { $0 !== $1 && $0.value.count == $1.value.count }),
                     "optimizer: the replica's parameters do not match")
        steps += 1
        let rule = UpdateRule(kind: kind, learningRate: lr, weightDecay: weightDecay,
                              correction1: 1 - powf(Self.beta1, Float(steps)), correction2: 1 - powf(Self.beta2, Float(steps)))
        // Read before the arrays are pinned: reading a pinned property is an access conflict.
        let counts = parameters.map(\.value.count), decays = parameters.map(\.decays)
        withBaseAddresses(parameters, \.value) { values in
        withBaseAddresses(parameters, \.gradient) { gradients in
        withBaseAddresses(replica, \.gradient) { replicaGradients in
        withBaseAddresses(firstMoments, \.values) { first in
        withBaseAddresses(secondMoments, \.values) { second in
            let tensors = parameters.indices.map { index in
                Tensors(count: counts[index], decays: decays[index],
                        value: values[index], gradient: gradients[index],
                        first: first.isEmpty ? nil : first[index], second: second.isEmpty ? nil : second[index],
                        replicaGradient: replica.isEmpty ? nil : replicaGradients[index])
            }
            // One core: the tensors were last written on both, and moving half of them
            // between cores costs more than the update saves (measured on mlp:128).
            for tensor in tensors { rule.apply(to: tensor) }
        }
        }
        }
        }
        }
    }

    private final class Moment {
        var values: [Float]
        init(count: Int) { values = [Float](repeating: 0, count: count) }
    }

    /// One parameter tensor's storage during a step.
    private struct Tensors {
        let count: Int
        let decays: Bool
        let value: UnsafeMutablePointer<Float>
        let gradient: UnsafeMutablePointer<Float>
        let first: UnsafeMutablePointer<Float>?
        let second: UnsafeMutablePointer<Float>?
        let replicaGradient: UnsafeMutablePointer<Float>?
    }

    /// The update of one step, applied element by element.
    private struct UpdateRule {
        let kind: OptimizerKind
        let learningRate: Float
        let weightDecay: Float
        let correction1: Float
        let correction2: Float

        func apply(to t: Tensors) {
            let elements = 0..<t.count
            let lr = learningRate, decay = t.decays ? weightDecay : 0
            let w = t.value, g = t.gradient
            if let other = t.replicaGradient {
                for i in elements { g[i] += other[i] }
            }
            switch kind {
            case .sgd:
                for i in elements { w[i] -= lr * (g[i] + decay * w[i]) }
            case .momentum:
                let v = t.first!
                for i in elements {
                    v[i] = Optimizer.momentum * v[i] + g[i] + decay * w[i]
                    w[i] -= lr * v[i]
                }
            case .adam:
                let m = t.first!, v = t.second!
                for i in elements {
                    let gi = g[i] + decay * w[i]
                    m[i] = Optimizer.beta1 * m[i] + (1 - Optimizer.beta1) * gi
                    v[i] = Optimizer.beta2 * v[i] + (1 - Optimizer.beta2) * gi * gi
                    let mHat = m[i] / correction1, vHat = v[i] / correction2
                    w[i] -= lr * mHat / (vHat.squareRoot() + Optimizer.epsilon)
                }
            }
        }
    }
}

/// Calls `body` with the base address of `keyPath`'s array in each of `objects`, all of
/// them held in place until `body` returns.
func withBaseAddresses<Object: AnyObject>(_ objects: [Object], _ keyPath: ReferenceWritableKeyPath<Object, [Float]>,
                                          _ body: ([UnsafeMutablePointer<Float>]) -> Void) {
    func pin(from index: Int, _ pinned: [UnsafeMutablePointer<Float>]) {
        guard index < objects.count else { return body(pinned) }
        objects[index][keyPath: keyPath].withUnsafeMutableBufferPointer { buffer in
            pin(from: index + 1, pinned + [buffer.baseAddress!])
        }
    }
    pin(from: 0, [])
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
