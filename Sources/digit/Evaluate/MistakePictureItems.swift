import DigitImage
import DigitKit
import DigitPictures


extension MistakePictures.Items {
    /// A person's pictures (those `LabelledPictures` read), each drawn as made, shrunk to fit
    /// 28x28, beside the 28x28 the network saw; named by their path below the folder.
    static func pictures(_ labelled: LabelledPictures) -> Self {
        let read = labelled.read
        let side = DigitPreprocessor.outputSide, gap = 2
        return Self(
            image: { i in
                let original = (try? read[i].entry.reading.file.decoded().get())?.thumbnail(side: side)
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
