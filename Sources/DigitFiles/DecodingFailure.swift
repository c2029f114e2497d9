/// A codec's refusal of a file's contents (`PNGError`, `JPEGError`): which file, why in words,
/// and whether only for its size, so that every codec's errors become one `FileError` the same way.
package protocol DecodingFailure: Error {
    /// The file path when there is one; otherwise a name the caller chose for the data.
    var name: String { get }
    /// The reason in words, without the name.
    var explanation: String { get }
    /// True when the file was refused only for the pixels its header declares.
    var isOverLimit: Bool { get }
}

extension DecodingFailure {
    /// The same refusal as the project's one file error: `name: explanation`.
    package var fileError: FileError { FileError(path: name, reason: explanation, isOverLimit: isOverLimit) }
}
