import DigitImage
import DigitJPEG
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer target: the JPEG decoding path of `digit classify` for one file's bytes.
///
/// Reads the EXIF orientation (from the bytes as a bare TIFF block; `decodeJPEG` reads it from
/// the JPEG's segments), the headers, then decodes the input as `classify` does: through the
/// setjmp-owning shim, downscaled and turned upright. Any input may be refused, but only with a
/// `JPEGError` naming the data; a decoded picture must be no larger than its header says and
/// within `JPEGLimits.maxPixels`. Anything else traps, which libFuzzer reports as a crash.
/// What becomes of a decoded picture (preprocessing, classification) is the png target's to
/// fuzz: under AddressSanitizer it costs some 6 ms a picture, 100 times the decoding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEGDecoding(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = ExifOrientation(tiff: bytes[...])
    let name = "fuzz.jpg"
    let header: JPEGHeader?
    do {
        header = try readJPEGHeader(bytes: bytes, name: name)
    } catch let error as JPEGError {
        precondition(error.name == name, "\(error)")
        header = nil
    } catch {
        fatalError("readJPEGHeader threw a non-JPEGError: \(error)")
    }
    // As libjpeg-turbo's own fuzzers do, a file declaring more than a megapixel is not decoded
    // (a few bytes can claim 40 MP, and libjpeg zeroes the whole coefficient buffer of a
    // progressive one before reading a scan); one declaring more than the limit still is, to
    // check it is refused from the header. The tests decode large files.
    if let header, (1 << 20)...JPEGLimits.maxPixels ~= header.width * header.height { return 0 }
    let picture: GrayImage
    do {
        picture = try decodeJPEG(bytes: bytes, name: name)
    } catch let error as JPEGError {
        precondition(error.name == name, "\(error)")
        return 0
    } catch {
        fatalError("decodeJPEG threw a non-JPEGError: \(error)")
    }
    let storedSide = header.map { max($0.width, $0.height) } ?? Int.max
    precondition(picture.width > 0 && picture.height > 0 && picture.width * picture.height <= JPEGLimits.maxPixels
                 && max(picture.width, picture.height) <= storedSide,
                 "decoded a \(picture.width)x\(picture.height) picture from a file of longer side \(storedSide)")
    return 0
}

/// With `$DIGIT_FUZZ_WRITE_SEEDS` set to a folder, writes small JPEGs of every kind the decoder
/// reads there (the seed corpus `scripts/fuzz` starts from) and exits; otherwise does nothing.
@_cdecl("LLVMFuzzerInitialize")
public func writeSeedJPEGsIfAsked(_ argc: UnsafeMutableRawPointer, _ argv: UnsafeMutableRawPointer) -> CInt {
    guard let folder = getenv("DIGIT_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) else { return 0 }
    // A dark ring on light paper, 40x32: a digit-like shape the preprocessing finds.
    let ring = GrayImage(width: 40, height: 32, pixels: (0..<(40 * 32)).map { i in
        let dx = Double(i % 40 - 20), dy = Double(i / 40 - 16)
        let r = (dx * dx + dy * dy).squareRoot()
        return r > 8 && r < 12 ? 30 : 230
    })
    let rgb: [UInt8] = ring.pixels.flatMap { (gray: UInt8) -> [UInt8] in [gray, gray / 2 + 100, gray] }
    let cmyk: [UInt8] = ring.pixels.flatMap { (gray: UInt8) -> [UInt8] in [255, 255, 255, gray] }
    var seeds: [(String, () throws -> [UInt8])] = [
        ("gray-baseline.jpg", { try encodeJPEG(ring, JPEGEncoding(quality: 75)) }),
        ("gray-progressive.jpg", { try encodeJPEG(ring, JPEGEncoding(quality: 75, isProgressive: true)) }),
        ("gray-arithmetic.jpg", { try encodeJPEG(ring, JPEGEncoding(quality: 75, isArithmeticCoded: true)) }),
        ("ycbcr.jpg", { try encodeJPEG(rgb: rgb, width: 40, height: 32, JPEGEncoding(quality: 75)) }),
        ("rgb-progressive.jpg", { try encodeJPEG(rgb: rgb, width: 40, height: 32,
                                                 JPEGEncoding(quality: 75, isProgressive: true, keepsColourSpace: true)) }),
        ("cmyk.jpg", { try encodeJPEG(cmyk: cmyk, width: 40, height: 32, JPEGEncoding(quality: 75, keepsColourSpace: true)) }),
        ("ycck-arithmetic.jpg", { try encodeJPEG(cmyk: cmyk, width: 40, height: 32,
                                                 JPEGEncoding(quality: 75, isArithmeticCoded: true)) }),
        // Large and flat, so the file is small but decoding downscales (to 7/8).
        ("large-flat.jpg", { try encodeJPEG(GrayImage(width: 1200, height: 800, filledWith: 200), JPEGEncoding(quality: 30)) }),
    ]
    for orientation in ExifOrientation.allCases {
        let littleEndian = orientation.rawValue % 2 == 0
        seeds.append(("exif-\(orientation.rawValue).jpg", {
            try encodeJPEG(ring, JPEGEncoding(quality: 60, app1: orientation.exifSegment(littleEndian: littleEndian)))
        }))
    }
    do {
        for (file, make) in seeds {
            let bytes = try make()
            guard let stream = fopen("\(folder)/\(file)", "wb"), fwrite(bytes, 1, bytes.count, stream) == bytes.count,
                  fclose(stream) == 0
            else { fatalError("cannot write the seed \(folder)/\(file)") }
        }
    } catch {
        fatalError("cannot encode the seed JPEGs: \(error)")
    }
    exit(0)
}
