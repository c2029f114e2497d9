import DigitJPEG
import Foundation
import Testing

/// A photo's own troubles, each on MNIST test digits photographed synthetically and read
/// through JPEG decoding and the whole `classify` pipeline. The reference is the same digits
/// in a clean photo.
@Suite(.enabled(if: JPEGSupport.mnistAvailable, JPEGSupport.noMNIST))
struct PhotoTests {
    /// Every 97th MNIST test digit from 0: 100 digits of all classes.
    static let indices = (0..<100).map { $0 * 97 }

    static func accuracy(_ trouble: PhotoTrouble?, indices: [Int] = indices) throws -> Double {
        let test = try JPEGSupport.mnistTest()
        let scene = PhotoScene(trouble)
        let pictures = try indices.map { index in
            try decodeJPEG(bytes: scene.jpeg(of: test.image(index), seed: UInt64(index)), name: "photo-\(index).jpg")
        }
        return JPEGSupport.accuracy(pictures, labels: indices.map { Int(test.labels[$0]) })
    }

    @Test(arguments: PhotoTrouble.allCases)
    func eachTroubleIsReadNearlyAsWellAsACleanPhoto(_ trouble: PhotoTrouble) throws {
        let indices = trouble == .smallInABigPhoto ? Array(Self.indices.prefix(30)) : Self.indices
        let clean = try Self.accuracy(nil, indices: indices)
        let troubled = try Self.accuracy(trouble, indices: indices)
        #expect(troubled >= clean - 3, "\(trouble.rawValue): \(troubled)% against \(clean)% for clean photos")
    }
}
