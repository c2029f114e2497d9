import DigitKit
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The server `digit serve` runs: the drawing page at `/`, the API under `/api`, `/healthz`.
///
/// - `GET /`: the page (HTML, CSS and script in one file, nothing fetched from elsewhere).
/// - `POST /api/classify`: a picture (`image/png`, `image/jpeg`, or `multipart/form-data` with
///   one file) -> the `classify --json` object without `file`, plus `"input"`.
/// - `POST /api/read`: the same bodies -> the `read --json` object without `file`.
/// - `GET /healthz`: the model's name and test accuracy.
///
/// Every refusal is `{"error":"..."}`: 400 for a picture that cannot be read, 413 for a body
/// over `ServerLimits.maxBodyBytes` or a picture over `ServerLimits.maxPixels`, 415 for
/// another Content-Type, 422 for a picture without ink, 404 for an unknown path.
public enum DigitServerApp {
    /// The application for `configuration`, ready for `runService()` (which stops it cleanly
    /// on SIGINT and SIGTERM, letting requests in flight finish). `onListening` is told the
    /// address and port once the socket is bound (the chosen port when 0 was asked for).
    /// Throws `ConfigurationError` for a setting out of range, `FileError` for a model that
    /// cannot be loaded and `ServerPageError` when the build lost the page.
    public static func make(configuration: ServerConfiguration,
                            onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in })
        throws -> some ApplicationProtocol {
        try configuration.validate()
        ComputeThreads.use(configuration.threads)
        var logger = Logger(label: "digit-serve")
        // Hummingbird's own "server started" line at info level would repeat `onListening`'s.
        logger.logLevel = .notice
        return Application(
            router: try router(readings: DigitReadings(model: ModelChoice(path: configuration.modelPath)), page: ServerPage.load()),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in onListening(configuration.host, channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// The routes, for `make` and for in-process tests.
    package static func router(readings: DigitReadings, page: String) -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: ErrorBodyMiddleware())
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
        router.get("/healthz") { _, _ in readings.health }
        router.post("/api/classify") { request, _ in
            try await readings.classify(try await UploadedPicture.bytes(of: request))
        }
        router.post("/api/read") { request, _ in
            try await readings.readNumber(try await UploadedPicture.bytes(of: request))
        }
        return router
    }
}

extension ClassificationRecord: @retroactive ResponseEncodable {}
extension NumberRecord: @retroactive ResponseEncodable {}
extension DigitReadings.Health: ResponseEncodable {}

/// Gives every refusal a body, `{"error":"..."}`: the router's own (an unknown path's 404 has
/// none) as its status's reason, anything unexpected as a logged 500. `ServerError`s pass
/// through: they answer for themselves.
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            throw error
        } catch let error as HTTPResponseError {
            throw ServerError(error.status, (error as? HTTPError)?.body ?? error.status.reasonPhrase.lowercased())
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            throw ServerError(.internalServerError, "internal error: \(error)")
        }
    }
}
