import DigitKit
import Hummingbird

/// Why a request was refused: the HTTP status and a one-line message, answered as
/// `{"error":"..."}` (an `ErrorRecord`) through the context's response encoder.
package struct ServerError: HTTPResponseError, Equatable, CustomStringConvertible {
    package let status: HTTPResponse.Status
    package let message: String

    package init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    package var description: String { "\(status.code): \(message)" }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(ErrorRecord(message), from: request, context: context)
        response.status = status
        return response
    }

    /// 400: a picture that cannot be read, or a body that is not what its Content-Type says.
    package static func badRequest(_ message: String) -> ServerError { ServerError(.badRequest, message) }

    package static let bodyTooLarge = ServerError(
        .contentTooLarge, "the body is over \(ServerLimits.maxBodyBytes >> 20) MiB, the most this server reads")
}
