import DigitKit
import DigitServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The server's routes in-process, with the bundled model loaded once for all tests.
enum TestServer {
    /// The checkout's root, found from this file's path (Server/Tests/DigitServerTests/ServerTestSupport.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let readings: DigitReadings = {
        do { return try DigitReadings(model: .bundled) } catch { fatalError("the bundled model does not load: \(error)") }
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
    /// from `.build/<config>/digit-serverPackageTests.xctest`).
    static func builtExecutable(_ name: String) -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent(name).path), folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent(name).path
    }

    /// The committed samples of one digit each: those whose names start with that digit (a
    /// missing folder stops the tests: a test over none of them would check nothing).
    static let digitSamples: [String] = {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/samples") else {
            fatalError("\(packageRoot)/samples: cannot list the samples")
        }
        return names.filter { $0.first?.isNumber == true && $0.hasSuffix(".png") }.sorted()
    }()

    /// The line `digit` printed for `file` in the committed outputs of `digit COMMAND ... samples`
    /// (`Tests/Fixtures/outputs/expected/NAME.stdout`, which the CLI's own tests hold it to).
    static func cliLine(_ name: String, file: String) throws -> String {
        let path = packageRoot + "/Tests/Fixtures/outputs/expected/\(name).stdout"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        return String(try #require(lines.first { $0.hasPrefix("{\"file\":\"\(file)\",") }, "\(file) in \(path)"))
    }
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
