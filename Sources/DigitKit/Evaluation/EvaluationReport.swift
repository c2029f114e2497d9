import DigitCompute
import DigitStore

/// How many of one subfolder's pictures were read right.
public struct FolderCount: Sendable, Equatable {
    /// Relative to the folder evaluated; "." for the folder itself.
    public let folder: String
    public let correct: Int
    public let total: Int

    /// `correct / total`, 0 for no pictures.
    public var accuracy: Float { total > 0 ? Float(correct) / Float(total) : 0 }
}

/// A model's accuracy on labelled digits: what `digit evaluate` prints, and its `--json` object
/// (keys sorted, as JSONEncoder with `.sortedKeys` writes them).
public struct EvaluationReport: Codable, Sendable, Equatable {
    /// `correct / total`, 0...1.
    public let accuracy: Float
    public let correct: Int
    public let total: Int
    /// `confusion[label][predicted]`: how many digits of each label were read as each digit.
    public let confusion: [[Int]]
    /// The softmax temperature the model's probabilities are calibrated with.
    public let temperature: Float
    /// Expected calibration error (0...1) of the raw and of the calibrated probabilities.
    public let eceUncalibrated: Float
    public let eceCalibrated: Float
    /// Each subfolder's counts, for a person's pictures (nil for the MNIST test set).
    public let folders: [String: Folder]?
    /// How many of a person's pictures could not be read (nil for the MNIST test set).
    public let unreadable: Int?

    public struct Folder: Codable, Sendable, Equatable {
        public let accuracy: Float
        public let correct: Int
        public let total: Int
    }

    enum CodingKeys: String, CodingKey {
        case accuracy, correct, total, confusion, temperature, folders, unreadable
        case eceUncalibrated = "ece_uncalibrated"
        case eceCalibrated = "ece_calibrated"
    }

    init(_ evaluation: Evaluation, folders: [FolderCount]?, unreadable: Int?) {
        accuracy = evaluation.accuracy
        correct = evaluation.correct
        total = evaluation.total
        confusion = evaluation.confusion
        temperature = evaluation.temperature
        eceUncalibrated = evaluation.calibrationError(temperature: 1)
        eceCalibrated = evaluation.calibrationError(temperature: evaluation.temperature)
        self.folders = folders.map { counts in
            Dictionary(uniqueKeysWithValues: counts.map {
                ($0.folder, Folder(accuracy: $0.accuracy, correct: $0.correct, total: $0.total))
            })
        }
        self.unreadable = unreadable
    }
}

extension DigitReader {
    /// The model's accuracy on the MNIST test set in `directory` (the IDX files, `.gz` or raw).
    /// Throws `FileError` when a file is missing (its reason then is "not found") or damaged.
    public func evaluate(mnistTestSetIn directory: String) throws -> EvaluationReport {
        let evaluation = Evaluation(classifier: try classifier(), data: try MNIST.load(split: .test, from: directory))
        return EvaluationReport(evaluation, folders: nil, unreadable: nil)
    }

    /// The model's accuracy on the pictures of `labelled` that could be read, with each
    /// subfolder's counts and how many could not be read.
    public func evaluate(_ labelled: LabelledPictures) throws -> EvaluationReport {
        EvaluationReport(labelled.evaluation(temperature: try loadedModel().info.temperature),
                         folders: labelled.folderCounts, unreadable: labelled.failures.count)
    }
}
