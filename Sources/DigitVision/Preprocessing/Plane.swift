import DigitImage

extension DigitPreprocessor {
    /// A row-major 2-D array used between preprocessing steps: `values.count == width * height`.
    struct Plane<Element> {
        var width: Int
        var height: Int
        var values: [Element]

        init(width: Int, height: Int, values: [Element]) {
            precondition(width >= 0 && height >= 0 && values.count == width * height,
                         "Plane: \(values.count) values for \(width)x\(height)")
            self.width = width
            self.height = height
            self.values = values
        }

        init(width: Int, height: Int, repeating value: Element) {
            self.init(width: width, height: height, values: [Element](repeating: value, count: width * height))
        }

        subscript(x: Int, y: Int) -> Element {
            get { values[y * width + x] }
            set { values[y * width + x] = newValue }
        }

        /// The pixels inside `box`, which must lie within the plane.
        func cropped(to box: PixelRect) -> Plane {
            var part: [Element] = []
            part.reserveCapacity(box.width * box.height)
            for y in box.y...box.lastY { part.append(contentsOf: values[(y * width + box.x)...(y * width + box.lastX)]) }
            return Plane(width: box.width, height: box.height, values: part)
        }
    }
}

/// A pixel type the resamplers read: 8-bit gray or Float intensity.
protocol PreprocessingSample {
    var floatValue: Float { get }
}

extension UInt8: PreprocessingSample {
    var floatValue: Float { Float(self) }
}

extension Float: PreprocessingSample {
    var floatValue: Float { self }
}
