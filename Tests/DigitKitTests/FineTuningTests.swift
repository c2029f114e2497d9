@testable import DigitCompute
import Testing

/// `Trainer` with `FineTuning`: it starts from the base network's weights, trains on the split
/// given with rehearsal samples joining each epoch, and leaves frozen layers as they were.
struct FineTuningTests {
    @Test("A tuning run starts from the base, keeps frozen layers and adds its rehearsal samples to each epoch")
    func tuningRun() throws {
        let data = BarData.standard
        let (base, _) = try BarData.train(BarData.options { $0.architecture = "mlp:8,8" })
        var tuning = FineTuning(base: base.network, training: Array(0..<40), validation: Array(40..<60))
        tuning.rehearsal = Array(60..<200)
        tuning.rehearsalPerEpoch = 20
        tuning.frozenLayers = 2
        let options = BarData.options { $0.architecture = "mlp:8,8"; $0.epochs = 2 }
        let start = try Trainer(options: options, data: data, tuning: tuning)
        #expect(CoreSupport.parameterBits(start.network) == CoreSupport.parameterBits(base.network))
        #expect(start.samplesPerEpoch == 60 && start.stepsPerEpoch == 3 && start.validationCount == 20)
        while !start.isFinished { _ = start.trainEpoch() }
        let before = base.network.parameters.map { CoreSupport.bits($0.value) }
        let after = start.network.parameters.map { CoreSupport.bits($0.value) }
        // The first dense layer and its activation are frozen; the second dense layer learns.
        #expect(after[0] == before[0] && after[1] == before[1])
        #expect(after[2] != before[2])
        #expect(start.history.allSatisfy { $0.validationAccuracy != nil })
        #expect(throws: TrainingError.self) {
            try Trainer(options: BarData.options { $0.architecture = "mlp:8,8"; $0.pictureVariants = 0.5 },
                        data: data, tuning: tuning)
        }
    }
}
