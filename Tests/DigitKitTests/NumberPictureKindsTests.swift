@testable import DigitCompute
@testable import DigitImage
@testable import DigitStore
@testable import DigitVision
import Testing

/// The picture kinds of composed numbers: deterministic, the clean kind today's pictures, the
/// true boxes moved with the picture, and every kind readable.
@Suite(.enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
struct NumberPictureKindsTests {
    typealias Kind = NumberPictures.PictureKind

    /// The first number a seeded generator composes of four test digits in `kind`.
    static func firstNumber(_ kind: Kind, layout: NumberPictures.Layout = .crowded, seed: UInt64) throws -> NumberPictures.Composition {
        var random = SeededRandom(seed: seed)
        return NumberPictures.compose([[3, 14, 15, 92]], from: try NumberPictures.testSet.get(), layout: layout, kind: kind, random: &random)
    }

    @Test func eachKindIsDeterministicForASeed() throws {
        let set = try NumberPictures.testSet.get()
        for kind in Kind.allCases {
            let first = NumberPictures.numbers(3, digits: 4, from: set, layout: .crowded, kind: kind, seed: 41)
            let again = NumberPictures.numbers(3, digits: 4, from: set, layout: .crowded, kind: kind, seed: 41)
            #expect(first.map(\.picture) == again.map(\.picture), "\(kind)")
            #expect(first.map(\.boxes) == again.map(\.boxes), "\(kind)")
        }
    }

    /// Asking for no kind, or for `clean`, composes the pictures the seeds composed before kinds
    /// existed (the figures of earlier measurements rest on them).
    @Test func theCleanKindIsTodaysPicture() throws {
        let set = try NumberPictures.testSet.get()
        let today = NumberPictures.numbers(5, digits: 5, from: set, layout: .crowded, seed: 2005)
        let clean = NumberPictures.numbers(5, digits: 5, from: set, layout: .crowded, kind: .clean, seed: 2005)
        #expect(today.map(\.picture) == clean.map(\.picture))
        #expect(today.map(\.boxes) == clean.map(\.boxes))
        #expect(Self.fingerprint(today[0].picture) == 16_904_922_565_002_657_018)
        #expect(today[0].boxes[0] == [PixelRect(x: 48, y: 47, width: 36, height: 45), PixelRect(x: 79, y: 35, width: 48, height: 58),
                                     PixelRect(x: 128, y: 42, width: 14, height: 54), PixelRect(x: 147, y: 52, width: 35, height: 42),
                                     PixelRect(x: 173, y: 39, width: 49, height: 54)])
    }

    /// FNV-1a of the picture's size and pixels.
    static func fingerprint(_ picture: GrayImage) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in [UInt8(truncatingIfNeeded: picture.width), UInt8(truncatingIfNeeded: picture.height)] + picture.pixels {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }

    /// Every box lies inside the picture and holds dark ink, and every dark pixel lies in a box;
    /// labels and touching neighbours are those of the clean composition.
    @Test func boxesCoverTheInkOfEachKind() throws {
        for seed in UInt64(50)..<60 {
            let clean = try Self.firstNumber(.clean, seed: seed)
            for kind in Kind.altered {
                let number = try Self.firstNumber(kind, seed: seed)
                #expect(number.labels == clean.labels && number.touching == clean.touching, "\(kind)")
                let picture = number.picture, boxes = number.boxes[0]
                for box in boxes {
                    #expect(box.x >= 0 && box.y >= 0 && box.maxX <= picture.width && box.maxY <= picture.height, "\(kind) \(box)")
                    let dark = (box.y..<box.maxY).contains { y in (box.x..<box.maxX).contains { picture[$0, y] < 128 } }
                    #expect(dark, "\(kind) seed \(seed): no ink in \(box)")
                }
                var outside = 0
                for y in 0..<picture.height {
                    for x in 0..<picture.width where picture[x, y] < 128
                        && !boxes.contains(where: { x >= $0.x && x < $0.maxX && y >= $0.y && y < $0.maxY }) { outside += 1 }
                }
                #expect(outside == 0, "\(kind) seed \(seed): \(outside) dark pixels outside the boxes")
            }
        }
    }

    /// The kinds are pictures a person would call readable: the bundled reader reads most
    /// well-apart 4-digit numbers of each right.
    @Test func theBundledReaderReadsEachKind() throws {
        let set = try NumberPictures.testSet.get()
        let reader = NumberReader(classifier: try BundledModel.load().classifier, wholeDigitScorer: try BundledModel.wholeDigitScorer())
        for kind in Kind.allCases {
            let numbers = NumberPictures.numbers(40, digits: 4, from: set, layout: NumberPictures.Layout(), kind: kind, seed: 43)
            let right = numbers.filter { (try? reader.read($0.picture).text()) == $0.text }.count
            print("picture kind \(kind.rawValue): \(right) of 40 well-apart 4-digit numbers read right")
            #expect(right >= 32, "\(kind): \(right) of 40")
        }
    }
}
