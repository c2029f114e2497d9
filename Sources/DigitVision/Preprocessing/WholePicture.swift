import DigitImage

extension DigitPreprocessor {
    /// The least spread of gray levels, max minus min, that a picture must have to be read
    /// as a whole: below it the picture is blank.
    static let blankSpread: Float = 2

    /// The fallback for a picture in which `preprocess` finds no ink standing out from a
    /// smooth background (a gradient, a texture, a photograph of something else): the whole
    /// picture made MNIST-like without looking for a digit in it. Whichever side of the
    /// gray range the border is not on counts as ink, the border level as background, and
    /// the result is scaled into the 20 px box and centred by mass like a digit.
    ///
    /// The network then still gives an answer, usually an unsure one. Throws
    /// `PreprocessingError.noInk` only for a blank picture (gray levels within `blankSpread`).
    package func wholePicture(_ image: GrayImage) throws -> GrayImage {
        guard image.width > 0, image.height > 0 else { throw PreprocessingError.noInk }
        let picture = Self.analysisPlane(image, maximumSide: analysisSide)
        let darkest = picture.values.min()!, lightest = picture.values.max()!
        guard lightest - darkest >= Self.blankSpread else { throw PreprocessingError.noInk }
        var border: [Float] = []
        for x in 0..<picture.width { border += [picture[x, 0], picture[x, picture.height - 1]] }
        for y in 0..<picture.height { border += [picture[0, y], picture[picture.width - 1, y]] }
        let borderLevel = border.reduce(0, +) / Float(border.count)
        let mean = picture.values.reduce(0, +) / Float(picture.values.count)
        // Ink is the side of the range away from the border (dark ink on light paper, or light on dark).
        let inkIsDark = borderLevel >= mean
        let ink = inkIsDark ? darkest : lightest
        let span = abs(borderLevel - ink)
        guard span > 0 else { throw PreprocessingError.noInk }
        let coverage = Plane(width: picture.width, height: picture.height, values: picture.values.map { value -> Float in
            min(max((inkIsDark ? borderLevel - value : value - borderLevel) / span, 0), 1)
        })
        guard let scaled = Self.scaledToBox(coverage, boxSide: Self.digitBoxSide) else { throw PreprocessingError.noInk }
        let placed = Self.centredByMass(Self.grayLevels(fromCoverage: scaled), side: Self.outputSide, centre: Self.centre)
        return GrayImage(width: placed.width, height: placed.height, pixels: placed.values.map { UInt8($0) })
    }
}

/// What the network is shown for one picture, as `classify` reads it.
package struct NetworkInput: Sendable {
    /// The MNIST-style 28x28 (white ink on black).
    package let image: GrayImage
    /// True when no distinct ink was found and the whole picture was read instead
    /// (`DigitPreprocessor.wholePicture`).
    package let wholePicture: Bool
}

extension DigitPreprocessor {
    /// The 28x28s the network reads for `picture`: its digit (`candidates`: one, or two readings
    /// of a picture whose paper cannot be told from its ink, of which a reader keeps the more
    /// confident), or, when no ink stands out, the whole picture made MNIST-like. Throws
    /// `PreprocessingError.noInk` only for a blank picture.
    package func networkInputs(for picture: GrayImage) throws -> [NetworkInput] {
        if let digits = try? candidates(picture) { return digits.map { NetworkInput(image: $0, wholePicture: false) } }
        return [NetworkInput(image: try wholePicture(picture), wholePicture: true)]
    }
}
