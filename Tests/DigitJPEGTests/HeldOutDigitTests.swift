import DigitCompute
import DigitImage
import DigitJPEG
import DigitPNG
import Foundation
import Testing

/// Held-out MNIST test digits written as JPEG read as well as the same pictures as PNG.
@Suite(.enabled(if: JPEGSupport.mnistAvailable, JPEGSupport.noMNIST))
struct HeldOutDigitTests {
    /// 300 MNIST test digits, every 33rd.
    static let indices = (0..<300).map { $0 * 33 }

    /// How each JPEG is written: quality, progressive, and the EXIF orientation it is stored
    /// under (the stored pixels being the upright picture turned the other way).
    static let kinds: [(name: String, quality: Int, progressive: Bool, orientation: ExifOrientation)] = [
        ("baseline q85", 85, false, .identity), ("progressive q70", 70, true, .identity),
        ("EXIF 6", 85, false, .rotated90Clockwise), ("EXIF 8", 85, false, .rotated90CounterClockwise),
        ("EXIF 3", 85, false, .rotated180),
    ]

    /// The picture a person would photograph or scan: the digit dark on white, 4x (112x112).
    static func picture(_ test: Dataset, _ index: Int) -> GrayImage {
        let digit = JPEGSupport.darkOnLight(test, index)
        return GrayImage(width: 112, height: 112, pixels: (0..<(112 * 112)).map { digit[($0 % 112) / 4, $0 / 112 / 4] })
    }

    @Test(arguments: kinds.indices)
    func jpegReadsWithinAPointOfPNG(_ kind: Int) throws {
        let (name, quality, progressive, orientation) = Self.kinds[kind]
        let test = try JPEGSupport.mnistTest()
        let labels = Self.indices.map { Int(test.labels[$0]) }
        let upright = Self.indices.map { Self.picture(test, $0) }
        let png = try upright.map { try decodePNG(bytes: encodePNG($0), name: "digit.png") }
        let undo: [ExifOrientation: ExifOrientation] = [.rotated90Clockwise: .rotated90CounterClockwise,
                                                        .rotated90CounterClockwise: .rotated90Clockwise]
        let jpeg = try upright.map { picture in
            let stored = picture.oriented(undo[orientation] ?? orientation)
            let options = JPEGEncoding(quality: quality, isProgressive: progressive,
                                       app1: orientation == .identity ? nil : orientation.exifSegment(littleEndian: false))
            return try decodeJPEG(bytes: encodeJPEG(stored, options), name: "digit.jpg")
        }
        let pngAccuracy = JPEGSupport.accuracy(png, labels: labels)
        let jpegAccuracy = JPEGSupport.accuracy(jpeg, labels: labels)
        #expect(abs(jpegAccuracy - pngAccuracy) <= 1, "\(name): JPEG \(jpegAccuracy)%, PNG \(pngAccuracy)%")
    }
}
