import Foundation
import Testing

/// `classify`, `read` and `evaluate` print, byte for byte, what was recorded for the same commands
/// (first by the release before DigitKit became the engine, d1e4c7b; numbers re-recorded when the
/// bundled model was retrained): text, JSON, CSV, stderr and exit status, on the samples and on 200
/// MNIST test digits as PNGs (`Tests/Fixtures/outputs`, recorded by `scripts/record-outputs`).
struct OutputStabilityTests {
    static let folder = CLI.fixtures + "/outputs"

    /// Each line of `commands.txt`: a name and the arguments, split on spaces.
    static let commands: [(name: String, arguments: [String])] = {
        let text = (try? String(contentsOfFile: folder + "/commands.txt", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let words = line.split(separator: " ").map(String.init)
            return (words[0], Array(words.dropFirst()))
        }
    }()

    @Test func theCommandListIsThere() {
        #expect(Self.commands.count == 13)
    }

    @Test(arguments: commands.map(\.name))
    func printsWhatTheEarlierReleasePrinted(_ name: String) throws {
        let arguments = Self.commands.first { $0.name == name }!.arguments
        let expected = Self.folder + "/expected/" + name
        let result = try CLI.run(arguments)
        #expect(result.stdout == (try String(contentsOfFile: expected + ".stdout", encoding: .utf8)))
        #expect(result.stderr == (try String(contentsOfFile: expected + ".stderr", encoding: .utf8)))
        #expect("\(result.status)\n" == (try String(contentsOfFile: expected + ".status", encoding: .utf8)))
    }
}
