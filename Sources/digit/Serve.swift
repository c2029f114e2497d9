import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `digit serve ARGS`: replaces this process with `digit-serve ARGS` from the same folder, so
/// building `digit` never builds the web server and its SwiftNIO stack.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a page to draw digits on and an HTTP API (runs digit-serve).",
        discussion: """
            digit serve [--host 127.0.0.1] [--port 8080] [--model FILE] [--threads N]: the \
            arguments go to digit-serve, built beside digit by \
            swift build -c release --product digit-serve (see digit-serve --help).
            """)

    @Argument(parsing: .captureForPassthrough, help: "Arguments for digit-serve.")
    var arguments: [String] = []

    func run() throws {
        let server = Self.serverPath
        guard FileManager.default.isExecutableFile(atPath: server) else {
            throw ServeError.notBuilt
        }
        let argv = ([server] + arguments).map { strdup($0) } + [nil]
        execv(server, argv)
        // execv returns only when it failed.
        throw ServeError.cannotRun(path: server, reason: String(cString: strerror(errno)))
    }

    /// `digit-serve` in the folder of the running `digit` executable.
    static var serverPath: String {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("digit-serve").path
    }
}

enum ServeError: Error, CustomStringConvertible {
    case notBuilt
    case cannotRun(path: String, reason: String)

    var description: String {
        switch self {
        case .notBuilt: return "digit-serve is not built: run swift build -c release --product digit-serve"
        case let .cannotRun(path, reason): return "\(path): cannot run digit-serve (\(reason))"
        }
    }
}
