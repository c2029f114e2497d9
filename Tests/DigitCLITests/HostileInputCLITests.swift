import Foundation
import Testing

/// `digit classify` on hostile folders and outputs: every case ends (no hang), without a crash,
/// with one clear line per problem naming the file, and never damages a previous output file.
@Suite struct HostileInputCLITests {
    static let sample = CLI.packageRoot + "/samples/3-chalk.png"

    /// A new folder holding `good.png` (a copy of a sample 3).
    static func folderWithGoodPicture() throws -> String {
        let folder = try CLI.temporaryFolder()
        try FileManager.default.copyItem(atPath: sample, toPath: folder + "/good.png")
        return folder
    }

    /// The `file` field of each JSON line.
    static func files(_ result: CLIResult) throws -> [String] {
        try result.stdoutLines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["file"] as? String)
        }
    }

    @Test func symlinkLoopsUnderRecursiveEndAndThePictureIsClassifiedOnce() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: Self.sample, toPath: folder + "/sub/three.png")
        try FileManager.default.createSymbolicLink(atPath: folder + "/self", withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: folder + "/sub/up", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: folder + "/sub/absolute", withDestinationPath: folder)
        let result = try #require(try BoundedRun.digit(["classify", "-r", "--json", folder]))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.files(result) == [folder + "/sub/three.png"])
        #expect(result.stdout.contains("\"digit\":3"))
    }

    /// A name with byte 0xFF (not UTF-8) has no exact Swift `String`; the folder walk keeps
    /// the bytes, so the picture is read and printed with the byte as `\xFF`.
    @Test func nonUTF8FileNameIsReadAndPrintedEscaped() throws {
        let folder = try Self.folderWithGoodPicture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.copySample(to: Array(folder.utf8) + Array("/bad-".utf8) + [0xFF] + Array(".png".utf8))

        let result = try #require(try BoundedRun.digit(["classify", "--json", folder]))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdoutLines
        #expect(lines.count == 2, "\(result.stdout)")
        #expect(lines.contains { $0.contains("\"file\":\"\(folder)/bad-\\\\xFF.png\"") && $0.contains("\"digit\":3") }, "\(lines)")
        #expect(lines.contains { $0.contains("good.png") && $0.contains("\"digit\":3") })
    }

    /// The same name given as an argument: `CommandLine.arguments` has U+FFFD for the byte,
    /// so the raw `argv` must be used. A shell passes the byte, as a user's shell would.
    @Test func nonUTF8ArgumentOpensTheFileItNames() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.copySample(to: Array(folder.utf8) + Array("/bad-".utf8) + [0xFF] + Array(".png".utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", #"exec "$0" classify "$1/bad-$(printf '\377').png""#, CLI.binary, folder]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.hasPrefix("\(folder)/bad-\\xFF.png: 3 ("), "\(text)")
    }

    /// `read --save-preprocessed` decodes the picture again for its boxes picture: from the
    /// file's bytes, not from the printed name (which has `\xFF` where the byte was).
    @Test func nonUTF8FileNameGetsItsReadPictures() throws {
        let folder = try CLI.temporaryFolder()
        let out = try CLI.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: out)
        }
        try Self.copySample(to: Array(folder.utf8) + Array("/bad-".utf8) + [0xFF] + Array(".png".utf8))
        let result = try #require(try BoundedRun.digit(["read", "--save-preprocessed", out, folder]))
        #expect(result.status == 0, "\(result.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(written.contains { $0.hasSuffix("bad-\\xFF.boxes.png") }, "\(written)")
        #expect(written.contains { $0.hasSuffix("bad-\\xFF.digit-1.png") }, "\(written)")
    }

    /// Copies the sample picture to a file whose name is given as raw bytes.
    static func copySample(to name: [UInt8]) throws {
        let picture = try Data(contentsOf: URL(fileURLWithPath: sample))
        let fd = (name + [0]).withUnsafeBufferPointer { path in
            path.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        }
        try #require(fd >= 0, "cannot create a file named with byte 0xFF")
        let written = picture.withUnsafeBytes { write(fd, $0.baseAddress!, picture.count) }
        close(fd)
        try #require(written == picture.count)
    }

    @Test func directoryNamedPNGIsNotAPicture() throws {
        let folder = try Self.folderWithGoodPicture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/x.png", withIntermediateDirectories: false)
        for arguments in [["classify", "--json", folder], ["classify", "-r", "--json", folder]] {
            let result = try #require(try BoundedRun.digit(arguments))
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(try Self.files(result) == [folder + "/good.png"])
        }
        let named = try #require(try BoundedRun.digit(["classify", folder + "/x.png"]))
        #expect(named.status != 0)
        #expect(named.stderrLines == ["Error: \(folder)/x.png: no PNG or JPEG files found"])
    }

    /// Opening a FIFO for reading waits for a writer: `x.png` being one must not hang the batch.
    @Test func fifoNamedPNGIsReportedWithoutHanging() throws {
        let folder = try Self.folderWithGoodPicture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(mkfifo(folder + "/pipe.png", 0o644) == 0)
        let result = try #require(try BoundedRun.digit(["classify", "--json", folder]))
        #expect(result.status == 1)
        #expect(result.stdoutLines.count == 2)
        #expect(result.stdout.contains("\"error\":\"\(folder)/pipe.png: is not a regular file\""), "\(result.stdout)")
    }

    @Test(.enabled(if: getuid() != 0, "root reads files whatever their permissions"))
    func unreadablePictureIsReportedAndTheRestAreClassified() throws {
        let folder = try Self.folderWithGoodPicture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Self.sample, toPath: folder + "/locked.png")
        #expect(chmod(folder + "/locked.png", 0) == 0)
        let result = try #require(try BoundedRun.digit(["classify", folder]))
        #expect(result.status == 1)
        #expect(result.stderrLines == ["Error: \(folder)/locked.png: cannot open: Permission denied"])
        #expect(result.stdoutLines.count == 1)
    }

    @Test func missingOutputFolderIsOneClearError() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/no/such/folder/out.jsonl"
        let result = try #require(try BoundedRun.digit(["classify", "--json", "--output", output, Self.sample]))
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == ["Error: \(output): cannot create a file in \(folder)/no/such/folder: No such file or directory"])
    }

    @Test(.enabled(if: getuid() != 0, "root may write into any folder; see readOnlyOutputFolder"))
    func unwritableOutputFolderLeavesThePreviousFileIntact() throws {
        let folder = try CLI.temporaryFolder()
        defer {
            chmod(folder, 0o755)
            try? FileManager.default.removeItem(atPath: folder)
        }
        try Self.expectFailedOutputKeepsPrevious(in: folder, reason: "Permission denied") {
            #expect(chmod(folder, 0o555) == 0)
        }
    }

    @Test(.enabled(if: Tmpfs.canMount, "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)"))
    func readOnlyOutputFolderLeavesThePreviousFileIntact() throws {
        let mount = try Tmpfs(sizeKiB: 64)
        defer { mount.unmount() }
        try Self.expectFailedOutputKeepsPrevious(in: mount.path, reason: "Read-only file system") {
            try mount.remountReadOnly()
        }
    }

    /// A full disk: `classify --output` over many pictures fails with the system's reason and
    /// leaves the previous output and no temporary file behind.
    @Test(.enabled(if: Tmpfs.canMount, "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)"))
    func fullDiskLeavesThePreviousFileIntact() throws {
        let mount = try Tmpfs(sizeKiB: 64)
        defer { mount.unmount() }
        try Self.expectFailedOutputKeepsPrevious(in: mount.path, reason: "No space left on device") {
            let filler = mount.path + "/filler"
            let fd = open(filler, O_WRONLY | O_CREAT, 0o644)
            try #require(fd >= 0)
            defer { close(fd) }
            let block = [UInt8](repeating: 0, count: 1024)
            while block.withUnsafeBytes({ write(fd, $0.baseAddress!, block.count) }) > 0 {}
            #expect(errno == ENOSPC)
        }
    }

    /// Writes a previous `out.jsonl` into `folder`, runs `prepare` (which makes the folder
    /// refuse writes), classifies 20 pictures into it and checks the run fails with one error
    /// naming the file and `reason`, the previous contents stay and no temporary file is left.
    static func expectFailedOutputKeepsPrevious(in folder: String, reason: String,
                                                prepare: () throws -> Void) throws {
        let output = folder + "/out.jsonl"
        let previous = "{\"file\":\"earlier.png\",\"digit\":1}\n"
        try previous.write(toFile: output, atomically: false, encoding: .utf8)
        try prepare()
        let before = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let pictures = [String](repeating: sample, count: 20)
        let result = try #require(try BoundedRun.digit(["classify", "--json", "--output", output] + pictures))
        #expect(result.status != 0)
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        let error = try #require(result.stderrLines.first)
        #expect(error.hasPrefix("Error: \(output): ") && error.hasSuffix(reason), "\(error)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == before)
    }
}

/// Runs the built `digit` as `CLI.run` does, but kills it if it runs past a deadline, so a
/// hang fails the test instead of stopping the suite.
enum BoundedRun {
    /// The result, or nil (with an issue recorded) if `digit` ran longer than `timeout`. The
    /// default leaves room for a debug AddressSanitizer build on a busy machine, where one
    /// picture can take seconds.
    static func digit(_ arguments: [String], timeout: Duration = .seconds(300)) throws -> CLIResult? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: CLI.packageRoot)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = PipeReader(out), errors = PipeReader(err)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning && clock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let timedOut = process.isRunning
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        let result = CLIResult(status: process.terminationStatus, stdout: output.text(), stderr: errors.text())
        if timedOut {
            Issue.record("digit \(arguments.joined(separator: " ")) was still running after \(timeout)")
            return nil
        }
        #expect(process.terminationReason == .exit, "digit died of signal \(result.status): \(result.stderr)")
        return result
    }

    /// Drains a pipe on a background thread, so the child never blocks on a full pipe.
    final class PipeReader: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ pipe: Pipe) {
            Thread {
                self.data = pipe.fileHandleForReading.readDataToEndOfFile()
                self.done.signal()
            }.start()
        }

        /// Everything written to the pipe, once its writer has closed it.
        func text() -> String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// A small tmpfs mounted on a fresh folder, to make a disk fill up or turn read-only.
struct Tmpfs {
    let path: String

    /// Whether mounting works here: tried once on a scratch folder.
    static let canMount: Bool = {
        guard getuid() == 0, let probe = try? Tmpfs(sizeKiB: 16) else { return false }
        probe.unmount()
        return true
    }()

    init(sizeKiB: Int) throws {
        path = try CLI.temporaryFolder()
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(sizeKiB)k", "tmpfs", path]) else {
            try? FileManager.default.removeItem(atPath: path)
            throw MountFailed(path: path)
        }
    }

    struct MountFailed: Error {
        let path: String
    }

    func remountReadOnly() throws {
        try #require(Self.run("/bin/mount", ["-o", "remount,ro", path]))
    }

    func unmount() {
        _ = Self.run("/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
