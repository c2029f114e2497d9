/// The shape of one sample between convolutional layers: `height x width x channels`,
/// stored channels-last (NHWC), so a pixel's channels are contiguous.
public struct ImageShape: Equatable, Sendable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    public var count: Int { height * width * channels }
    public var description: String { "\(height)x\(width)x\(channels)" }
}

/// Runs `body` over `0..<count` split into two contiguous halves on two threads, or
/// inline when there is too little to share. Each half is always the same range, so
/// per-half results combined in half order are deterministic.
func forEachHalf(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>, Int) -> Void) {
    if count < 2 * minimumPerThread {
        body(0..<count, 0)
        return
    }
    let middle = (count + 1) / 2
    DispatchQueue.concurrentPerform(iterations: 2) { half in
        body(half == 0 ? 0..<middle : middle..<count, half)
    }
}

import Dispatch
