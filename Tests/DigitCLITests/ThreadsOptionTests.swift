import Foundation
import Testing

/// `--threads N` and `$DIGIT_THREADS` on the commands that compute.
@Suite struct ThreadsOptionTests {
    @Test(arguments: ["0", "-1", "two"])
    func aBadThreadsFlagIsAOneLineError(value: String) throws {
        let result = try CLI.run(["classify", "--threads=\(value)", "samples/3-chalk.png"])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == ["Error: --threads must be a whole number of threads from 1 to 1024, not '\(value)'"])
    }

    @Test(arguments: [["classify", "samples/3-chalk.png"], ["read", "samples/number-2026-pen.png"], ["evaluate"]])
    func aBadDigitThreadsVariableIsAOneLineError(command: [String]) throws {
        let result = try CLI.run(command, environment: ["DIGIT_THREADS": "x"])
        #expect(result.status != 0)
        #expect(result.stderrLines == ["Error: $DIGIT_THREADS must be a whole number of threads from 1 to 1024, not 'x'"])
    }

    @Test func theThreadsFlagOverridesTheVariable() throws {
        let result = try CLI.run(["classify", "--threads", "2", "samples/3-chalk.png"], environment: ["DIGIT_THREADS": "x"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdoutLines.first?.hasPrefix("samples/3-chalk.png: 3 (") == true)
    }

    /// The pipeline cuts a folder differently for each thread count; what it prints must not change.
    @Test(arguments: [["classify", "--json"], ["classify", "--csv", "--top", "3"], ["read", "--json"]])
    func aFolderReadsTheSameOnOneThreadAndOnThree(command: [String]) throws {
        let one = try CLI.run(command + ["--threads", "1", "samples"])
        let three = try CLI.run(command + ["--threads", "3", "samples"])
        let many = try CLI.run(command + ["samples"], environment: ["DIGIT_THREADS": "8"])
        #expect(one.stdoutLines.count >= 20)
        #expect(three.stdout == one.stdout)
        #expect(many.stdout == one.stdout)
        #expect(three.status == one.status && three.stderr == one.stderr)
    }

    @Test func trainHelpStatesTheDeterminismContract() throws {
        let help = try CLI.run(["train", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "  ", with: " ")
        #expect(help.contains("The same seed, flags and --threads give a bit-identical model file"))
        #expect(help.contains("--threads <N>"))
    }
}
