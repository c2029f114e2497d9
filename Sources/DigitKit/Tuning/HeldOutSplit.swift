import DigitCompute

/// Which of a person's pictures a tuning run holds out: whole subfolders when there are
/// several (pictures of one writer or scanner are alike, so holding out some of each would
/// flatter the result), else the same share of each digit, so every digit is both learnt and measured.
package enum HeldOutSplit {
    /// The positions in `pictures` (each its subfolder and label) held out, sorted; none for
    /// `fraction` 0. By subfolder: `fraction` of the subfolders, rounded, at least one and
    /// never all. By digit: `fraction` of each digit's pictures, rounded, never all of them.
    package static func heldOut(_ pictures: [(subfolder: String, label: Int)], fraction: Float, seed: UInt64) -> [Int] {
        guard fraction > 0 else { return [] }
        var random = SeededRandom(seed: seed &+ 0x401D_0075)
        let folders = Array(Set(pictures.map(\.subfolder))).sorted()
        if folders.count > 1 {
            let count = min(folders.count - 1, max(1, Int((Float(folders.count) * fraction).rounded())))
            let chosen = Set(random.permutation(folders.count).prefix(count).map { folders[$0] })
            return pictures.indices.filter { chosen.contains(pictures[$0].subfolder) }
        }
        var held: [Int] = []
        for label in Set(pictures.map(\.label)).sorted() {
            let members = pictures.indices.filter { pictures[$0].label == label }
            let count = min(members.count - 1, Int((Float(members.count) * fraction).rounded()))
            held += random.permutation(members.count).prefix(count).map { members[$0] }
        }
        return held.sorted()
    }
}
