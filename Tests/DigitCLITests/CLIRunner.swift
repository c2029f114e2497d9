import DigitEnvironment
import Foundation
import Testing

/// Runs the `digit` binary built next to the test bundle and captures what it prints.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

enum CLI {
    /// The package root, found from this file's path (Tests/DigitCLITests/CLIRunner.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// `digit` in the build folder the tests were built into.
    static let binary: String = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // On Linux the tests run from `.build/<config>/digitPackageTests.xctest`.
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("digit").path),
              folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("digit").path
    }()

    /// MNIST for the tests: where the tools look (`DataFolder`: `$DIGIT_DATA`, else
    /// `~/.digit/mnist`, where `scripts/download-mnist` puts it), else the shared copy beside the package.
    static let dataDirectory = DataFolder.resolveDirectory(
        environment: ProcessInfo.processInfo.environment,
        fallback: URL(fileURLWithPath: packageRoot).deletingLastPathComponent()
            .appendingPathComponent("shared/data/mnist").standardizedFileURL.path,
        exists: { FileManager.default.fileExists(atPath: $0) })

    /// Why a test that needs the full MNIST is skipped, and how to get it.
    static let noMNIST: Comment = "needs the full MNIST: run scripts/download-mnist (to ~/.digit/mnist) or set DIGIT_DATA"

    static var hasMNIST: Bool {
        FileManager.default.fileExists(atPath: dataDirectory + "/t10k-labels-idx1-ubyte.gz")
            || FileManager.default.fileExists(atPath: dataDirectory + "/t10k-labels-idx1-ubyte")
    }

    /// The committed test pictures: PngSuite and libpng's hostile files.
    static let fixtures = packageRoot + "/Tests/Fixtures"

    /// Runs `executable` (default: the built `digit`) with `arguments` in `folder`, `$DIGIT_DATA`
    /// set to `dataDirectory` and `environment` added.
    @discardableResult
    static func run(_ arguments: [String], executable: String = binary, environment: [String: String] = [:],
                    in folder: String = packageRoot) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var env = ProcessInfo.processInfo.environment
        env["DIGIT_DATA"] = dataDirectory
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are drained at once (stderr on another thread), so a child that fills
        // one while the other is being read cannot block.
        let stderrRead = PipeReader(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = stderrRead.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A new empty folder under the system temporary folder.
    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "digit-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        Thread { [self] in
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    /// Everything the pipe delivered, once its writer closed it.
    func wait() -> Data {
        done.wait()
        return data
    }
}
