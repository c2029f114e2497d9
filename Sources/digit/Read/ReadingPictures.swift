import DigitKit
import DigitPictures
import Foundation

/// Writes what `read --save-preprocessed` shows for one picture, NAME being the input path with
/// `/` as `_` and without `.png`: `NAME.digit-K.png`, the 28x28 the network saw for the K-th
/// digit in reading order (1-based), and `NAME.boxes.png`, the picture in RGB with each digit's
/// box and the chosen cuts drawn and the reading written under it.
///
/// The picture is decoded again from the file's own path bytes, so a name that is not UTF-8
/// (printed with `\xNN`) still opens.
func saveReadingPictures(_ reading: NumberReading, of file: PictureFile, in folder: String) throws {
    let name = preprocessedName(for: file.name)
    for (offset, digit) in reading.digits.enumerated() {
        try writePNG(digit.prediction.input, to: "\(folder)/\(name).digit-\(offset + 1).png")
    }
    let picture: GrayImage
    switch file.decoded() {
    case .success(let decoded): picture = decoded
    case .failure(let error): throw error
    }
    try writePNG(boxesPicture(reading, of: picture), to: "\(folder)/\(name).boxes.png")
}

/// The input path with `/` as `_` and without a `.png` suffix.
func preprocessedName(for path: String) -> String {
    var name = path.replacingOccurrences(of: "/", with: "_")
    if name.lowercased().hasSuffix(".png") { name.removeLast(4) }
    return name
}

/// `picture` in RGB with a band below it: each digit's box stroked in red, its digit written
/// above the box's top-left corner, each cut through touching ink as a vertical line, and the reading (one text line per line of digits) in the band.
/// Strokes and text scale with the picture: about 1 px and 8 px tall per 250 px of width.
func boxesPicture(_ reading: NumberReading, of picture: GrayImage) -> RGBImage {
    let scale = max(1, max(picture.width, picture.height) / 250)
    let text = reading.text()
    let band = (BitmapFont.lineAdvance * reading.lines.count + 6) * scale
    var canvas = Canvas(width: max(picture.width, BitmapFont.textWidth(text, scale: scale) + 8 * scale),
                        height: picture.height + band)
    canvas.blit(picture, at: PixelPoint(x: 0, y: 0))
    for digit in reading.digits {
        let box = digit.box
        canvas.strokeRect(box, colour: Palette.bad, thickness: scale)
        canvas.drawText(String(digit.prediction.digit),
                        at: PixelPoint(x: box.x, y: max(0, box.y - (BitmapFont.glyphHeight + 2) * scale)),
                        scale: scale, colour: Palette.bad)
    }
    for run in reading.cuts.flatMap(\.runs) {
        canvas.strokeRect(PixelRect(x: run.x, y: run.y, width: scale, height: run.height), colour: Palette.ink, thickness: scale)
    }
    canvas.drawText(text, at: PixelPoint(x: 4 * scale, y: picture.height + 3 * scale), scale: scale, colour: Palette.ink)
    return canvas.image
}
