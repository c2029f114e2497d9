import DigitCompute
import DigitFiles
import DigitVision
import Foundation

/// A person's own labelled digit pictures, read the way `classify` reads them: what
/// `evaluate --pictures` and `export-errors --pictures` measure.
///
/// Labels come from `--labels FILE.csv` (`file,label` rows, the file named relative to the
/// folder or by its bare name) or from each file's name: a leading digit not followed by
/// another (`7-anything.png`), else the last `_`-separated field of the name when it is one
/// digit (`00042_7.png`).
public struct LabelledPictures: Sendable {
    /// One labelled picture and how it was read.
    public struct Entry: Sendable {
        /// The path below the folder, e.g. `scans/00042_7.png`.
        public let relativePath: String
        /// nil only for a file already found unreadable (its reading holds the error).
        public let label: Int?
        public let reading: PictureReading

        /// The error of a picture that could not be read, or nil.
        public var failure: FileError? {
            if case .failure(let error) = reading.outcome { return error }
            return nil
        }

        /// The subfolder the picture lies in, relative to the folder; "." for the folder itself.
        public var subfolder: String {
            let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
        }
    }

    public let folder: String
    public let entries: [Entry]

    /// Reads every PNG and JPEG in `folder` and its subfolders with `reader`, labelled, on every
    /// thread, calling `progress(done, total)`. Throws `FileError` when `folder` is not a folder
    /// or holds no pictures, and for a picture without a label, before reading any; unreadable
    /// pictures are entries with a failed reading.
    public init(folder: String, labelsFile: String? = nil, reader: DigitReader,
                progress: (Int, Int) -> Void = { _, _ in }) throws {
        self.folder = folder
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw FileError(path: folder, reason: "cannot open: no such folder")
        }
        guard isFolder.boolValue else { throw FileError(path: folder, reason: "is not a folder") }
        let files = PictureFiles(paths: [folder], recursive: true).entries
        guard !files.isEmpty else { throw FileError(path: folder, reason: "no PNG or JPEG files found") }
        let table = try labelsFile.map(PictureLabels.table)
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
            guard let label = PictureLabels.label(fromName: bareName) else {
                throw FileError(path: file.name, reason: "no label in its name (name it 7-....png or ..._7.png, or give --labels FILE.csv)")
            }
            return (relative, label)
        }
        let readings = try reader.classify(files, progress: progress)
        entries = zip(labelled, readings).map { Entry(relativePath: $0.0.0, label: $0.0.1, reading: $0.1) }
    }

    /// The pictures that were read, with their predictions.
    public var read: [(entry: Entry, label: Int, prediction: DigitPrediction)] {
        entries.compactMap { entry in
            if case .success(let prediction) = entry.reading.outcome, let label = entry.label { return (entry, label, prediction) }
            return nil
        }
    }

    /// The one-line errors of the pictures that could not be read.
    public var failures: [String] {
        entries.compactMap { $0.failure?.description }
    }

    /// The classifier's results on the pictures that were read.
    package func evaluation(temperature: Float) -> Evaluation {
        let read = self.read
        return Evaluation(probabilities: read.flatMap(\.prediction.probabilities), labels: read.map(\.label),
                          classes: 10, temperature: temperature)
    }

    /// Correct and total readings per subfolder, in sorted order.
    public var folderCounts: [FolderCount] {
        var counts: [String: (Int, Int)] = [:]
        for (entry, label, prediction) in read {
            let (correct, total) = counts[entry.subfolder] ?? (0, 0)
            counts[entry.subfolder] = (correct + (prediction.digit == label ? 1 : 0), total + 1)
        }
        return counts.keys.sorted().map { FolderCount(folder: $0, correct: counts[$0]!.0, total: counts[$0]!.1) }
    }
}
