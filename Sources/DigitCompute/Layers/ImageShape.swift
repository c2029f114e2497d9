
/// The shape of one sample between convolutional layers: `height x width x channels`,
/// stored channels-last (NHWC), so a pixel's channels are contiguous.
package struct ImageShape: Equatable, Sendable, CustomStringConvertible {
    package var height: Int
    package var width: Int
    package var channels: Int

    package init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    package var count: Int { height * width * channels }
    package var description: String { "\(height)x\(width)x\(channels)" }
}
