import DigitCompute
import DigitImage
import DigitPictures

/// The mistakes of a model on a labelled set, as pictures and tables.
struct MistakePictures {
    static let perPage = 100
    static let columns = 10

    /// How the labelled items are shown and named.
    struct Items {
        /// Item `i` as drawn in its cell (every item the same size).
        let image: (Int) -> GrayImage
        /// Item `i`'s name in `errors.csv`, e.g. its index or file.
        let name: (Int) -> String
        /// Item `i`'s second caption line, e.g. "#9729".
        let caption: (Int) -> String
        /// The header of the names' column in `errors.csv`.
        let nameColumn: String
        /// What the items are, for titles: "test images", "pictures".
        let noun: String

        /// MNIST test images, named by their index.
        static func dataset(_ data: Dataset) -> Items {
            Items(image: { data.image($0) }, name: { String($0) }, caption: { "#\($0)" }, nameColumn: "index",
                  noun: "test images")
        }
    }

    let evaluation: Evaluation
    let items: Items
    /// Indices of every misclassified image, most confident mistakes first.
    let mistakes: [Int]
    /// How many of `mistakes` the error pages show.
    let shownCount: Int
    let scale: Int

    /// `limit` caps the mistakes drawn (nil: all); the tables always hold every one.
    init(evaluation: Evaluation, items: Items, limit: Int?, scale: Int) {
        self.evaluation = evaluation
        self.items = items
        mistakes = evaluation.errorsByConfidence
        shownCount = min(mistakes.count, limit ?? mistakes.count)
        self.scale = scale
    }

    var pageCount: Int { (shownCount + Self.perPage - 1) / Self.perPage }

    /// The range of positions in `mistakes` that page `number` (from 1) shows.
    func pageRange(_ number: Int) -> Range<Int> {
        ((number - 1) * Self.perPage)..<min(number * Self.perPage, shownCount)
    }

    /// Page `number` (from 1): up to 100 mistakes in rows of 10, captioned
    /// `true→predicted confidence%` and `#index`.
    func page(_ number: Int) -> RGBImage {
        let range = pageRange(number)
        let cells = range.map { position in
            let i = mistakes[position]
            return Misclassification(image: items.image(i), label: evaluation.labels[i], predicted: evaluation.predictions[i],
                                     confidence: evaluation.confidence(i), detail: items.caption(i))
        }
        let title = "misclassified \(range.lowerBound + 1)-\(range.upperBound) of \(mistakes.count), most confident first"
        return errorGrid(cells, columns: Self.columns, scale: scale, title: title)
    }

    /// `errors.csv`: header `index,true,predicted,confidence,p0,...,p9` (`file,...` for pictures), then one row per
    /// misclassified image, most confident first; probabilities with 6 decimals.
    var errorsTable: String {
        let classes = evaluation.classes
        var lines = [([items.nameColumn, "true", "predicted", "confidence"] + (0..<classes).map { "p\($0)" }).joined(separator: ",")]
        for i in mistakes {
            let probabilities = (0..<classes).map { decimal(evaluation.probabilities[i * classes + $0]) }
            lines.append(([csvField(items.name(i)), String(evaluation.labels[i]), String(evaluation.predictions[i]),
                           decimal(evaluation.confidence(i))] + probabilities).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `confusion.csv`: header `true,0,...,9` (the predicted digits), then one row per true
    /// digit with its counts: the numbers `confusion.png` shows.
    var confusionTable: String {
        let header = (["true"] + (0..<evaluation.classes).map(String.init)).joined(separator: ",")
        let rows = evaluation.confusion.enumerated().map { label, counts in
            ([String(label)] + counts.map(String.init)).joined(separator: ",")
        }
        return ([header] + rows).joined(separator: "\n") + "\n"
    }

    var confusionPicture: RGBImage {
        confusionHeatmap(evaluation.confusion, title: "confusion matrix, \(evaluation.total) \(items.noun)")
    }

    private func decimal(_ value: Float) -> String {
        NumberText.fixed(Double(value), decimals: 6)
    }
}

/// Loss (left axis) and train and validation accuracy in percent (right axis) per epoch,
/// from a model file's history. Epochs without validation leave that curve out.
func trainingCurves(_ history: [EpochRecord]) -> RGBImage {
    var series = [
        ChartSeries(name: "training loss", values: history.map(\.loss), axis: .left),
        ChartSeries(name: "train accuracy", values: history.map { $0.trainAccuracy * 100 }, axis: .right),
    ]
    if history.contains(where: { $0.validationAccuracy != nil }) {
        series.append(ChartSeries(name: "validation accuracy",
                                  values: history.map { ($0.validationAccuracy ?? .nan) * 100 }, axis: .right))
    }
    return lineChart(series: series, title: "training curves", leftLabel: "loss", rightLabel: "accuracy %")
}

/// The first layer's weights as tiles, with a short note on what they are.
///
/// Only pooling and dropout can come before the first layer with weights, so that layer
/// sees the square one-channel input image (28x28, or smaller after pooling). A `Dense`
/// layer gives one tile of the image's size per hidden unit (at most the first
/// `maximumTiles`); a `Conv2D` layer gives one k x k tile per filter, its weight row
/// `ky·k + kx` holding tap (kx, ky).
func firstLayerWeights(_ network: Network, maximumTiles: Int = 256) -> (picture: RGBImage, note: String) {
    let tileScale = { (side: Int) in max(1, 84 / side) }
    for layer in network.layers {
        if let conv = layer as? Conv2D {
            precondition(conv.input.channels == 1, "the first conv layer sees the one-channel image")
            let filters = conv.output.channels
            let title = "first layer: \(filters) filters, \(conv.kernel)x\(conv.kernel)"
            let picture = weightTiles(conv.weight.value, tileWidth: conv.kernel, tileHeight: conv.kernel,
                                      count: filters, scale: tileScale(conv.kernel), title: title)
            return (picture, counted(filters, "conv filter"))
        }
        if let dense = layer as? Dense {
            let side = Int(Double(dense.inputSize).squareRoot().rounded())
            precondition(side * side == dense.inputSize, "the first dense layer sees the square image")
            let shown = min(dense.outputSize, maximumTiles)
            let title = "first layer: " + (shown < dense.outputSize ? "first \(shown) of " : "")
                + "\(dense.outputSize) hidden units, \(side)x\(side) weights each"
            let picture = weightTiles(dense.weight.value, tileWidth: side, tileHeight: side,
                                      count: shown, scale: tileScale(side), title: title)
            return (picture, counted(shown, "hidden unit"))
        }
    }
    preconditionFailure("every network ends in a dense layer")
}
