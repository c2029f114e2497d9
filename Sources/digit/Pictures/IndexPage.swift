import DigitStore
import Foundation

/// `index.html`: one plain page showing the export commands' pictures with short captions.
///
/// The page lists, in a fixed order, those of the known pictures the folder holds (sample
/// grids, error pages, confusion matrix, training curves, weights), so `export-samples` and
/// `export-errors` writing into one folder give one page with everything. Images are
/// linked by relative name: the page opens from disk, no server needed. The text depends
/// only on which files exist, so it is deterministic.
struct IndexPage {
    static let fileName = "index.html"

    /// The pictures shown, each with its caption, in page order.
    let figures: [(name: String, caption: String)]
    /// Whether the folder has `errors.csv` and `confusion.csv` to link to.
    let hasErrorTables: Bool

    init(listing folder: PictureFolder) {
        var figures: [(String, String)] = []
        for split in Split.allCases where folder.contains(PictureName.samples(split)) {
            figures.append((PictureName.samples(split),
                            "Digits from the \(split.rawValue) set, one row per digit 0-9. "
                            + "Each caption is the label and the image's index in the set."))
        }
        let pages = PictureName.errorPageCount(in: folder)
        for page in stride(from: 1, through: pages, by: 1) {
            figures.append((PictureName.errorPage(page),
                            "Misclassified test digits, page \(page) of \(pages), most confident mistakes first. "
                            + "Each caption is true\u{2192}predicted digit, the model's confidence and the test index."))
        }
        let known = [
            (PictureName.confusion, "Confusion matrix on the test set: rows are the true digits, columns the "
                + "predictions, each cell the number of test images."),
            (PictureName.trainingCurves, "Training curves from the model file's history: mean training loss "
                + "(left axis) and train and validation accuracy (right axis) per epoch."),
            (PictureName.weights, "First-layer weights: blue is negative, white zero, red positive. "
                + "An MLP shows each hidden unit's weights over the 28x28 input, a CNN its first filters."),
        ]
        figures += known.filter { folder.contains($0.0) }
        self.figures = figures
        hasErrorTables = folder.contains(PictureName.errorsTable) && folder.contains(PictureName.confusionTable)
    }

    var pictureCount: Int { figures.count }

    var html: String {
        var lines = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<title>digit pictures</title>",
            "<style>",
            "body { font-family: sans-serif; margin: 2em; color: #222; }",
            "figure { margin: 0 0 2.5em 0; }",
            "img { max-width: 100%; image-rendering: pixelated; border: 1px solid #ddd; }",
            "figcaption { margin-top: 0.4em; max-width: 60em; }",
            "</style>",
            "</head>",
            "<body>",
            "<h1>digit pictures</h1>",
        ]
        if figures.isEmpty { lines.append("<p>No pictures in this folder yet.</p>") }
        if hasErrorTables {
            lines.append("<p>Every misclassified test image with its ten probabilities: "
                         + "<a href=\"\(PictureName.errorsTable)\">\(PictureName.errorsTable)</a>; "
                         + "the confusion matrix as numbers: "
                         + "<a href=\"\(PictureName.confusionTable)\">\(PictureName.confusionTable)</a>.</p>")
        }
        for figure in figures {
            lines += [
                "<figure>",
                "<a href=\"\(figure.name)\"><img src=\"\(figure.name)\" alt=\"\(figure.name)\"></a>",
                "<figcaption><code>\(figure.name)</code>: \(htmlEscaped(figure.caption))</figcaption>",
                "</figure>",
            ]
        }
        lines += ["</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }

    private func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
