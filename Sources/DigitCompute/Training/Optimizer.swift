import CDigitKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How parameters move along their gradients.
package enum OptimizerKind: String, CaseIterable, Codable, Sendable {
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
/// (weights, not biases) before the update rule. Frozen parameters are never updated.
package final class Optimizer {
    package let kind: OptimizerKind
    package let weightDecay: Float
    private let parameters: [Parameter]
    /// Names of the parameters that keep their values (a tuning run's frozen layers).
    private let frozen: Set<String>
    /// Momentum's velocity or Adam's first moment, per parameter (none for SGD).
    private let firstMoments: [Moment]
    /// Adam's second moment, per parameter (none otherwise).
    private let secondMoments: [Moment]
    private var steps = 0

    /// Updates applied so far (Adam's bias correction depends on it).
    package var stepCount: Int { steps }

    /// The moment estimates by name (`m.PARAM`, `v.PARAM`), for checkpoints.
    package var state: [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (index, parameter) in parameters.enumerated() {
            if !firstMoments.isEmpty { result["m.\(parameter.name)"] = firstMoments[index].values }
            if !secondMoments.isEmpty { result["v.\(parameter.name)"] = secondMoments[index].values }
        }
        return result
    }

    /// Restores moments saved by `state` and the step count.
    package func restore(_ saved: [String: [Float]], steps: Int) throws {
        func load(_ key: String, count: Int) throws -> [Float] {
            guard let values = saved[key], values.count == count else {
                throw TrainingError.incompleteCheckpoint(missing: "the optimizer state \(key)")
            }
            return values
        }
        for (index, parameter) in parameters.enumerated() {
            if !firstMoments.isEmpty { firstMoments[index].values = try load("m.\(parameter.name)", count: parameter.value.count) }
            if !secondMoments.isEmpty { secondMoments[index].values = try load("v.\(parameter.name)", count: parameter.value.count) }
        }
        self.steps = steps
    }

    package static let momentum: Float = 0.9
    package static let beta1: Float = 0.9
    package static let beta2: Float = 0.999
    package static let epsilon: Float = 1e-8

    package init(kind: OptimizerKind, parameters: [Parameter], weightDecay: Float = 0, frozen: Set<String> = []) {
        self.kind = kind
        self.weightDecay = weightDecay
        self.parameters = parameters
        self.frozen = frozen
        firstMoments = kind == .sgd ? [] : parameters.map { Moment(count: $0.value.count) }
        secondMoments = kind == .adam ? parameters.map { Moment(count: $0.value.count) } : []
    }

    /// Moves every parameter by one step of size `learningRate` along its gradient.
    package func step(learningRate lr: Float) {
        step(learningRate: lr) { update in
            for (index, count) in update.counts.enumerated() { update.apply(index, elements: 0..<count) }
        }
    }

    /// One step of size `learningRate` whose updates `body` applies itself, range by range,
    /// from one thread or several (`Update.apply`), so a trainer can update each part of a
    /// tensor on the thread that has its gradient in cache, or compute a gradient just
    /// before its update. Every element of every parameter must be applied exactly once.
    ///
    /// With a `replica` (the parameters, in the same order, of a twin network sharing their
    /// values that back-propagated the other part of the batch), `apply` can add its
    /// gradients to the parameters' own in the same pass.
    package func step(learningRate lr: Float, addingGradientsOf replica: [Parameter] = [], _ body: (Update) -> Void) {
        precondition(replica.isEmpty || (replica.count == parameters.count
                        && zip(parameters, replica).allSatisfy { $0 !== $1 && $0.value.count == $1.value.count }),
                     "optimizer: the replica's parameters do not match")
        steps += 1
        let rule = UpdateRule(kind: kind, learningRate: lr, weightDecay: weightDecay,
                              correction1: 1 - powf(Self.beta1, Float(steps)), correction2: 1 - powf(Self.beta2, Float(steps)))
        // Read before the arrays are pinned: reading a pinned property is an access conflict.
        let counts = parameters.map(\.value.count), decays = parameters.map(\.decays)
        let frozen = parameters.map { self.frozen.contains($0.name) }
        withBaseAddresses(parameters, { $0.withUnsafeMutableValues($1) }) { values in
        withBaseAddresses(parameters, { $0.gradient.withUnsafeMutableBufferPointer($1) }) { gradients in
        withBaseAddresses(replica, { $0.gradient.withUnsafeMutableBufferPointer($1) }) { replicaGradients in
        withBaseAddresses(firstMoments, { $0.values.withUnsafeMutableBufferPointer($1) }) { first in
        withBaseAddresses(secondMoments, { $0.values.withUnsafeMutableBufferPointer($1) }) { second in
            let tensors = parameters.indices.map { index in
                Tensors(count: counts[index], decays: decays[index], frozen: frozen[index],
                        value: values[index], gradient: gradients[index],
                        first: first.isEmpty ? nil : first[index], second: second.isEmpty ? nil : second[index],
                        replicaGradient: replica.isEmpty ? nil : replicaGradients[index])
            }
            body(Update(counts: counts, tensors: tensors, rule: rule))
        }
        }
        }
        }
        }
    }

    /// The parameters' storage, held in place for one step: valid only inside the `body`
    /// of the `step` that made it.
    package struct Update {
        /// Element counts of the parameters, in order.
        package let counts: [Int]
        fileprivate let tensors: [Tensors]
        fileprivate let rule: UpdateRule

        /// Where parameter `index`'s gradient is stored, for computing it in place.
        package func gradient(_ index: Int) -> UnsafeMutablePointer<Float> { tensors[index].gradient }

        /// Updates `elements` of parameter `index` from its gradient, plus the replica's
        /// unless `addingReplica` is false. Ranges applied at once from several threads must not overlap.
        package func apply(_ index: Int, elements: Range<Int>, addingReplica: Bool = true) {
            precondition(elements.lowerBound >= 0 && elements.upperBound <= counts[index], "optimizer: elements out of range")
            guard !tensors[index].frozen else { return }
            var part = tensors[index].elements(elements)
            if !addingReplica { part.replicaGradient = nil }
            rule.apply(to: part)
        }
    }

    private final class Moment {
        var values: [Float]
        init(count: Int) { values = [Float](repeating: 0, count: count) }
    }

    /// One parameter tensor's storage during a step (or a range of its elements).
    fileprivate struct Tensors {
        var count: Int
        let decays: Bool
        let frozen: Bool
        var value: UnsafeMutablePointer<Float>
        var gradient: UnsafeMutablePointer<Float>
        var first: UnsafeMutablePointer<Float>?
        var second: UnsafeMutablePointer<Float>?
        var replicaGradient: UnsafeMutablePointer<Float>?

        /// The same tensor's elements `range` only.
        func elements(_ range: Range<Int>) -> Tensors {
            Tensors(count: range.count, decays: decays, frozen: frozen, value: value + range.lowerBound,
                    gradient: gradient + range.lowerBound, first: first.map { $0 + range.lowerBound },
                    second: second.map { $0 + range.lowerBound }, replicaGradient: replicaGradient.map { $0 + range.lowerBound })
        }
    }

    /// The update of one step, applied element by element.
    fileprivate struct UpdateRule {
        let kind: OptimizerKind
        let learningRate: Float
        let weightDecay: Float
        let correction1: Float
        let correction2: Float

        /// In C (`optimizer_step`): the same expressions, vectorised for AVX2 where the CPU has it.
        func apply(to t: Tensors) {
            var step = digit_optimizer_step()
            step.count = t.count
            step.value = t.value
            step.gradient = t.gradient
            step.replica_gradient = t.replicaGradient.map { UnsafePointer($0) }
            step.first = t.first
            step.second = t.second
            step.learning_rate = learningRate
            step.decay = t.decays ? weightDecay : 0
            switch kind {
            case .sgd:
                step.kind = DIGIT_OPTIMIZER_SGD
            case .momentum:
                step.kind = DIGIT_OPTIMIZER_MOMENTUM
                step.momentum = Optimizer.momentum
            case .adam:
                step.kind = DIGIT_OPTIMIZER_ADAM
                step.beta1 = Optimizer.beta1
                step.one_minus_beta1 = 1 - Optimizer.beta1
                step.beta2 = Optimizer.beta2
                step.one_minus_beta2 = 1 - Optimizer.beta2
                step.correction1 = correction1
                step.correction2 = correction2
                step.epsilon = Optimizer.epsilon
            }
            Kernels.selected.table.pointee.optimizer_step(&step)
        }
    }
}

/// Calls `body` with the base address of one array of each of `objects`, the one `pin`
/// lends out, all of them held in place until `body` returns.
///
/// `pin` must reach the array in place (`object.array.withUnsafeMutableBufferPointer`): a
/// key path to a computed property would go through its getter, and writing to that copy
/// would copy the whole array on every call.
func withBaseAddresses<Object>(_ objects: [Object],
                               _ pin: (Object, (inout UnsafeMutableBufferPointer<Float>) -> Void) -> Void,
                               _ body: ([UnsafeMutablePointer<Float>]) -> Void) {
    withoutActuallyEscaping(pin) { pin in
        func pinned(from index: Int, _ addresses: [UnsafeMutablePointer<Float>]) {
            guard index < objects.count else { return body(addresses) }
            pin(objects[index]) { buffer in
                pinned(from: index + 1, addresses + [buffer.baseAddress!])
            }
        }
        pinned(from: 0, [])
    }
}

/// Learning rate as a function of progress through training.
package enum LearningRateSchedule: String, CaseIterable, Codable, Sendable {
    /// The base rate throughout.
    case constant
    /// Cosine decay from the base rate to zero at the last step.
    case cosine
    /// The base rate, divided by 10 at 50% and again at 75% of the steps.
    case step

    /// The rate at `step` (0-based) of `totalSteps`.
    package func rate(base: Float, step: Int, totalSteps: Int) -> Float {
        let progress = totalSteps > 0 ? Float(step) / Float(totalSteps) : 0
        switch self {
        case .constant: return base
        case .cosine: return base * 0.5 * (1 + cosf(Float.pi * progress))
        case .step: return progress < 0.5 ? base : progress < 0.75 ? base / 10 : base / 100
        }
    }
}
