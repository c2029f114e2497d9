
extension Collection where Element == Float {
    /// The position (0-based, counted from `startIndex`) of the largest element; the first
    /// of equals. Nil for an empty collection. The one argmax of the project.
    package var indexOfLargest: Int? {
        var best: (offset: Int, value: Float)?
        for (offset, value) in enumerated() where best == nil || value > best!.value { best = (offset, value) }
        return best?.offset
    }
}

/// The class (0..<classes) with the largest score in row `row` of a row-major
/// `[rows x classes]` matrix; the first of equals.
package func indexOfLargest(_ scores: [Float], row: Int, classes: Int) -> Int {
    scores[(row * classes)..<((row + 1) * classes)].indexOfLargest!
}
