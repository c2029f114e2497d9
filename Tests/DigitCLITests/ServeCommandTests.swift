import Foundation
import Testing

/// `digit serve` replaces itself with the `digit-serve` beside it, passing its arguments on.
struct ServeCommandTests {
    /// A copy of the built `digit` alone in a new folder, and that folder.
    private func lonelyDigit() throws -> (binary: String, folder: String) {
        let folder = try CLI.temporaryFolder()
        let binary = folder + "/digit"
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: binary)
        return (binary, folder)
    }

    @Test("Without digit-serve beside it, digit serve says how to build it and exits with 1")
    func saysHowToBuildTheServer() throws {
        let (binary, folder) = try lonelyDigit()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["serve", "--port", "9"], executable: binary)
        #expect(result.status == 1)
        #expect(result.stderrLines == ["Error: digit-serve is not built: run swift build -c release --package-path Server"])
    }

    @Test("digit serve runs the digit-serve beside it with every argument, in order")
    func passesItsArgumentsOn() throws {
        let (binary, folder) = try lonelyDigit()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let standIn = folder + "/digit-serve"
        try "#!/bin/sh\nprintf '%s|' \"$0\" \"$@\"\nexit 3\n".write(toFile: standIn, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: standIn)
        let result = try CLI.run(["serve", "--host", "0.0.0.0", "--port", "0", "--threads", "2", "--help", "a b"], executable: binary)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout == "\(standIn)|--host|0.0.0.0|--port|0|--threads|2|--help|a b|")
    }
}
