import DigitImage
import DigitJPEG
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer target: the EXIF orientation parser on one input, without libjpeg.
///
/// Reads the input as a bare TIFF block and again wrapped in a JPEG's APP1 "Exif" segment: the
/// two must agree. Then reads the input as a whole JPEG's marker segments, and turns a small
/// picture by the orientation found, which must keep its pixels. Out-of-bounds reads trap
/// (Swift's checks, and AddressSanitizer's), which libFuzzer reports as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExifOrientation(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let fromTIFF = ExifOrientation(tiff: bytes[...])
    let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]
    let length = 2 + exifHeader.count + bytes.count
    if length <= 0xFFFF {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + exifHeader + bytes
        precondition(ExifOrientation(jpeg: jpeg) == fromTIFF, "the TIFF block read two ways")
    }
    let orientation = ExifOrientation(jpeg: bytes) ?? fromTIFF ?? .identity
    let picture = GrayImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6])
    let turned = picture.oriented(orientation)
    precondition(turned.pixels.sorted() == picture.pixels && turned.width * turned.height == 6, "\(turned)")
    return 0
}

/// With `$DIGIT_FUZZ_WRITE_SEEDS` set to a folder, writes every orientation's TIFF block in both
/// byte orders there and exits; otherwise does nothing.
@_cdecl("LLVMFuzzerInitialize")
public func writeSeedBlocksIfAsked(_ argc: UnsafeMutableRawPointer, _ argv: UnsafeMutableRawPointer) -> CInt {
    guard let folder = getenv("DIGIT_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) else { return 0 }
    for orientation in ExifOrientation.allCases {
        for littleEndian in [true, false] {
            let block = Array(orientation.exifSegment(littleEndian: littleEndian).dropFirst(6))
            let path = "\(folder)/tiff-\(orientation.rawValue)-\(littleEndian ? "II" : "MM")"
            guard let stream = fopen(path, "wb"), fwrite(block, 1, block.count, stream) == block.count,
                  fclose(stream) == 0
            else { fatalError("cannot write the seed \(path)") }
        }
    }
    exit(0)
}
