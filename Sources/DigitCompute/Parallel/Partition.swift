/// `0..<count` cut into `parts` contiguous ranges, in order, whose sizes differ by at most
/// one (the first `count % parts` ranges are one longer). Some ranges are empty when
/// `count < parts`. The ranges depend only on `count` and `parts`, so per-part results
/// combined in part order are deterministic.
package struct Partition: RandomAccessCollection, Sendable {
    /// The number of items cut up (the collection's elements are the `parts` ranges).
    package let items: Int
    package let parts: Int

    /// `parts` must be at least 1; `count` at least 0.
    package init(_ count: Int, parts: Int) {
        precondition(parts >= 1 && count >= 0, "Partition: \(count) items in \(parts) parts")
        items = count
        self.parts = parts
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { parts }

    /// The items of part `part` (0-based, below `parts`).
    package subscript(part: Int) -> Range<Int> {
        let size = items / parts, longer = items % parts
        let start = part * size + Swift.min(part, longer)
        return start..<(start + size + (part < longer ? 1 : 0))
    }

    /// `0..<count` cut into `parts` ranges whose boundaries fall on multiples of `alignment`
    /// (whole GEMM tiles, vector widths), as evenly as whole units allow; the last range ends
    /// at `count`.
    package static func aligned(_ count: Int, parts: Int, alignment: Int) -> [Range<Int>] {
        precondition(alignment >= 1, "Partition: alignment \(alignment)")
        let units = Partition((count + alignment - 1) / alignment, parts: parts)
        return units.map { Swift.min(count, $0.lowerBound * alignment)..<Swift.min(count, $0.upperBound * alignment) }
    }
}
