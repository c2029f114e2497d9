import DigitCompute
import DigitImage
import DigitPNG
import DigitPictures
import DigitVision

/// A grid of `perForm` random draws of every `StrokeForm`, one row per form named under its
/// first cell, each picture as handed over (dark on white) fitted into its cell: the picture
/// of the forms in the README (docs/images/stroke-forms.png). Draw `i` of a form uses the
/// form's test seeds (`StrokeSeeds.test`), so the grid never changes by itself.
func drawStrokeForms(to path: String, perForm: Int) throws {
    let rows = StrokeForm.allCases.map { form in
        (0..<perForm).map { index in
            var random = SeededRandom(seed: StrokeSeeds.test(form: form).seed(index: index))
            let picture = StrokeDigits.picture(of: form, random: &random)
            return CaptionedDigit(image: StrokeDigits.thumbnail(picture, side: 44), caption: index == 0 ? form.rawValue : "")
        }
    }
    try writePNG(sampleGrid(rows, scale: 1, title: "Stroke digits: \(perForm) random draws of each form"), to: path)
    print("wrote \(path): \(StrokeForm.allCases.count) forms, \(perForm) each")
}

/// Times what `digit train --stroke-digits COUNT` adds before training: drawing COUNT stroke
/// digits and reading them back as 28x28s, on the scheduler's threads.
func timeStrokeDigits(count: Int) {
    var images: [UInt8] = []
    let elapsed = seconds { images = StrokeDigitSamples().digits(count: count, seed: 1).images }
    print(String(format: "%d stroke digits (%d bytes) in %.2f s on %d threads", count, images.count, elapsed, Scheduler.threads))
}
