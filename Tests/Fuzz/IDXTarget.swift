import DigitFiles
import DigitStore

/// libFuzzer target: the IDX reader on one file's bytes, raw or gzip-compressed.
///
/// Parses the input both as an image file and as a label file. Either may be refused, but
/// only with a `FileError` naming the data; what is accepted must agree with its header
/// (`count * rows * columns` pixels).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let name = "fuzz-idx"
    do {
        let images = try IDX.parseImages(bytes, name: name)
        precondition(images.pixels.count == images.count * images.rows * images.columns,
                     "\(images.pixels.count) pixels for \(images.count) images of \(images.rows)x\(images.columns)")
    } catch {
        requireNamedDataError(error, name: name)
    }
    do {
        _ = try IDX.parseLabels(bytes, name: name)
    } catch {
        requireNamedDataError(error, name: name)
    }
    return 0
}

/// Traps unless `error` is the reader's documented `FileError` and names `name`.
private func requireNamedDataError(_ error: Error, name: String) {
    guard let error = error as? FileError else { fatalError("IDX threw an undocumented error: \(error)") }
    precondition(error.path == name && !error.reason.isEmpty, "\(error)")
}
