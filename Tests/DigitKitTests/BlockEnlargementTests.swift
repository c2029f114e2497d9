import DigitCompute
@testable import DigitImage
@testable import DigitVision
import Testing

/// A picture enlarged by nearest neighbour is shrunk back to its own pixels before preprocessing.
struct BlockEnlargementTests {
    /// A picture of noise (no two neighbours alike in general), `width` x `height`.
    static func noise(width: Int, height: Int, seed: UInt64) -> GrayImage {
        var random = SeededRandom(seed: seed)
        return GrayImage(width: width, height: height,
                         pixels: (0..<(width * height)).map { _ in UInt8(random.integer(below: 256)) })
    }

    static func enlargedNearest(_ image: GrayImage, by factor: Int) -> GrayImage {
        var result = GrayImage(width: image.width * factor, height: image.height * factor, filledWith: 0)
        for y in 0..<result.height { for x in 0..<result.width { result[x, y] = image[x / factor, y / factor] } }
        return result
    }

    @Test("Enlarged 2-8x by nearest neighbour, a picture comes back exactly", arguments: 2...8)
    func enlargedPicturesComeBack(factor: Int) {
        let small = Self.noise(width: 13, height: 9, seed: UInt64(factor))
        let shrunk = DigitPreprocessor.undoingBlockEnlargement(Self.enlargedNearest(small, by: factor))
        #expect(shrunk == small)
    }

    @Test("The largest factor is found: 6x of a picture that is itself 2x blocky comes back 12x smaller")
    func theLargestFactorWins() {
        let tiny = Self.noise(width: 5, height: 4, seed: 9)
        let shrunk = DigitPreprocessor.undoingBlockEnlargement(Self.enlargedNearest(Self.enlargedNearest(tiny, by: 2), by: 6))
        #expect(shrunk == tiny)
    }

    @Test("One pixel off a block, an odd size, or no blocks at all: the picture is left as it is")
    func otherPicturesAreLeftAlone() {
        var touched = Self.enlargedNearest(Self.noise(width: 10, height: 10, seed: 4), by: 4)
        touched[17, 22] = touched[17, 22] &+ 1
        #expect(DigitPreprocessor.undoingBlockEnlargement(touched) == touched)
        let odd = Self.noise(width: 31, height: 17, seed: 5)
        #expect(DigitPreprocessor.undoingBlockEnlargement(odd) == odd)
        let fine = Self.noise(width: 40, height: 40, seed: 6)
        #expect(DigitPreprocessor.undoingBlockEnlargement(fine) == fine)
    }

    @Test("A digit's 16x16 scan enlarged 4x and 8x by nearest neighbour preprocesses exactly as the scan itself")
    func blownUpScansReadAsTheScan() throws {
        let digit = SyntheticPicture(width: 16, height: 16)
            .draw(SyntheticDigitShape.two.paths, origin: SIMD2(2, 1), size: 14, penWidth: 2)
        let scan = try preprocessDigit(digit)
        for factor in [4, 8] {
            #expect(try preprocessDigit(Self.enlargedNearest(digit, by: factor)) == scan, "\(factor)x")
            #expect(try DigitPreprocessor().candidates(Self.enlargedNearest(digit, by: factor)) == DigitPreprocessor().candidates(digit))
        }
    }
}
