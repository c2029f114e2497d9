
extension Collection where Element == Float {
    /// The position (0-based, counted from `startIndex`) of the largest element; the first
    /// of equals. Nil for an empty collection.
    package var indexOfLargest: Int? {
        var best: (offset: Int, value: Float)?
        for (offset, value) in enumerated() where best == nil || value > best!.value { best = (offset, value) }
        return best?.offset
    }
}
