import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `digit serve ARGS`: replaces this process with `digit-serve ARGS`, the server package's
/// executable (`Server/`), so building `digit` never builds the web server and its SwiftNIO stack.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a page to draw digits on and an HTTP API (runs digit-serve).",
        discussion: """
            digit serve [--host 127.0.0.1] [--port 8080] [--model FILE] [--threads N]: the \
            arguments go to digit-serve, the package in Server/, built once by \
            swift build -c release --package-path Server (see digit-serve --help). It is \
            looked for beside digit, then in Server/.build of the checkout digit was built in.
            """)

    @Argument(parsing: .captureForPassthrough, help: "Arguments for digit-serve.")
    var arguments: [String] = []

    func run() throws {
        guard let server = Self.serverPaths.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw ServeError.notBuilt
        }
        let argv = ([server] + arguments).map { strdup($0) } + [nil]
        execv(server, argv)
        // execv returns only when it failed.
        throw ServeError.cannotRun(path: server, reason: String(cString: strerror(errno)))
    }

    /// Where `digit-serve` may be, in order: beside the running `digit` (an installed pair), then
    /// the server package's build of the same configuration in the checkout `digit` was built in
    /// (`.build/<triple>/release/digit` -> `Server/.build/release/digit-serve`).
    static var serverPaths: [String] {
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        let folder = executable.deletingLastPathComponent()
        var paths = [folder.appendingPathComponent("digit-serve").path]
        var root = folder
        while root.path != "/" {
            if root.lastPathComponent == ".build" {
                let checkout = root.deletingLastPathComponent()
                paths.append(checkout.appendingPathComponent("Server/.build/\(folder.lastPathComponent)/digit-serve").path)
                break
            }
            root = root.deletingLastPathComponent()
        }
        return paths
    }
}

enum ServeError: Error, CustomStringConvertible {
    case notBuilt
    case cannotRun(path: String, reason: String)

    var description: String {
        switch self {
        case .notBuilt: return "digit-serve is not built: run swift build -c release --package-path Server"
        case let .cannotRun(path, reason): return "\(path): cannot run digit-serve (\(reason))"
        }
    }
}
