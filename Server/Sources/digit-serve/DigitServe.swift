import ArgumentParser
import DigitKit
import DigitServer
import Foundation
import Logging

/// `digit-serve` (what `digit serve` runs): the drawing page and the HTTP API.
@main
struct DigitServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digit-serve",
        abstract: "Serve a page to draw digits on and an HTTP API that reads them.",
        discussion: """
            GET / is the page; POST /api/classify and /api/read take a PNG or JPEG (image/png, image/jpeg, or \
            multipart/form-data with one file) and answer as classify --json and read --json do, \
            without "file"; GET /healthz names the model. Ctrl-C or SIGTERM stop the server once \
            the requests in flight are answered.
            """)

    @Option(help: "Address to listen on (default: loopback only).")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0: any free port, printed on stderr).")
    var port = 8080

    @Option(help: ArgumentHelp("Model file to use (default: the bundled model).", valueName: "FILE"))
    var model: String?

    @Option(help: ArgumentHelp("Threads each reading is computed on.",
                               discussion: "Default: $DIGIT_THREADS, else the number of active cores.", valueName: "N"))
    var threads: String?

    func validate() throws {
        do {
            try serverConfiguration().validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }

    /// The settings given, the thread count resolved as every command resolves it (`ComputeThreads.resolve`).
    func serverConfiguration() throws -> ServerConfiguration {
        let count = try ComputeThreads.resolve(flag: threads)
        return ServerConfiguration(host: host, port: port, modelPath: model, threads: count)
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        let modelName = model ?? "the \(ModelChoice.bundled.displayName)"
        let app = try DigitServerApp.make(configuration: serverConfiguration()) { host, port in
            let shownHost = host.contains(":") ? "[\(host)]" : host
            FileHandle.standardError.write(Data("digit-serve: listening on http://\(shownHost):\(port)/ with \(modelName)\n".utf8))
        }
        try await app.runService()
    }
}
