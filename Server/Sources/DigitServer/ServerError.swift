import Hummingbird

/// Why a request was refused: the HTTP status and a one-line message, sent as
/// `{"error":"..."}` (see `JSONErrorMiddleware`).
package struct ServerError: Error, Equatable, CustomStringConvertible {
    package let status: HTTPResponse.Status
    package let message: String

    package init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    package var description: String { "\(status.code): \(message)" }

    /// 400: a picture that cannot be read, or a body that is not what its Content-Type says.
    package static func badRequest(_ message: String) -> ServerError { ServerError(.badRequest, message) }

    package static let bodyTooLarge = ServerError(
        .contentTooLarge, "the body is over \(ServerLimits.maxBodyBytes >> 20) MiB, the most this server reads")
}
