import DigitCompute
import DigitFiles
import DigitStore
import DigitVision
import Foundation

/// MNIST training images the whole-digit scorer learns from; the rest (`costImages`) compose the
/// numbers its weight in the reader's costs is chosen on (`numbers --train`).
let scorerImages = 0..<50_000
let costImages = 50_000..<60_000

/// The images `range` of `set`, as a dataset of their own.
func slice(_ set: Dataset, _ range: Range<Int>) -> Dataset {
    let n = set.pixelsPerImage
    return Dataset(images: Array(set.images[(range.lowerBound * n)..<(range.upperBound * n)]),
                   labels: Array(set.labels[range]), rows: set.rows, columns: set.columns)
}

/// Trains the whole-digit scorer (`scripts/train-whole-digit` installs it in the package): a small
/// network telling the candidates `NumberReader` weighs that are one whole digit from those that
/// are not (`WholeDigitExamples`), on numbers composed of MNIST training digits (`scorerImages`).
/// `--numbers N` (default 16,000), `--epochs N` (default 8), `--output FILE` (required).
func trainWholeDigitScorer(_ options: [String]) throws {
    func value(_ flag: String) -> String? {
        options.firstIndex(of: flag).flatMap { $0 + 1 < options.count ? options[$0 + 1] : nil }
    }
    guard let output = value("--output") else { throw FileError(path: "whole-digit-scorer", reason: "--output FILE is required") }
    let numbers = value("--numbers").flatMap { Int($0) } ?? 16_000
    let train = slice(try MNIST.load(split: .train, from: dataDirectory), scorerImages)
    var start = Date()
    let examples = WholeDigitExamples.dataset(WholeDigitExamples.numbers(numbers, from: train, seed: 7))
    let wholes = examples.labels.filter { $0 == WholeDigitExamples.whole }.count
    print(String(format: "%d candidates from %d numbers (%d whole digits, %d pieces) in %.0f s", examples.count, numbers,
                 wholes, examples.count - wholes, Date().timeIntervalSince(start)))
    var training = TrainingOptions()
    training.architecture = "conv:c16k5,p2,c32k5,p2,d128"
    training.classes = 2
    training.optimizer = .adam
    training.learningRate = 0.001
    training.schedule = .cosine
    training.epochs = value("--epochs").flatMap { Int($0) } ?? 8
    training.validationFraction = 0.1
    training.seed = 3
    start = Date()
    let trainer = try Trainer(options: training, data: examples)
    while !trainer.isFinished, let (record, seconds) = trainer.trainEpoch() {
        print(String(format: "epoch %d: %.1fs loss %.4f train %.2f%% validation %.2f%%", record.epoch, seconds, record.loss,
                     100 * record.trainAccuracy, 100 * (record.validationAccuracy ?? 0)))
    }
    var info = ModelInfo(training: trainer.options, dataset: "whole-digit candidates of mnist numbers",
                         trainingSamples: trainer.trainingCount, validationSamples: trainer.validationCount,
                         history: trainer.history, testAccuracy: nil)
    info.temperature = trainer.finish()
    info.chosenEpoch = trainer.chosenEpoch
    try ModelFile.save(Model(network: trainer.network, info: info), to: output)
    print(String(format: "trained in %.0f s, kept epoch %d; saved %@", Date().timeIntervalSince(start), trainer.chosenEpoch, output))
}
