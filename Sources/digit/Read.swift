import ArgumentParser
import DigitKit
import Foundation

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read whole numbers: every digit in PNG or JPEG pictures (files or folders of them).",
        discussion: """
            The ink is found as classify finds it; its connected pieces are merged where one digit \
            is broken, grouped into lines and ordered left to right. Where a piece may be touching \
            digits it gets candidate cuts at columns of little ink; every candidate digit between \
            cuts is prepared and classified exactly as by classify, and each line reads as the \
            candidates the network and their shapes agree on best. Text output: \
            `FILE: 2026 (2 99.8%, 0 99.1%, 2 98.7%, 6 99.9%)`, several lines of digits separated by \
            a space; JSON joins lines with "\\n". A file that cannot be read, or has no digits, is \
            reported and the rest are still read; the exit status is then 1.
            """)

    @Argument(help: "PNG or JPEG files or folders of them.")
    var paths: [String]

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "One JSON object per file on stdout: {\"file\",\"text\",\"digits\":[{\"digit\",\"confidence\",\"box\":[x,y,w,h]}],\"confidence\"}.")
    var json = false

    @Option(help: ArgumentHelp("Consider only readings of N digits (all lines together), when the count is known.", valueName: "N"))
    var digits: Int?

    @Option(name: .customLong("save-preprocessed"), help: ArgumentHelp(
        "Write each digit as the 28x28 the network saw, and the picture with boxes and the reading, into DIR.",
        valueName: "DIR"))
    var savePreprocessed: String?

    func validate() throws {
        if let digits, digits < 1 { throw ValidationError("--digits must be at least 1") }
    }

    func run() throws {
        try threadOptions.apply()
        // Loaded while the first pictures are decoded and segmented.
        let reader = DigitReader(loadingInBackground: modelOptions.choice)
        if let folder = savePreprocessed { try makeFolder(folder) }
        let inputs = PictureFiles(commandLineArguments: paths, recursive: false)
        let bar = ProgressBar(label: "reading")
        var count = 0, failed = false
        var saveError: Error?
        try reader.readNumbers(inputs.entries, digits: digits, progress: bar.update) { results in
            bar.clear()
            var lines: [String] = []
            for result in results {
                count += 1
                switch result.outcome {
                case .success(let reading):
                    lines.append(json ? jsonRecord(NumberRecord(reading, file: result.name)) : NumberFormat.text(reading, path: result.name))
                    if let folder = savePreprocessed, saveError == nil {
                        do { try saveReadingPictures(reading, of: result.file, in: folder) } catch { saveError = error }
                    }
                case .failure(let error):
                    failed = true
                    if json { lines.append(jsonRecord(ErrorRecord(error.description, file: result.name))) } else { printError(error.description) }
                }
            }
            // Streamed batch by batch: the first numbers appear before the last file is read.
            printLines(lines)
        }
        bar.finish()
        if let saveError { throw saveError }
        if count == 0 { throw ClassifyError.noPictures(paths) }
        if failed { throw ExitCode(1) }
    }
}
