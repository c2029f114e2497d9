import Foundation
import Testing

/// The README's library example, built as another package would build it: by version.
struct LibraryExampleTests {
    @Test("The README's main.swift and Package.swift build against a tagged copy of this package and read a sample")
    func readmeExampleBuildsAsAVersionedDependency() throws {
        let result = try CLI.run([CLI.packageRoot + "/scripts/library-example"], executable: "/bin/bash")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "7\n")
        // DigitKit brings nothing but the command line's parser: no SwiftNIO, no server.
        #expect(result.stderrLines.contains("resolved packages: digit swift-argument-parser"), "\(result.stderr)")
    }
}
