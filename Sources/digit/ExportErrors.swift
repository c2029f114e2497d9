import ArgumentParser
import DigitKit
import DigitCompute

struct ExportErrors: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-errors",
        abstract: "Draw a model's mistakes on the test set, its confusion matrix, training curves and first-layer weights.",
        discussion: """
            Writes into OUT (created if missing): errors-01.png, errors-02.png, ... (100 \
            misclassified digits a page, most confident mistakes first, captioned \
            true→predicted, confidence and test index); errors.csv (one row per misclassified \
            test image: index,true,predicted,confidence,p0,...,p9); confusion.png and \
            confusion.csv; training-curves.png (loss and accuracy per epoch from the model \
            file's history); weights.png (the first layer's weights); and index.html, a page \
            showing them all. Error pages left from an earlier run with more pages are removed.

            With --pictures DIR, the mistakes are those on your own labelled pictures (labelled \
            as for `evaluate --pictures`): each is drawn twice, as you made it (shrunk to fit) \
            and as the network saw it (28x28), captioned with its file name; errors.csv names \
            the file instead of an index.
            """)

    @Argument(help: ArgumentHelp("Folder to write into (created if missing).", valueName: "OUT"))
    var out: String

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var picturesOptions: PicturesOptions

    @Option(help: ArgumentHelp("Draw at most N mistakes (errors.csv still lists them all).", valueName: "N"))
    var limit: Int?

    @Option(help: ArgumentHelp("Enlarge each digit pixel S times (1...\(ExportSamples.maximumScale)).", valueName: "S"))
    var scale = 2

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard (1...ExportSamples.maximumScale).contains(scale) else {
            throw ValidationError("--scale must be from 1 to \(ExportSamples.maximumScale)")
        }
    }

    func run() throws {
        try threadOptions.apply()
        let reader = try DigitReader(model: modelOptions.choice)
        let model = try reader.loadedModel()
        let report: MistakePictures
        var failures: [String] = []
        if let labelled = try picturesOptions.read(with: reader) {
            failures = labelled.failures
            report = MistakePictures(evaluation: labelled.evaluation(temperature: model.info.temperature),
                                     items: .pictures(labelled), limit: limit, scale: scale)
        } else {
            let test = try dataOptions.load(.test)
            report = MistakePictures(evaluation: Evaluation(classifier: model.classifier, data: test), items: .dataset(test),
                                     limit: limit, scale: scale)
        }
        let folder = try PictureFolder(creating: out)
        for page in stride(from: 1, through: report.pageCount, by: 1) {
            try folder.write(report.page(page), as: PictureName.errorPage(page),
                             note: counted(report.pageRange(page).count, "mistake"))
        }
        try folder.removeErrorPages(after: report.pageCount)
        try folder.write(text: report.errorsTable, as: PictureName.errorsTable,
                         note: counted(report.mistakes.count, "mistake"))
        try folder.write(report.confusionPicture, as: PictureName.confusion, note: "confusion matrix")
        try folder.write(text: report.confusionTable, as: PictureName.confusionTable, note: "confusion matrix")
        try folder.write(trainingCurves(model.info.history), as: PictureName.trainingCurves,
                         note: counted(model.info.history.count, "epoch"))
        let weights = firstLayerWeights(model.network)
        try folder.write(weights.picture, as: PictureName.weights, note: weights.note)
        try folder.writeIndexPage()
        if !failures.isEmpty { throw ExitCode(1) }
    }
}
