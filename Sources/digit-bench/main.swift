import DigitCompute
import DigitEnvironment
import DigitFiles
import DigitKit
import DigitPNG
import DigitStore
import DigitVision
import Dispatch
import Foundation

/// Speed measurements for `scripts/bench`: GEMM GFLOP/s for the training shapes,
/// per-layer times, and whole training epochs. Release builds only mean anything.
func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// GFLOP/s of one product shape, on one thread (`oneCore`, as inside a part of a training
/// step, where products do not split again) or split over all the scheduler's threads.
func benchGEMM(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, oneCore: Bool) {
    let a = (0..<(m * k)).map { Float($0 % 7) * 0.1 }, b = (0..<(k * n)).map { Float($0 % 5) * 0.1 }
    var c = [Float](repeating: 0, count: m * n)
    let flops = 2.0 * Double(m * n * k)
    let reps = max(3, Int(3e9 / flops))
    let run = { for _ in 0..<reps { gemm(transA: transA, transB: transB, m: m, n: n, k: k, a, b, into: &c) } }
    gemm(transA: transA, transB: transB, m: m, n: n, k: k, a, b, into: &c)
    let t = seconds { oneCore ? Scheduler.run(parts: 1) { _ in run() } : run() }
    let shape = "\(m)x\(n)x\(k)\(transA ? " Aᵀ" : "")\(transB ? " Bᵀ" : "")"
    print("gemm \(shape.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(format: "%6.1f", flops * Double(reps) / t / 1e9)) GFLOP/s \(oneCore ? "(one thread)" : "(\(Scheduler.threads) threads)")")
}

/// CPU seconds used by this thread: steadier than wall time on a busy machine.
func threadCPUSeconds(_ body: () -> Void) -> Double {
    var before = timespec(), after = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &before)
    body()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &after)
    return Double(after.tv_sec - before.tv_sec) + Double(after.tv_nsec - before.tv_nsec) / 1e9
}

/// Each layer's forward and backward time on one thread for one part of a training batch,
/// as the data-parallel trainer runs them (the layers do not split work again).
func benchLayers(arch: String, batch: Int) throws {
    let network = Network(architecture: try Architecture(parsing: arch, activation: .relu), seed: 1)
    var x = (0..<(batch * network.inputSize)).map { Float($0 % 255) / 255 }
    var inputs: [[Float]] = []
    for layer in network.layers {
        inputs.append(x)
        x = layer.forward(x, batch: batch, training: true)
    }
    var lines: [String] = []
    Scheduler.run(parts: 1) { _ in
        for (index, layer) in network.layers.enumerated() {
            let input = inputs[index]
            let reps = 20
            let forward = threadCPUSeconds { for _ in 0..<reps { _ = layer.forward(input, batch: batch, training: true) } }
            let gradient = [Float](repeating: 0.01, count: batch * layer.outputSize)
            let backward = threadCPUSeconds {
                for _ in 0..<reps { _ = layer.backward(gradient, batch: batch, needsInputGradient: index > 0) }
            }
            lines.append(String(format: "  %-10@ forward %7.3f ms  backward %7.3f ms", "\(type(of: layer))",
                                forward / Double(reps) * 1000, backward / Double(reps) * 1000))
        }
    }
    print("layers of \(arch), batch \(batch), one thread:")
    lines.forEach { print($0) }
}

/// `epochs` epochs of `arch` (batch 64, momentum), each step split into `threads` parts,
/// then the test set's accuracy and inference time.
func benchEpoch(arch: String, data: Dataset, epochs: Int, threads: Int) throws {
    var options = TrainingOptions()
    options.architecture = arch
    options.epochs = epochs
    options.optimizer = .momentum
    options.learningRate = 0.01
    let trainer = try Trainer(options: options, data: data, threads: threads)
    while !trainer.isFinished {
        let (record, seconds) = trainer.trainEpoch()!
        print(String(format: "digit %@ threads=%d epoch %d train_s=%.3f train_acc=%.4f", arch, threads, record.epoch, seconds,
                     record.trainAccuracy))
    }
    let test = try MNIST.load(split: .test, from: dataDirectory)
    let classifier = Classifier(network: trainer.network)
    var evaluation: Evaluation?
    let t = seconds { evaluation = Evaluation(classifier: classifier, data: test) }
    print(String(format: "digit %@ test_acc=%.4f infer10k_s=%.3f", arch, evaluation!.accuracy, t))
}

/// Seconds per epoch of `arch` (batch 64, momentum) on `threads` threads, timed over the
/// first `steps` steps (after 5 unmeasured ones), for epochs too long to time whole.
func benchSteps(arch: String, data: Dataset, steps: Int, threads: Int) throws {
    var options = TrainingOptions()
    options.architecture = arch
    options.steps = steps + 5
    options.optimizer = .momentum
    options.learningRate = 0.01
    let trainer = try Trainer(options: options, data: data, threads: threads)
    var start: UInt64 = 0
    _ = trainer.trainEpoch(progress: { done, _ in if done == 5 { start = DispatchTime.now().uptimeNanoseconds } })
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(String(format: "digit %@ threads=%d epoch_s=%.3f (from %d steps)", arch, threads,
                 elapsed / Double(steps) * Double(trainer.stepsPerEpoch), steps))
}

/// Writes the MNIST test set as `LABEL-INDEX.png` 28x28 gray PNGs, dark ink on white
/// as people's pictures are, to measure accuracy and speed through the PNG path.
func writeTestPNGs(to folder: String, count: Int) throws {
    let test = try MNIST.load(split: .test, from: dataDirectory)
    for i in 0..<min(count, test.count) {
        var image = test.image(i)
        image.pixels = image.pixels.map { 255 - $0 }
        try writePNG(image, to: String(format: "%@/%d-%05d.png", folder, Int(test.labels[i]), i))
    }
}

/// Latency of the bundled model on single images, and throughput on the test set.
func benchInference() throws {
    let model = try ModelChoice.bundled.load()
    let test = try MNIST.load(split: .test, from: dataDirectory)
    let classifier = model.classifier
    let one = normalisedPixels(test.image(0).pixels)
    _ = classifier.probabilities(one, count: 1)
    let reps = 200
    let single = seconds { for _ in 0..<reps { _ = classifier.probabilities(one, count: 1) } } / Double(reps)
    var evaluation: Evaluation?
    let batch = seconds { evaluation = Evaluation(classifier: classifier, data: test) }
    print(String(format: "default model: %.3f ms per single image, %.3f s for the 10,000 test images (accuracy %.4f)",
                 single * 1000, batch, evaluation!.accuracy))
}

/// Accuracy on each kind of `DigitVariant`, made from `count` MNIST digits of the test set or
/// of the default training run's validation split (`split`: what to choose by), and on each
/// `StrokeForm`, `count` generated pictures of it from the test or validation seeds
/// (`StrokeSeeds`: never a training run's), through the same preprocessing as `digit
/// classify`. With `write`, the pictures are also saved as PNG files, one folder per kind,
/// named `INDEX_LABEL.png` (for `digit evaluate --pictures`).
func benchVariants(_ options: [String]) throws {
    func value(_ flag: String) -> String? {
        options.firstIndex(of: flag).flatMap { $0 + 1 < options.count ? options[$0 + 1] : nil }
    }
    let model = try ModelChoice(path: value("--model")).load()
    let count = value("--count").flatMap { Int($0) } ?? 2000
    let split = value("--split") ?? "test"
    let data = try MNIST.load(split: split == "test" ? .test : .train, from: dataDirectory)
    // The default model's run holds out 10% of the training set with seed 2 (scripts/train-default).
    let pool = split == "test" ? Array(0..<data.count) : Trainer.validationIndices(count: data.count, fraction: 0.1, seed: 2)
    let indices = Array(pool.prefix(count))
    let names = value("--kinds").map { $0.split(separator: ",").map(String.init) }
    let kinds = names.map { $0.compactMap(DigitVariant.init(rawValue:)) } ?? DigitVariant.allCases
    let forms = names.map { $0.compactMap(StrokeForm.init(rawValue:)) } ?? StrokeForm.allCases
    guard !kinds.isEmpty || !forms.isEmpty else { throw FileError(path: "--kinds", reason: "names no kind of variant or stroke form") }
    print("\(split) digits: \(indices.count); stroke forms: \(count) pictures each; model: \(value("--model") ?? "bundled")")
    var total = 0.0
    /// Prints a kind's line and, with --write, saves its pictures (`picture(i)` labelled `label(i)`).
    func report(_ result: VariantAccuracy, pictures: [Int], label: (Int) -> Int, picture: (Int) -> GrayImage) throws {
        total += result.accuracy
        print(result.kind.padding(toLength: 20, withPad: " ", startingAt: 0)
              + String(format: " %6.2f%%  (%d/%d)", 100 * result.accuracy, result.correct, result.total))
        guard let folder = value("--write") else { return }
        let kindFolder = "\(folder)/\(result.kind)"
        try FileManager.default.createDirectory(atPath: kindFolder, withIntermediateDirectories: true)
        for index in pictures {
            try writePNG(picture(index), to: String(format: "%@/%05d_%d.png", kindFolder, index, label(index)))
        }
    }
    for kind in kinds {
        let result = VariantAccuracy.measure(kind, dataset: data, indices: indices, classifier: model.classifier)
        try report(result, pictures: indices.filter { kind.onlyDigit == nil || Int(data.labels[$0]) == kind.onlyDigit },
                   label: { Int(data.labels[$0]) }) { index in
            var random = SeededRandom(seed: 1 &+ UInt64(index))
            let start = index * data.pixelsPerImage
            return kind.picture(of: Array(data.images[start..<(start + data.pixelsPerImage)]), side: data.rows, random: &random)
        }
    }
    for form in forms {
        let seeds: StrokeSeeds = split == "test" ? .test(form: form) : .validation(form: form)
        let result = VariantAccuracy.measure(form, count: count, seeds: seeds, classifier: model.classifier)
        try report(result, pictures: Array(0..<count), label: { _ in form.digit }) { index in
            var random = SeededRandom(seed: seeds.seed(index: index))
            return StrokeDigits.picture(of: form, random: &random)
        }
    }
    print("mean".padding(toLength: 20, withPad: " ", startingAt: 0)
          + String(format: " %6.2f%%", 100 * total / Double(kinds.count + forms.count)))
}

let arguments = CommandLine.arguments.dropFirst()
// Progress lines should reach a log file as they happen.
setvbuf(stdout, nil, _IOLBF, 0)
let dataDirectory = DataFolder.resolveDirectory(flag: nil, environment: ProcessInfo.processInfo.environment)
do {
    switch arguments.first {
    case "gemm":
        print("kernels: \(numericKernelsName)")
        // One thread's mlp:128 products in training with two parts (split by input feature: a
        // batch of 64 through 392 of the pixels; the weight gradient in blocks of 30 rows), the same
        // products whole, and a large product split over all threads.
        for (tA, tB, m, n, k, oneCore) in [(false, false, 64, 128, 392, true), (true, false, 30, 128, 64, true),
                                          (true, false, 392, 128, 64, true),
                                          (false, false, 64, 128, 784, true), (true, false, 784, 128, 64, true),
                                          (false, true, 64, 784, 128, true), (false, false, 64, 10, 128, true),
                                          (false, false, 1200, 1200, 784, false)] {
            benchGEMM(transA: tA, transB: tB, m: m, n: n, k: k, oneCore: oneCore)
        }
    case "layers":
        try benchLayers(arch: arguments.dropFirst().first ?? "cnn", batch: 32)
    case "epoch":
        let arch = arguments.dropFirst().first ?? "mlp:128"
        let epochs = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 1
        let threads = arguments.dropFirst(3).first.flatMap { Int($0) } ?? Scheduler.threads
        try benchEpoch(arch: arch, data: try MNIST.load(split: .train, from: dataDirectory), epochs: epochs, threads: threads)
    case "steps":
        let arch = arguments.dropFirst().first ?? "cnn"
        let steps = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 200
        let threads = arguments.dropFirst(3).first.flatMap { Int($0) } ?? Scheduler.threads
        try benchSteps(arch: arch, data: try MNIST.load(split: .train, from: dataDirectory), steps: steps, threads: threads)
    case "test-pngs":
        try writeTestPNGs(to: arguments.dropFirst().first ?? ".", count: arguments.dropFirst(2).first.flatMap { Int($0) } ?? 10000)
    case "inference":
        try benchInference()
    case "variants":
        try benchVariants(Array(arguments.dropFirst()))
    case "numbers":
        try benchNumbers(Array(arguments.dropFirst()))
    case "candidates":
        try printCandidates(arguments.dropFirst().first ?? "")
    case "whole-digit-scorer":
        try trainWholeDigitScorer(Array(arguments.dropFirst()))
    case "stroke-forms":
        try drawStrokeForms(to: arguments.dropFirst().first ?? "stroke-forms.png",
                            perForm: arguments.dropFirst(2).first.flatMap { Int($0) } ?? 8)
    case "stroke-speed":
        timeStrokeDigits(count: arguments.dropFirst().first.flatMap { Int($0) } ?? 60000)
    default:
        print("usage: digit-bench gemm | layers [ARCH] | epoch [ARCH] [EPOCHS] [THREADS] | steps [ARCH] [STEPS] [THREADS] | test-pngs DIR [COUNT] | inference | variants [--model FILE] [--count N] [--split test|validation] [--kinds A,B] [--write DIR] | numbers [--count N] [--train] [--oracle] [--failures DIR] [--no-scorer] [--scorer FILE] [--whole-weight W] [--cuts-per-height C] [--cut-width W] [--render-side S] [--kinds] | candidates FILE.png | stroke-forms OUT.png [PER-FORM] | stroke-speed [COUNT] | whole-digit-scorer --output FILE [--numbers N] [--epochs N]")
    }
} catch {
    FileHandle.standardError.write(Data("digit-bench: \(error)\n".utf8))
    exit(1)
}
