import Foundation

/// The one file of a `multipart/form-data` body (RFC 7578), as a browser's form or
/// `curl -F file=@x.png` sends it.
package enum MultipartFormData {
    /// The contents of the single part that carries a file (a `filename` in its
    /// Content-Disposition); text fields beside it are ignored.
    ///
    /// Throws `ServerError` 400 naming the problem when the body does not start with the
    /// boundary, a part has no blank line after its headers, the closing boundary is missing,
    /// or there is no file part or more than one.
    package static func file(in body: [UInt8], boundary: String) throws -> [UInt8] {
        let delimiter = Array("--\(boundary)".utf8)
        let partSeparator = Array("\r\n--\(boundary)".utf8)
        guard body.starts(with: delimiter) else {
            throw ServerError.badRequest("multipart body does not start with its boundary")
        }
        var files: [[UInt8]] = []
        var position = delimiter.count
        while true {
            // After a delimiter: "--" closes the body, CRLF starts a part.
            if body[position...].starts(with: Array("--".utf8)) { break }
            guard body[position...].starts(with: crlf) else {
                throw ServerError.badRequest("multipart boundary is not followed by a line break")
            }
            let headersStart = position + crlf.count
            guard let headersEnd = firstIndex(of: blankLine, in: body, from: headersStart) else {
                throw ServerError.badRequest("multipart part has no blank line after its headers")
            }
            let contentStart = headersEnd + blankLine.count
            guard let contentEnd = firstIndex(of: partSeparator, in: body, from: contentStart) else {
                throw ServerError.badRequest("multipart body has no closing boundary")
            }
            let headers = String(decoding: body[headersStart..<headersEnd], as: UTF8.self)
            if isFilePart(headers: headers) { files.append(Array(body[contentStart..<contentEnd])) }
            position = contentEnd + partSeparator.count
        }
        guard files.count == 1 else {
            throw ServerError.badRequest(files.isEmpty ? "multipart body has no file part" : "multipart body has \(files.count) files: send one")
        }
        return files[0]
    }

    private static let crlf = Array("\r\n".utf8)
    private static let blankLine = Array("\r\n\r\n".utf8)

    /// True when a part's Content-Disposition names a file (`filename=` or `filename*=`).
    private static func isFilePart(headers: String) -> Bool {
        headers.split(separator: "\r\n").contains { line in
            let lower = line.lowercased()
            guard lower.hasPrefix("content-disposition:") else { return false }
            return lower.dropFirst("content-disposition:".count).split(separator: ";").contains { parameter in
                let name = parameter.trimmingCharacters(in: .whitespaces)
                return name.hasPrefix("filename=") || name.hasPrefix("filename*=")
            }
        }
    }

    /// Where `needle` first occurs in `haystack` at or after `start`, or nil.
    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            // Jump to the next occurrence of the needle's first byte, then compare the rest.
            guard let candidate = haystack[index...].firstIndex(of: needle[0]), candidate <= haystack.count - needle.count else { return nil }
            if haystack[candidate..<candidate + needle.count].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }
}
