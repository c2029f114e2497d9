import ArgumentParser
import DigitCompute
import DigitFiles
import DigitImage
import DigitStore
import DigitVision
import Foundation

/// `--pictures DIR` and `--labels FILE.csv`, shared by `evaluate` and `export-errors`.
struct PicturesOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Use the labelled PNG or JPEG pictures in DIR (and its subfolders) instead of the MNIST test set.", valueName: "DIR"))
    var pictures: String?

    @Option(help: ArgumentHelp("With --pictures: the labels, as file,label lines (file relative to DIR, or its bare name).", valueName: "FILE.csv"))
    var labels: String?

    func validate() throws {
        if labels != nil && pictures == nil { throw ValidationError("--labels needs --pictures DIR") }
    }

    /// The labelled pictures read with `model` (nil without --pictures), with the progress bar;
    /// the pictures that could not be read are reported on stderr. Throws when DIR is not a
    /// folder, or when not one of its pictures could be read.
    func read(with model: Model) throws -> LabelledPictures? {
        guard let pictures else { return nil }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: pictures, isDirectory: &isFolder) else {
            throw FileError(path: pictures, reason: "cannot open: no such folder")
        }
        guard isFolder.boolValue else { throw FileError(path: pictures, reason: "is not a folder") }
        let bar = ProgressBar(label: "reading")
        let labelled = try LabelledPictures(folder: pictures, labelsFile: labels, classifier: model.classifier,
                                            progress: bar.update)
        bar.finish()
        for failure in labelled.failures { printError(failure) }
        guard !labelled.read.isEmpty else {
            throw FileError(path: pictures, reason: "none of its \(labelled.entries.count) pictures could be read")
        }
        return labelled
    }
}

/// A person's own labelled digit pictures, read the way `classify` reads them: what
/// `evaluate --pictures` and `export-errors --pictures` measure.
///
/// Labels come from `--labels FILE.csv` (`file,label` rows, the file named relative to the
/// folder or by its bare name) or from each file's name: a leading digit not followed by
/// another (`7-anything.png`), else the last `_`-separated field of the name when it is one
/// digit (`00042_7.png`).
struct LabelledPictures {
    /// One labelled picture and how it was read.
    struct Entry {
        /// The path below the folder, e.g. `scans/00042_7.png`.
        let relativePath: String
        let file: InputFile
        /// nil only for a file already found unreadable (its reading holds the error).
        let label: Int?
        let reading: Reading

        /// The subfolder the picture lies in, relative to the folder; "." for the folder itself.
        var subfolder: String {
            let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
        }
    }

    let folder: String
    let entries: [Entry]

    /// Reads every PNG in `folder` and its subfolders, labelled, on the scheduler's threads, calling
    /// `progress(done, total)`. Throws `FileError` for a picture without a label, before
    /// reading any; unreadable pictures are entries with a failed reading.
    init(folder: String, labelsFile: String?, classifier: Classifier, progress: (Int, Int) -> Void) throws {
        self.folder = folder
        let files = InputFiles(arguments: [folder], recursive: true).entries
        guard !files.isEmpty else { throw ClassifyError.noPictures([folder]) }
        let table = try labelsFile.map(Self.labelTable)
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        let labelled = try files.map { file -> (String, Int?) in
            let relative = file.name.hasPrefix(prefix) ? String(file.name.dropFirst(prefix.count)) : file.name
            guard file.error == nil else { return (relative, nil) }
            let bareName = String(relative.split(separator: "/").last ?? Substring(relative))
            if let table {
                guard let label = table[relative] ?? table[bareName] else {
                    throw FileError(path: file.name, reason: "not listed in \(labelsFile!)")
                }
                return (relative, label)
            }
            guard let label = Self.label(fromName: bareName) else {
                throw FileError(path: file.name, reason: "no label in its name (name it 7-....png or ..._7.png, or give --labels FILE.csv)")
            }
            return (relative, label)
        }
        let readings = try PictureReader(classifier: { classifier }).read(files, progress: progress)
        entries = zip(files, zip(labelled, readings)).map {
            Entry(relativePath: $0.1.0.0, file: $0.0, label: $0.1.0.1, reading: $0.1.1)
        }
    }

    /// The label a file name gives: `7-x.png` → 7, `00042_7.png` → 7; nil when it gives none,
    /// or two that differ (`3_7.png`).
    static func label(fromName name: String) -> Int? {
        let characters = Array(name)
        var leading: Int?
        if let first = characters.first, first.isASCII, let digit = first.wholeNumberValue,
           characters.count > 1, !characters[1].isNumber {
            leading = digit
        }
        var trailing: Int?
        let stem = name.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
        if stem.contains("_"), let last = stem.split(separator: "_", omittingEmptySubsequences: false).last,
           last.count == 1, last.first!.isASCII, let digit = last.first!.wholeNumberValue {
            trailing = digit
        }
        if let leading, let trailing, leading != trailing { return nil }
        return leading ?? trailing
    }

    /// `file,label` rows (an optional `file,label` header first); blank lines skipped.
    static func labelTable(_ path: String) throws -> [String: Int] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FileError(path: path, reason: "cannot read the labels file")
        }
        var table: [String: Int] = [:]
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (number, line) in lines.enumerated() {
            var row = line.trimmingCharacters(in: .whitespaces)
            if number == 0 && row.hasPrefix("\u{FEFF}") { row.removeFirst() }
            if row.isEmpty || (number == 0 && row.lowercased() == "file,label") { continue }
            guard let comma = row.lastIndex(of: ","),
                  let label = Int(unquoted(row[row.index(after: comma)...])), (0...9).contains(label) else {
                throw FileError(path: path, reason: "line \(number + 1) is not file,label with a label 0-9: \(row)")
            }
            let file = unquoted(row[..<comma])
            guard table.updateValue(label, forKey: file) == nil else {
                throw FileError(path: path, reason: "line \(number + 1) labels \(file) a second time")
            }
        }
        return table
    }

    /// A CSV field trimmed and, when quoted, unquoted (`"a,b.png"` → `a,b.png`, `""` → `"`).
    private static func unquoted(_ field: Substring) -> String {
        let text = field.trimmingCharacters(in: .whitespaces)
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        return String(text.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    /// The pictures that were read, with their predictions.
    var read: [(entry: Entry, label: Int, prediction: DigitPrediction)] {
        entries.compactMap { entry in
            if case .success(let prediction) = entry.reading.outcome, let label = entry.label { return (entry, label, prediction) }
            return nil
        }
    }

    /// The one-line errors of the pictures that could not be read.
    var failures: [String] {
        entries.compactMap { entry in
            if case .failure(let error) = entry.reading.outcome { return error.description }
            return nil
        }
    }

    /// The classifier's results on the pictures that were read.
    func evaluation(temperature: Float) -> Evaluation {
        let read = self.read
        return Evaluation(probabilities: read.flatMap(\.prediction.probabilities), labels: read.map(\.label),
                          classes: 10, temperature: temperature)
    }

    /// Correct and total readings per subfolder, in sorted order.
    var folderCounts: [(folder: String, correct: Int, total: Int)] {
        var counts: [String: (Int, Int)] = [:]
        for (entry, label, prediction) in read {
            let (correct, total) = counts[entry.subfolder] ?? (0, 0)
            counts[entry.subfolder] = (correct + (prediction.digit == label ? 1 : 0), total + 1)
        }
        return counts.keys.sorted().map { ($0, counts[$0]!.0, counts[$0]!.1) }
    }
}

extension MistakePictures.Items {
    /// A person's pictures (those `LabelledPictures` read), each drawn as made, shrunk to fit
    /// 28x28, beside the 28x28 the network saw; named by their path below the folder.
    static func pictures(_ labelled: LabelledPictures) -> Self {
        let read = labelled.read
        let side = DigitPreprocessor.outputSide, gap = 2
        return Self(
            image: { i in
                let original = (try? read[i].entry.file.decoded().get())?.thumbnail(side: side)
                    ?? GrayImage(width: side, height: side, filledWith: 255)
                let seen = read[i].prediction.input
                var cell = GrayImage(width: 2 * side + gap, height: side, filledWith: 128)
                for y in 0..<side {
                    for x in 0..<side {
                        cell.pixels[y * cell.width + x] = original[x, y]
                        cell.pixels[y * cell.width + side + gap + x] = seen[x, y]
                    }
                }
                return cell
            },
            name: { read[$0].entry.relativePath },
            caption: { i in
                let name = String((read[i].entry.relativePath.split(separator: "/").last ?? "")
                    .map { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true ? "?" : $0 })
                return name.count > 16 ? String(name.prefix(14)) + ".." : name
            },
            nameColumn: "file", noun: "pictures")
    }
}
