import ArgumentParser
import DigitCompute
import DigitPictures
import DigitStore

struct ExportSamples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-samples",
        abstract: "Draw MNIST digits as a PNG grid, one row per digit 0-9, and update OUT/index.html.",
        discussion: """
            Writes OUT/samples-SPLIT.png: each cell is a digit enlarged --scale times (crisp \
            pixels) with its label and dataset index underneath. OUT is created if missing.
            """)

    @Argument(help: ArgumentHelp("Folder to write into (created if missing).", valueName: "OUT"))
    var out: String

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var threadOptions: ThreadOptions

    @Option(help: "Which set to draw from: train|test.")
    var split: Split = .train

    @Option(name: .customLong("per-class"), help: ArgumentHelp("Digits per row (1...\(maximumPerClass)).", valueName: "N"))
    var perClass = 10

    @Option(help: ArgumentHelp("Enlarge each pixel S times (1...\(maximumScale)).", valueName: "S"))
    var scale = 2

    @Option(help: ArgumentHelp("Pick the digits at random with this seed (default: the first of each digit).", valueName: "S"))
    var seed: UInt64?

    static let maximumPerClass = 50
    static let maximumScale = 8

    func validate() throws {
        guard (1...Self.maximumPerClass).contains(perClass) else {
            throw ValidationError("--per-class must be from 1 to \(Self.maximumPerClass)")
        }
        guard (1...Self.maximumScale).contains(scale) else {
            throw ValidationError("--scale must be from 1 to \(Self.maximumScale)")
        }
    }

    func run() throws {
        try threadOptions.apply()
        let data = try dataOptions.load(split)
        let rows = sampleIndices(labels: data.labels, classes: Architecture.digitClasses, perClass: perClass, seed: seed)
            .map { indices in indices.map { CaptionedDigit(image: data.image($0), caption: "\(data.labels[$0]) #\($0)") } }
        let title = "\(dataOptions.datasetName) \(split.rawValue) set, \(perClass) per digit"
            + (seed.map { ", seed \($0)" } ?? "")
        let folder = try PictureFolder(creating: out)
        try folder.write(sampleGrid(rows, scale: scale, title: title), as: PictureName.samples(split),
                         note: counted(rows.joined().count, "digit"))
        try folder.writeIndexPage()
    }
}

/// For each class `0..<classes`, the indices of up to `perClass` images with that label,
/// in increasing order: without `seed` the first ones in dataset order, with it a random
/// choice drawn with `SeededRandom(seed:)` (the same seed always picks the same images).
func sampleIndices(labels: [UInt8], classes: Int, perClass: Int, seed: UInt64?) -> [[Int]] {
    var byClass = [[Int]](repeating: [], count: classes)
    for (index, label) in labels.enumerated() where Int(label) < classes { byClass[Int(label)].append(index) }
    guard let seed else { return byClass.map { Array($0.prefix(perClass)) } }
    var random = SeededRandom(seed: seed)
    return byClass.map { members in
        random.permutation(members.count).prefix(perClass).map { members[$0] }.sorted()
    }
}
