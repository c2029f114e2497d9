import DigitImage
import DigitJPEG
import Testing

/// The EXIF Orientation tag: parsing it in both byte orders, surviving damaged blocks, and
/// turning pictures upright.
struct ExifOrientationTests {
    /// 3x2, every pixel different: row 0 is 1 2 3, row 1 is 4 5 6.
    static let stored = GrayImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6])

    /// What each orientation makes of `stored`, worked out by hand from the EXIF definitions.
    static let upright: [ExifOrientation: GrayImage] = [
        .identity: stored,
        .flippedHorizontally: GrayImage(width: 3, height: 2, pixels: [3, 2, 1, 6, 5, 4]),
        .rotated180: GrayImage(width: 3, height: 2, pixels: [6, 5, 4, 3, 2, 1]),
        .flippedVertically: GrayImage(width: 3, height: 2, pixels: [4, 5, 6, 1, 2, 3]),
        .transposed: GrayImage(width: 2, height: 3, pixels: [1, 4, 2, 5, 3, 6]),
        .rotated90Clockwise: GrayImage(width: 2, height: 3, pixels: [4, 1, 5, 2, 6, 3]),
        .transversed: GrayImage(width: 2, height: 3, pixels: [6, 3, 5, 2, 4, 1]),
        .rotated90CounterClockwise: GrayImage(width: 2, height: 3, pixels: [3, 6, 2, 5, 1, 4]),
    ]

    @Test(arguments: ExifOrientation.allCases)
    func eachOrientationTurnsThePictureUpright(_ orientation: ExifOrientation) {
        #expect(Self.stored.oriented(orientation) == Self.upright[orientation])
    }

    @Test(arguments: ExifOrientation.allCases, [true, false])
    func theTagIsReadInBothByteOrders(_ orientation: ExifOrientation, littleEndian: Bool) throws {
        let segment = orientation.exifSegment(littleEndian: littleEndian)
        #expect(ExifOrientation(tiff: segment.dropFirst(6)) == orientation)
        let jpeg = try encodeJPEG(Self.stored, JPEGEncoding(app1: segment))
        #expect(ExifOrientation(jpeg: jpeg) == orientation)
        #expect(try readJPEGHeader(bytes: jpeg, name: "o.jpg").orientation == orientation)
    }

    /// A photo stored sideways with its tag decodes upright: blocks of flat gray, which JPEG
    /// keeps exactly enough to compare.
    @Test(arguments: ExifOrientation.allCases)
    func decodedPhotosAreUpright(_ orientation: ExifOrientation) throws {
        let blocks = GrayImage(width: 48, height: 32, pixels: (0..<(48 * 32)).map { (i: Int) -> UInt8 in
            let column = (i % 48) / 16, row = (i / 48) / 16
            return UInt8(40 + 60 * column + 30 * row)
        })
        let jpeg = try encodeJPEG(blocks, JPEGEncoding(quality: 100, app1: orientation.exifSegment(littleEndian: false)))
        let decoded = try decodeJPEG(bytes: jpeg, name: "turned.jpg")
        let expected = blocks.oriented(orientation)
        #expect(decoded.width == expected.width && decoded.height == expected.height)
        #expect(JPEGSupport.meanAbsoluteDifference(decoded, expected) < 1)
    }

    /// Each way a block can be damaged: no orientation, and the picture still decodes as stored.
    @Test func damagedBlocksAreIgnored() throws {
        let good = ExifOrientation.rotated90Clockwise.exifSegment(littleEndian: true)
        var badByteOrder = good
        badByteOrder[6] = 0x4D  // "MI"
        var badMagic = good
        badMagic[8] = 43
        var farIFD = good
        farIFD.replaceSubrange(10..<14, with: [0xF0, 0xFF, 0xFF, 0xFF])
        var manyEntries = good
        manyEntries.replaceSubrange(14..<18, with: [0xFF, 0xFF, 0x10, 0x01])  // and the tag is 0x0110, not 0x0112
        var wrongType = good
        wrongType[18] = 4  // LONG
        var valueNine = good
        valueNine[24] = 9
        let damaged: [(String, [UInt8])] = [
            ("bad byte order", badByteOrder), ("bad magic", badMagic), ("IFD0 past the end", farIFD),
            ("entries past the end", manyEntries), ("wrong type", wrongType), ("value 9", valueNine),
            ("cut in the entry", Array(good.prefix(20))), ("header only", Array(good.prefix(6))),
        ]
        for (kind, segment) in damaged {
            #expect(ExifOrientation(tiff: segment.dropFirst(6)) == nil, "\(kind)")
            let jpeg = try encodeJPEG(Self.stored, JPEGEncoding(app1: segment))
            #expect(ExifOrientation(jpeg: jpeg) == nil, "\(kind)")
            #expect(try decodeJPEG(bytes: jpeg, name: "damaged.jpg").width == 3, "\(kind)")
        }
    }

    /// A segment length running past the data, or a scan before any EXIF block: none found.
    @Test func segmentsAreBoundsChecked() throws {
        let segment = ExifOrientation.rotated180.exifSegment(littleEndian: true)
        let header: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1]
        let length = segment.count + 2
        let whole = header + [UInt8(length >> 8), UInt8(length & 0xFF)] + segment
        #expect(ExifOrientation(jpeg: whole) == .rotated180)
        #expect(ExifOrientation(jpeg: Array(whole.dropLast())) == nil)
        #expect(ExifOrientation(jpeg: header + [0xFF, 0xFF] + segment) == nil)
        #expect(ExifOrientation(jpeg: [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02] + Array(whole.dropFirst(2))) == nil)
        #expect(ExifOrientation(jpeg: [0xFF, 0xD8, 0xFF, 0xFF, 0xFF] + Array(whole.dropFirst(2))) == .rotated180,
                "fill bytes before a marker")
    }

    /// Every one-byte change and every cut of a block is read or refused, never a trap.
    @Test func everyMutationOfABlockIsSafe() {
        for littleEndian in [true, false] {
            let segment = ExifOrientation.transversed.exifSegment(littleEndian: littleEndian)
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0, UInt8(segment.count + 2)] + segment
            for index in jpeg.indices {
                for value: UInt8 in [0, 1, 0x7F, 0x80, 0xFF] {
                    var mutated = jpeg
                    mutated[index] = value
                    _ = ExifOrientation(jpeg: mutated)
                }
                _ = ExifOrientation(jpeg: Array(jpeg.prefix(index)))
            }
        }
    }
}
