import DigitCompute
import DigitImage
import DigitPNG
import DigitStore
import DigitVision
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer target: the whole `digit classify` path for one file's bytes.
///
/// Decodes the input as a PNG, preprocesses it into a 28x28 digit and classifies it with
/// the shipped model; then the same with every chunk's CRC recomputed. Any input may be refused, but only with `PNGError` (decoding) or
/// `PreprocessingError` (no digit); a decoded picture must match its declared size and a
/// classification must be ten finite probabilities summing to 1. Anything else traps, which
/// libFuzzer reports as a crash.
///
/// The model is read once from `$DIGIT_FUZZ_MODEL`, else from the bundled model's source
/// path relative to the package root (where `scripts/fuzz` runs).
private let classifier: Classifier = {
    let path = getenv("DIGIT_FUZZ_MODEL").map { String(cString: $0) }
        ?? "Sources/DigitStore/Resources/default.digitmodel"
    do {
        return try ModelFile.load(path: path).classifier
    } catch {
        fatalError("cannot load the model to fuzz with: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNGClassification(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    classifyChecked(bytes)
    // libpng rejects a chunk whose CRC does not match, so almost every mutation of pixel
    // data would stop there; with the CRCs recomputed it reaches inflating, unfiltering,
    // preprocessing and classification.
    if let resealed = withChunkCRCsRecomputed(bytes), resealed != bytes {
        classifyChecked(resealed)
    }
    return 0
}

private func classifyChecked(_ bytes: [UInt8]) {
    let picture: GrayImage
    do {
        picture = try decodePNG(bytes: bytes, name: "fuzz.png")
    } catch is PNGError {
        return
    } catch {
        fatalError("decodePNG threw a non-PNGError: \(error)")
    }
    precondition(picture.width > 0 && picture.height > 0 && picture.width * picture.height <= PNGLimits.maxPixels,
                 "decoded a \(picture.width)x\(picture.height) picture")
    let digit: GrayImage
    do {
        digit = try preprocessDigit(picture)
    } catch is PreprocessingError {
        return
    } catch {
        fatalError("preprocessDigit threw a non-PreprocessingError: \(error)")
    }
    let side = DigitPreprocessor.outputSide
    precondition(digit.width == side && digit.height == side, "preprocessed to \(digit.width)x\(digit.height)")
    let probabilities = classifier.probabilities(normalisedPixels(digit.pixels), count: 1)
    precondition(probabilities.count == 10 && probabilities.allSatisfy { $0.isFinite && $0 >= 0 },
                 "probabilities \(probabilities)")
    precondition(abs(probabilities.reduce(0, +) - 1) < 1e-3, "probabilities sum to \(probabilities.reduce(0, +))")
}

/// `bytes` with every whole chunk's CRC set to match its type and data, or nil when they do
/// not start with the PNG signature.
private func withChunkCRCsRecomputed(_ bytes: [UInt8]) -> [UInt8]? {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard bytes.starts(with: signature) else { return nil }
    var fixed = bytes
    var offset = signature.count
    while fixed.count - offset >= 12 {
        let length = fixed[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        guard length <= fixed.count - offset - 12 else { break }
        let crcOffset = offset + 8 + length
        let crc = fixed.withUnsafeBytes { crc32(UnsafeRawBufferPointer(rebasing: $0[(offset + 4)..<crcOffset])) }
        fixed.replaceSubrange(crcOffset..<(crcOffset + 4),
                              with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        offset = crcOffset + 4
    }
    return fixed
}
