import ArgumentParser
import DigitKit
import Foundation

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the digit in PNG or JPEG pictures (files or folders of them).",
        discussion: """
            Each picture is turned into an MNIST-style 28x28 digit (ink found and cropped, \
            scaled to a 20-pixel box, centred by mass) and classified. A file that cannot be \
            read is reported and the rest are still classified; the exit status is then 1.
            """)

    @Argument(help: "PNG or JPEG files or folders of them.")
    var paths: [String]

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var threadOptions: ThreadOptions

    @Flag(name: [.short, .customLong("recursive")], help: "Include pictures in subfolders.")
    var recursive = false

    @Flag(help: "One JSON object per file on stdout.")
    var json = false

    @Flag(help: "CSV (file,digit,confidence,error) on stdout.")
    var csv = false

    @Option(help: "Show the K most probable digits with their probabilities.")
    var top = 1

    @Option(name: .customLong("min-confidence"), help: "Answer 'unsure' when the best probability is below P (0...1).")
    var minConfidence: Float = 0

    @Option(name: [.short, .long], help: ArgumentHelp("Write the results to FILE (atomically) instead of stdout.", valueName: "FILE"))
    var output: String?

    @Option(name: .customLong("save-preprocessed"), help: ArgumentHelp("Write the 28x28 picture the network saw, and an 8x enlargement, into DIR.", valueName: "DIR"))
    var savePreprocessed: String?

    @Option(help: ArgumentHelp("Classify only slice K of N of the sorted inputs (e.g. 2/8).", valueName: "K/N"))
    var shard: Shard?

    func validate() throws {
        guard !(json && csv) else { throw ValidationError("choose one of --json and --csv") }
        guard (1...10).contains(top) else { throw ValidationError("--top must be from 1 to 10") }
        guard (0...1).contains(minConfidence) else { throw ValidationError("--min-confidence must be in 0...1") }
    }

    func run() throws {
        try threadOptions.apply()
        // Loaded while the first pictures are decoded and preprocessed.
        let reader = DigitReader(loadingInBackground: modelOptions.choice)
        if let folder = savePreprocessed { try makeFolder(folder) }
        var inputs = PictureFiles(commandLineArguments: paths, recursive: recursive)
        if let shard { inputs.keepShard(shard.index, of: shard.count) }
        let bar = ProgressBar(label: "classifying")
        let format: ReadingFormat = json ? .json : csv ? .csv : .text(top: top)
        // Streamed to stdout batch by batch, the CSV header before the first (nothing is
        // printed when the model cannot be loaded); a file given with -o is written whole at the end.
        var kept: [String] = []
        var started = false
        func emit(_ lines: [String]) {
            let lines = (started || !csv ? [] : [ReadingFormat.csvHeader]) + lines
            started = true
            guard !lines.isEmpty else { return }
            if output != nil { return kept += lines }
            printLines(lines)
        }
        var count = 0, failures = 0
        var saveError: Error?
        try reader.classify(inputs.entries, progress: bar.update) { readings in
            bar.clear()
            var lines: [String] = []
            for reading in readings {
                count += 1
                if case .failure(let error) = reading.outcome {
                    failures += 1
                    if case .text = format { printError(error.description) }
                }
                if let line = format.line(for: reading, minimumConfidence: minConfidence) { lines.append(line) }
                if let folder = savePreprocessed, saveError == nil, case .success(let prediction) = reading.outcome {
                    do { try savePicture(prediction.input, for: reading.name, in: folder) } catch { saveError = error }
                }
            }
            emit(lines)
        }
        bar.finish()
        emit([])
        if let saveError { throw saveError }
        if let output { try AtomicFile.write(text: kept.isEmpty ? "" : kept.joined(separator: "\n") + "\n", to: output) }
        if count == 0 { throw ClassifyError.noPictures(paths) }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Saves `NAME.png` (28x28) and `NAME.x8.png`, NAME being the input path with `/` as `_`.
    private func savePicture(_ image: GrayImage, for path: String, in folder: String) throws {
        let name = preprocessedName(for: path)
        try writePNG(image, to: "\(folder)/\(name).png")
        try writePNG(image.enlarged(by: 8), to: "\(folder)/\(name).x8.png")
    }
}

enum ClassifyError: Error, CustomStringConvertible {
    case noPictures([String])

    var description: String {
        switch self {
        case .noPictures(let paths): return "\(paths.joined(separator: " ")): no PNG or JPEG files found"
        }
    }
}

/// `--shard K/N`.
struct Shard: ExpressibleByArgument {
    let index: Int
    let count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
        index = k
        count = n
    }
}

/// Prints `Error: MESSAGE` on stderr, as ArgumentParser does for fatal errors.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
}

/// Creates `folder` (and its parents) if missing; a clear error if it cannot.
func makeFolder(_ folder: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
        throw FileError(path: folder, reason: "cannot create folder (\((error as NSError).localizedDescription))")
    }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw FileError(path: folder, reason: "is not a folder")
    }
}
