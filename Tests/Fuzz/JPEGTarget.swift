import DigitJPEG
import DigitKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer target: the whole `digit classify` path for one JPEG file's bytes.
///
/// Reads the EXIF orientation (from the bytes as a JPEG and as a bare TIFF block), the
/// headers, then decodes the input (downscaled and turned upright as `classify` does),
/// preprocesses it into a 28x28 digit and classifies it with the shipped model. Any input may be
/// refused, but only with `JPEGError` (decoding) or `PreprocessingError` (no digit); a decoded
/// picture must be no larger than its header says and within `JPEGLimits.maxPixels`, and a
/// classification ten finite probabilities summing to 1. Anything else traps, which libFuzzer
/// reports as a crash.
///
/// The model is read once from `$DIGIT_FUZZ_MODEL`, else from the bundled model's source
/// path relative to the package root (where `scripts/fuzz` runs).
private let classifier: Classifier = {
    let path = getenv("DIGIT_FUZZ_MODEL").map { String(cString: $0) }
        ?? "Sources/DigitKit/Resources/default.digitmodel"
    do {
        return try ModelFile.load(path: path).classifier
    } catch {
        fatalError("cannot load the model to fuzz with: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEGClassification(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
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
    let digit: GrayImage
    do {
        digit = try preprocessDigit(picture)
    } catch is PreprocessingError {
        return 0
    } catch {
        fatalError("preprocessDigit threw a non-PreprocessingError: \(error)")
    }
    let side = DigitPreprocessor.outputSide
    precondition(digit.width == side && digit.height == side, "preprocessed to \(digit.width)x\(digit.height)")
    let probabilities = classifier.probabilities(normalisedPixels(digit.pixels), count: 1)
    precondition(probabilities.count == 10 && probabilities.allSatisfy { $0.isFinite && $0 >= 0 },
                 "probabilities \(probabilities)")
    precondition(abs(probabilities.reduce(0, +) - 1) < 1e-3, "probabilities sum to \(probabilities.reduce(0, +))")
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
        // Large and flat, so the file is small but decoding downscales.
        ("large-flat.jpg", { try encodeJPEG(GrayImage(width: 2200, height: 1400, filledWith: 200), JPEGEncoding(quality: 30)) }),
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
