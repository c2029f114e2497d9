import Foundation
import Hummingbird
import NIOCore

/// The picture bytes a client sent, by whichever of the accepted Content-Types.
enum UploadedPicture {
    /// The media types whose body is the picture itself.
    static let pictureTypes: Set<String> = ["image/png", "image/jpeg"]

    /// The picture in `request`'s body: the whole body for `image/png` or `image/jpeg`, the one
    /// file of a `multipart/form-data` body. Throws `ServerError` 415 for another or a missing
    /// Content-Type (before reading the body), 413 for a body over `ServerLimits.maxBodyBytes`
    /// (from Content-Length when sent, else while reading), 400 for a malformed multipart body.
    static func bytes(of request: Request) async throws -> [UInt8] {
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let boundary = MultipartFormData.boundary(contentType: contentType)
        guard pictureTypes.contains(mediaType) || mediaType == "multipart/form-data" else {
            throw ServerError(.unsupportedMediaType, contentType.isEmpty
                ? "no Content-Type: send image/png, image/jpeg or multipart/form-data"
                : "Content-Type \(contentType) is not supported: send image/png, image/jpeg or multipart/form-data")
        }
        if mediaType == "multipart/form-data" && boundary == nil {
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
        guard let boundary else { return bytes }
        return try MultipartFormData.file(in: bytes, boundary: boundary)
    }
}
