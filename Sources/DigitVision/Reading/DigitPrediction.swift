import DigitCompute
import DigitImage

/// The network's answer for one digit: the ten class probabilities and the 28x28 it saw.
public struct DigitPrediction: Sendable, Equatable {
    /// The MNIST-style 28x28 the network was shown: white ink (255) on black (0), the digit
    /// scaled into a 20-pixel box and centred by its centre of mass.
    public let input: GrayImage
    /// Probability of each digit 0...9 (index = digit), each in 0...1, summing to 1; calibrated
    /// by the model's fitted softmax temperature.
    public let probabilities: [Float]
    /// True when no distinct ink was found and the whole picture was read instead (an unsure
    /// answer is likely); never for the digits of a number.
    public let wholePicture: Bool

    package init(input: GrayImage, probabilities: [Float], wholePicture: Bool = false) {
        self.input = input
        self.probabilities = probabilities
        self.wholePicture = wholePicture
    }

    /// The most probable digit, 0...9 (the lower one of equals).
    public var digit: Int { probabilities.indexOfLargest! }
    /// The most probable digit's probability, 0...1.
    public var confidence: Float { probabilities[digit] }

    /// The `k` most probable digits, best first (the lower digit first among equals).
    public func top(_ k: Int) -> [(digit: Int, probability: Float)] {
        probabilities.enumerated().sorted { ($0.element, $1.offset) > ($1.element, $0.offset) }
            .prefix(k).map { ($0.offset, $0.element) }
    }
}
