import Foundation
import Testing

/// The page in headless Chromium (`scripts/browser-test`), against the built `digit-serve`.
struct BrowserTests {
    /// Why the browser test cannot run here, or nil when it can.
    static let missingTool: String? = {
        func onPath(_ name: String) -> Bool {
            (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
                .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        }
        if !onPath("chromium") && !onPath("chromium-browser") && !onPath("google-chrome") {
            return "chromium is not installed (apt-get install chromium)"
        }
        if !onPath("chromedriver") { return "chromedriver is not installed (apt-get install chromium-driver)" }
        if !onPath("python3") { return "python3 is not installed" }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import selenium"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return "python3 cannot be run" }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? nil : "selenium is not installed (pip install selenium)"
    }()

    @Test("In headless Chromium a 7 drawn on the canvas reads 7, an uploaded sample and a number read right",
          .enabled(if: missingTool == nil, Comment(rawValue: "skipped: \(missingTool ?? "")")),
          .timeLimit(.minutes(5)))
    func drawingAndUploadInABrowser() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestServer.packageRoot + "/scripts/browser-test",
                             "--server", TestServer.builtExecutable("digit-serve")]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("drew a 7, read 7"), "\(text)")
    }
}
