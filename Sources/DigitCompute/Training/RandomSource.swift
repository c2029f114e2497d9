
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, seeded generator (SplitMix64) whose stream is the same on every platform
/// and Swift version, so a seed reproduces a model bit for bit.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    /// The whole generator state: `SeededRandom(seed: state)` continues the same stream.
    package private(set) var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    package mutating func uniform() -> Float {
        Float(next() >> 40) * (1.0 / Float(1 << 24))
    }

    /// Uniform integer in `0..<bound`.
    package mutating func integer(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// Standard normal (Box-Muller).
    package mutating func normal() -> Float {
        let u1 = max(uniform(), 1e-7), u2 = uniform()
        return sqrtf(-2 * logf(u1)) * cosf(2 * Float.pi * u2)
    }

    /// A Fisher-Yates shuffle of `0..<count`.
    package mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                order.swapAt(i, integer(below: i + 1))
            }
        }
        return order
    }
}
