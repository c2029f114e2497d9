@testable import DigitCompute
import Foundation
import Testing

/// Hand-computed optimizer steps on w0 = [1, -2, 0.5] with learning rate 0.1, gradient
/// g1 = [0.5, -1, 2] on the first step and g2 = [0.1, 0.2, -0.3] on the second.
@Suite("Optimizers")
struct OptimizerTests {
    static let w0: [Float] = [1, -2, 0.5]
    static let g1: [Float] = [0.5, -1, 2]
    static let g2: [Float] = [0.1, 0.2, -0.3]

    /// Runs two steps and returns the value after each.
    static func twoSteps(_ kind: OptimizerKind, decays: Bool = true, weightDecay: Float = 0,
                         rates: (Float, Float) = (0.1, 0.1)) -> [[Float]] {
        let parameter = Parameter(name: "p", value: w0, decays: decays)
        let optimizer = Optimizer(kind: kind, parameters: [parameter], weightDecay: weightDecay)
        parameter.gradient = g1
        optimizer.step(learningRate: rates.0)
        let first = parameter.value
        parameter.gradient = g2
        optimizer.step(learningRate: rates.1)
        #expect(parameter.gradient == g2, "step must not change the gradient")
        return [first, parameter.value]
    }

    static func close(_ got: [Float], _ expected: [Double], tolerance: Double = 2e-6) -> Bool {
        got.count == expected.count && zip(got, expected).allSatisfy { abs(Double($0) - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test("SGD: w -= lr * g")
    func sgd() {
        let steps = Self.twoSteps(.sgd)
        // w1 = [1 - 0.05, -2 + 0.1, 0.5 - 0.2]; w2 = w1 - 0.1 * g2.
        #expect(Self.close(steps[0], [0.95, -1.9, 0.3]), "\(steps[0])")
        #expect(Self.close(steps[1], [0.94, -1.92, 0.33]), "\(steps[1])")
    }

    @Test("Momentum: v = 0.9 v + g; w -= lr * v")
    func momentum() {
        let steps = Self.twoSteps(.momentum)
        // v1 = g1, so w1 matches SGD; v2 = 0.9 * g1 + g2 = [0.55, -0.7, 1.5].
        #expect(Self.close(steps[0], [0.95, -1.9, 0.3]), "\(steps[0])")
        #expect(Self.close(steps[1], [0.895, -1.83, 0.15]), "\(steps[1])")
    }

    @Test("Adam with bias correction")
    func adam() {
        let steps = Self.twoSteps(.adam)
        // Step 1: m̂ = g1, v̂ = g1², so every weight moves by lr * sign(g1) = 0.1 (ε aside).
        #expect(Self.close(steps[0], [0.9, -1.9, 0.4]), "\(steps[0])")
        // Step 2: m = 0.9 m1 + 0.1 g2 = [0.055, -0.07, 0.15], v = 0.999 v1 + 0.001 g2²
        // = [0.00025975, 0.001039, 0.004086]; m̂ = m / 0.19, v̂ = v / 0.001999;
        // Δ = 0.1 m̂ / √v̂ = [0.0803041, -0.0511103, 0.0552198].
        #expect(Self.close(steps[1], [0.8196959064, -1.8488973940, 0.3447801952]), "\(steps[1])")
    }

    @Test("Adam's step size does not depend on the gradient's scale (first step)")
    func adamScaleFree() {
        let parameter = Parameter(name: "p", value: [0, 0], decays: false)
        let optimizer = Optimizer(kind: .adam, parameters: [parameter])
        parameter.gradient = [1e-3, -250]
        optimizer.step(learningRate: 0.01)
        #expect(Self.close(parameter.value, [-0.01, 0.01], tolerance: 1e-4), "\(parameter.value)")
    }

    @Test("Weight decay: SGD adds wd * w to the gradient of decaying parameters")
    func sgdWeightDecay() {
        // wd 0.5: step 1 gradient g1 + 0.5 w0 = [1, -2, 2.25] → w1 = [0.9, -1.8, 0.275];
        // step 2 gradient g2 + 0.5 w1 = [0.55, -0.7, -0.1625] → w2 = [0.845, -1.73, 0.29125].
        let decayed = Self.twoSteps(.sgd, decays: true, weightDecay: 0.5)
        #expect(Self.close(decayed[0], [0.9, -1.8, 0.275]), "\(decayed[0])")
        #expect(Self.close(decayed[1], [0.845, -1.73, 0.29125]), "\(decayed[1])")
    }

    @Test("Weight decay: momentum adds wd * w before the velocity update")
    func momentumWeightDecay() {
        // v1 = [1, -2, 2.25], w1 = [0.9, -1.8, 0.275];
        // v2 = 0.9 v1 + g2 + 0.5 w1 = [1.45, -2.5, 1.8625] → w2 = [0.755, -1.55, 0.08875].
        let decayed = Self.twoSteps(.momentum, decays: true, weightDecay: 0.5)
        #expect(Self.close(decayed[0], [0.9, -1.8, 0.275]), "\(decayed[0])")
        #expect(Self.close(decayed[1], [0.755, -1.55, 0.08875]), "\(decayed[1])")
    }

    @Test("Weight decay: Adam decays the gradient it normalises")
    func adamWeightDecay() {
        // Gradients g + 0.5 w: step 1 moves by 0.1 sign(g1 + 0.5 w0) again; step 2 differs from plain Adam.
        let decayed = Self.twoSteps(.adam, decays: true, weightDecay: 0.5)
        #expect(Self.close(decayed[0], [0.9, -1.9, 0.4]), "\(decayed[0])")
        #expect(Self.close(decayed[1], [0.8054201323, -1.8111245134, 0.3363659853]), "\(decayed[1])")
    }

    @Test("Weight decay leaves parameters with decays: false alone", arguments: OptimizerKind.allCases)
    func noDecayForBiases(kind: OptimizerKind) {
        let plain = Self.twoSteps(kind, decays: true, weightDecay: 0)
        let bias = Self.twoSteps(kind, decays: false, weightDecay: 0.5)
        let weight = Self.twoSteps(kind, decays: true, weightDecay: 0.5)
        #expect(CoreSupport.bits(bias[1]) == CoreSupport.bits(plain[1]))
        #expect(weight[1] != plain[1])
    }

    @Test("One optimizer updates several parameters, each with its own decay and state", arguments: OptimizerKind.allCases)
    func mixedParameters(kind: OptimizerKind) {
        let weight = Parameter(name: "w", value: Self.w0, decays: true)
        let bias = Parameter(name: "b", value: Self.w0, decays: false)
        let optimizer = Optimizer(kind: kind, parameters: [weight, bias], weightDecay: 0.5)
        for g in [Self.g1, Self.g2] {
            weight.gradient = g
            bias.gradient = g
            optimizer.step(learningRate: 0.1)
        }
        #expect(CoreSupport.bits(weight.value) == CoreSupport.bits(Self.twoSteps(kind, decays: true, weightDecay: 0.5)[1]))
        #expect(CoreSupport.bits(bias.value) == CoreSupport.bits(Self.twoSteps(kind, decays: true, weightDecay: 0)[1]))
    }

    @Test("The learning rate passed to step is the one used")
    func perStepRate() {
        let steps = Self.twoSteps(.sgd, rates: (0.1, 1))
        #expect(Self.close(steps[1], [0.85, -2.1, 0.6]), "\(steps[1])")
    }

    // MARK: schedules

    @Test("Constant schedule")
    func constantSchedule() {
        for step in [0, 1, 50, 99, 100] {
            #expect(LearningRateSchedule.constant.rate(base: 0.3, step: step, totalSteps: 100) == 0.3)
        }
    }

    @Test("Cosine schedule at known points",
          arguments: [(0, 1.0), (25, 0.8535533906), (50, 0.5), (75, 0.1464466094), (100, 0.0)])
    func cosineSchedule(step: Int, fraction: Double) {
        let rate = LearningRateSchedule.cosine.rate(base: 0.2, step: step, totalSteps: 100)
        #expect(abs(Double(rate) - 0.2 * fraction) < 1e-6, "step \(step): \(rate)")
    }

    @Test("Step schedule divides by 10 at 50% and 75%",
          arguments: [(0, Float(1)), (49, 1), (50, 0.1), (74, 0.1), (75, 0.01), (99, 0.01)])
    func stepSchedule(step: Int, factor: Float) {
        let rate = LearningRateSchedule.step.rate(base: 0.5, step: step, totalSteps: 100)
        #expect(abs(rate - 0.5 * factor) < 1e-7, "step \(step): \(rate)")
    }

    @Test("Schedules with no steps give the base rate", arguments: LearningRateSchedule.allCases)
    func zeroSteps(schedule: LearningRateSchedule) {
        #expect(schedule.rate(base: 0.05, step: 0, totalSteps: 0) == 0.05)
    }

    @Test("Cosine decreases monotonically over a run")
    func cosineMonotone() {
        let rates = (0..<37).map { LearningRateSchedule.cosine.rate(base: 1, step: $0, totalSteps: 37) }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 })
        #expect(rates.last! > 0)
    }
}
