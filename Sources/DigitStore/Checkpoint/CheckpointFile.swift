import DigitCompute
import DigitFiles

/// Checkpoint files: model files (`ModelFile`) whose metadata holds the `TrainingState`.
extension Checkpoint {
    /// Saves atomically; `dataset` and sizes are recorded as for a model.
    package func save(to path: String, dataset: String, trainingSamples: Int, validationSamples: Int) throws {
        var info = ModelInfo(training: options, dataset: dataset, trainingSamples: trainingSamples,
                             validationSamples: validationSamples, history: state.history, testAccuracy: nil)
        info.checkpoint = state
        try ModelFile.save(Model(network: network, info: info, extraTensors: extraTensors), to: path)
    }

    /// Loads a checkpoint; a plain model file (no training state) is an error.
    package static func load(path: String) throws -> Checkpoint {
        let model = try ModelFile.load(path: path)
        guard let state = model.info.checkpoint else {
            throw FileError(path: path, reason: "is a finished model, not a training checkpoint")
        }
        return Checkpoint(network: model.network, options: model.info.training, state: state, extraTensors: model.extraTensors)
    }
}

extension Trainer {
    /// Carries on the training run saved at `path` (see `Trainer(resuming:data:)`); a file
    /// that is not a checkpoint, or whose training state does not fit its network, is a
    /// `FileError` naming it.
    package convenience init(resumingAt path: String, data: Dataset, pictureSource: PictureVariantSource? = nil,
                             strokeSource: StrokeDigitSource? = nil) throws {
        let checkpoint = try Checkpoint.load(path: path)
        do {
            try self.init(resuming: checkpoint, data: data, pictureSource: pictureSource, strokeSource: strokeSource)
        } catch let error as TrainingError {
            throw FileError(path: path, reason: error.description)
        }
    }
}
