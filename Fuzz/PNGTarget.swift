import DigitKit
import DigitPNG
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer target: the whole `digit classify` path for one file's bytes.
///
/// Decodes the input as a PNG, preprocesses it into a 28x28 digit and classifies it with
/// the shipped model. Any input may be refused, but only with `PNGError` (decoding) or
/// `PreprocessingError` (no digit); a decoded picture must match its declared size and a
/// classification must be ten finite probabilities summing to 1. Anything else traps, which
/// libFuzzer reports as a crash.
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
public func fuzzPNGClassification(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let picture: GrayImage
    do {
        picture = try decodePNG(bytes: bytes, name: "fuzz.png")
    } catch is PNGError {
        return 0
    } catch {
        fatalError("decodePNG threw a non-PNGError: \(error)")
    }
    precondition(picture.width > 0 && picture.height > 0 && picture.width * picture.height <= PNGLimits.maxPixels,
                 "decoded a \(picture.width)x\(picture.height) picture")
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
