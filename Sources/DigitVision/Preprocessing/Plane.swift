
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
        func cropped(to box: PixelBox) -> Plane {
            var part: [Element] = []
            part.reserveCapacity(box.width * box.height)
            for y in box.minY...box.maxY { part.append(contentsOf: values[(y * width + box.minX)...(y * width + box.maxX)]) }
            return Plane(width: box.width, height: box.height, values: part)
        }
    }

    /// An axis-aligned pixel rectangle, `minX...maxX` by `minY...maxY` inclusive.
    struct PixelBox: Equatable {
        var minX: Int
        var minY: Int
        var maxX: Int
        var maxY: Int

        var width: Int { maxX - minX + 1 }
        var height: Int { maxY - minY + 1 }
        var longerSide: Int { max(width, height) }

        /// The smallest box holding both.
        func union(_ other: PixelBox) -> PixelBox {
            PixelBox(minX: min(minX, other.minX), minY: min(minY, other.minY),
                     maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
        }

        /// Empty pixels between the boxes along the axis where they are furthest apart; 0 if they touch or overlap.
        func gap(to other: PixelBox) -> Int {
            let dx = max(other.minX - maxX - 1, minX - other.maxX - 1, 0)
            let dy = max(other.minY - maxY - 1, minY - other.maxY - 1, 0)
            return max(dx, dy)
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
