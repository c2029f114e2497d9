import Foundation
import Testing

/// Ctrl-C, SIGTERM and SIGKILL during `digit train`: nothing lost, nothing half-written,
/// and a resumed run ends with the same model as an uninterrupted one.
@Suite(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
struct TrainInterruptTests {
    static let flags = ["--arch", "conv:c4k5,p2,d16,drop0.2", "--optimizer", "adam", "--learning-rate", "0.003",
                        "--steps", "2000", "--batch-size", "50", "--validation", "0.05", "--augment"]

    /// Starts `digit train`, waits until it has announced its run on stdout (data loaded, the
    /// stop signals handled) and `ready()` holds, polling for at most a minute, then `delay`
    /// seconds more, and sends `signal`. Waiting for the announcement rather than a fixed time
    /// keeps the signal inside the run on a fast host and after the handlers on a slow one.
    private func trainAndSignal(_ signal: Int32, after delay: Double, output: String, extra: [String] = [],
                                once ready: () -> Bool = { true }) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["train"] + Self.flags + ["--output", output] + extra
        var environment = ProcessInfo.processInfo.environment
        environment["DIGIT_DATA"] = CLI.dataDirectory
        process.environment = environment
        let err = Pipe()
        let out = Pipe()
        process.standardError = err
        process.standardOutput = out
        let announced = Announcement()
        out.fileHandleForReading.readabilityHandler = { handle in announced.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !(announced.happened && ready()) && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, signal)
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Whether `digit train` has printed its "training ..." line, from its stdout as it arrives.
    private final class Announcement: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ data: Data) { lock.withLock { text += String(decoding: data, as: UTF8.self) } }
        var happened: Bool { lock.withLock { text.contains("training ") } }
    }

    @Test func interruptedAndResumedTrainingEndsWithTheSameModel() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let whole = try CLI.run(["train"] + Self.flags + ["--output", folder + "/whole.digitmodel"])
        #expect(whole.status == 0, "\(whole.stderr)")

        let stopped = try trainAndSignal(SIGINT, after: 0.3, output: folder + "/resumed.digitmodel")
        try #require(stopped.status == 130, "expected exit 130 after Ctrl-C, got \(stopped.status): \(stopped.stderr)")
        #expect(stopped.stderr.contains("resume with: digit train --resume \(folder)/resumed.digitmodel.checkpoint"))
        // Stopped inside the run, so the resumed half has real work to agree on.
        #expect(!stopped.stderr.contains("interrupted at step 0 "), "\(stopped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/resumed.digitmodel"))

        let resumed = try CLI.run(["train", "--resume", folder + "/resumed.digitmodel.checkpoint",
                                   "--output", folder + "/resumed.digitmodel"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/whole.digitmodel"))
        let b = try Data(contentsOf: URL(fileURLWithPath: folder + "/resumed.digitmodel"))
        #expect(a == b)
        #expect(!FileManager.default.fileExists(atPath: folder + "/resumed.digitmodel.checkpoint"))
    }

    @Test func sigtermSavesACheckpointAndExits143() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let stopped = try trainAndSignal(SIGTERM, after: 0.3, output: folder + "/m.digitmodel")
        #expect(stopped.status == 143, "\(stopped.stderr)")
        let info = try CLI.run(["info", "--model", folder + "/m.digitmodel.checkpoint"])
        #expect(info.status == 0, "\(info.stderr)")
    }

    @Test func sigkillNeverLeavesAHalfWrittenModelOrCheckpoint() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = folder + "/m.digitmodel"
        // A previous model, and a previous checkpoint, both valid.
        let first = try CLI.run(["train", "--arch", "mlp:8", "--steps", "20", "--output", model])
        #expect(first.status == 0)
        _ = try trainAndSignal(SIGINT, after: 0.3, output: model, extra: ["--checkpoint", folder + "/old.checkpoint"])
        // Kill at different moments after the first new checkpoint of a run with short epochs
        // (3,000 training images), while later ones are being replaced every fraction of a second.
        let checkpoint = folder + "/old.checkpoint"
        var replaced = 0
        for delay in [0.0, 0.03, 0.07, 0.15] {
            let before = FileManager.default.contents(atPath: checkpoint)
            _ = try trainAndSignal(SIGKILL, after: delay, output: model,
                                   extra: ["--validation", "0.95", "--checkpoint", checkpoint],
                                   once: { FileManager.default.contents(atPath: checkpoint) != before })
            #expect(try CLI.run(["info", "--model", model]).status == 0)
            #expect(try CLI.run(["info", "--model", checkpoint]).status == 0)
            if FileManager.default.contents(atPath: checkpoint) != before { replaced += 1 }
        }
        // Kills that all came before the first checkpoint write would prove nothing.
        #expect(replaced > 0, "no killed run got as far as replacing the checkpoint")
    }
}
