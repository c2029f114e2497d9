import DigitServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The server's routes in-process, with the bundled model loaded once for all tests.
enum TestServer {
    /// The package root, found from this file's path (Tests/DigitServerTests/ServerTestSupport.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static let readings: DigitReadings = {
        do { return try DigitReadings(modelPath: nil) } catch { fatalError("the bundled model does not load: \(error)") }
    }()

    /// An application on `readings` and the real page, on a free loopback port when run live.
    static func application() throws -> some ApplicationProtocol {
        Application(router: DigitServerApp.router(readings: readings, page: try ServerPage.load()),
                    configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
    }

    /// Runs `test` against the routes in-process (`.router`) or over a real socket (`.live`).
    static func test<Value>(_ setup: TestingSetup = .router, _ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await application().test(setup) { client in try await test(client) }
    }

    /// The bytes of the file at `path` relative to the package root.
    static func file(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/" + path)))
    }

    /// The path of `name` in the build folder the tests were built into (on Linux they run
    /// from `.build/<config>/digitPackageTests.xctest`).
    static func builtExecutable(_ name: String) -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent(name).path), folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent(name).path
    }

    /// The committed samples of one digit each: those whose names start with that digit.
    static let digitSamples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/samples")) ?? []
        return names.filter { $0.first?.isNumber == true && $0.hasSuffix(".png") }.sorted()
    }()
}

extension TestClientProtocol {
    /// POSTs `body` to `uri` with `contentType` and returns the status and the body's text.
    func post(_ uri: String, body: [UInt8], contentType: String?) async throws -> (status: HTTPResponse.Status, text: String) {
        var headers: HTTPFields = [:]
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// GETs `uri` and returns the status, the Content-Type and the body's text.
    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, contentType: String?, text: String) {
        try await execute(uri: uri, method: .get) { response in
            (response.status, response.headers[.contentType], String(buffer: response.body))
        }
    }
}

/// The JSON object in `text` (one line), or nil when it is not one.
func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}
