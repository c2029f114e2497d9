import ArgumentParser
import DigitKit

/// `--pictures DIR` and `--labels FILE.csv`, shared by `evaluate` and `export-errors`.
struct PicturesOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Use the labelled PNG or JPEG pictures in DIR (and its subfolders) instead of the MNIST test set.", valueName: "DIR"))
    var pictures: String?

    @Option(help: ArgumentHelp("With --pictures: the labels, as file,label lines (file relative to DIR, or its bare name).", valueName: "FILE.csv"))
    var labels: String?

    func validate() throws {
        if labels != nil && pictures == nil { throw ValidationError("--labels needs --pictures DIR") }
    }

    /// The labelled pictures read with `reader` (nil without --pictures), with the progress bar;
    /// the pictures that could not be read are reported on stderr. Throws when DIR is not a
    /// folder, or when not one of its pictures could be read.
    func read(with reader: DigitReader) throws -> LabelledPictures? {
        guard let pictures else { return nil }
        let bar = ProgressBar(label: "reading")
        let labelled = try LabelledPictures(folder: pictures, labelsFile: labels, reader: reader, progress: bar.update)
        bar.finish()
        for failure in labelled.failures { printError(failure) }
        guard !labelled.read.isEmpty else {
            throw FileError(path: pictures, reason: "none of its \(labelled.entries.count) pictures could be read")
        }
        return labelled
    }
}
