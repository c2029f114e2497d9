import Foundation
import Hummingbird
import NIOCore

/// The picture bytes a client sent, by whichever of the accepted Content-Types.
enum UploadedPicture {
    /// The picture in `request`'s body: the whole body for `image/png` or `image/jpeg`, the one
    /// file of a `multipart/form-data` body. Throws `ServerError` 415 for another or a missing
    /// Content-Type (before reading the body), 413 for a body over `ServerLimits.maxBodyBytes`
    /// (from Content-Length when sent, else while reading), 400 for a malformed multipart body.
    static func bytes(of request: Request) async throws -> [UInt8] {
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = MediaType(from: contentType)
        let isMultipart = mediaType?.isType(.multipartForm) == true
        guard isMultipart || mediaType?.isType(.imagePng) == true || mediaType?.isType(.imageJpeg) == true else {
            throw ServerError(.unsupportedMediaType, contentType.isEmpty
                ? "no Content-Type: send image/png, image/jpeg or multipart/form-data"
                : "Content-Type \(contentType) is not supported: send image/png, image/jpeg or multipart/form-data")
        }
        // RFC 2046 allows boundaries of 1 to 70 characters.
        let boundary = mediaType?.parameter.flatMap { $0.name.lowercased() == "boundary" && (1...70).contains($0.value.utf8.count) ? $0.value : nil }
        if isMultipart && boundary == nil {
            throw ServerError.badRequest("multipart/form-data without a valid boundary parameter")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > ServerLimits.maxBodyBytes {
            throw ServerError.bodyTooLarge
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: ServerLimits.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw ServerError.bodyTooLarge
        }
        let bytes = Array(body.readableBytesView)
        guard isMultipart, let boundary else { return bytes }
        return try MultipartFormData.file(in: bytes, boundary: boundary)
    }
}
