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
