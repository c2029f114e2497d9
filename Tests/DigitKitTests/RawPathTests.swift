@testable import DigitFiles
import Foundation
import Testing

@Suite("Raw file-system paths")
struct RawPathTests {
    @Test("Valid UTF-8 shows as itself; other bytes as \\xNN, one escape per byte")
    func displayName() {
        #expect(RawPath("photos/café-7.png").displayName == "photos/café-7.png")
        #expect(RawPath(bytes: Array("caf".utf8) + [0xE9] + Array(".png".utf8)).displayName == "caf\\xE9.png")
        // A truncated 3-byte sequence, a lone continuation byte, and a control byte 0x05.
        #expect(RawPath(bytes: [0xE2, 0x82, 0x41, 0x80, 0x05]).displayName == "\\xE2\\x82A\\x80\u{05}")
        #expect(RawPath(bytes: []).displayName == "")
    }

    @Test("Joins with one slash; matches a suffix ignoring ASCII case; sorts by bytes")
    func joinSuffixOrder() {
        #expect(RawPath("a").appending(Array("b.png".utf8)) == RawPath("a/b.png"))
        #expect(RawPath("a/").appending(Array("b.png".utf8)) == RawPath("a/b.png"))
        #expect(RawPath("x/SEVEN.PNG").hasSuffix(ignoringCase: ".png"))
        #expect(RawPath(bytes: [0xFF] + Array(".Png".utf8)).hasSuffix(ignoringCase: ".png"))
        #expect(!RawPath("png").hasSuffix(ignoringCase: ".png"))
        #expect(RawPath("a/b") < RawPath("a/c") && RawPath("a/z") < RawPath(bytes: Array("a/".utf8) + [0xFF]))
    }

    @Test("readFile opens a name that is not UTF-8 and names it escaped when it fails")
    func readsRawName() throws {
        let dir = CoreSupport.temporaryDirectory("rawpath")
        defer { CoreSupport.removeTree(dir) }
        let path = RawPath(dir).appending([0x66, 0xFF])
        let fd = path.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        try #require(fd >= 0)
        #expect(write(fd, [1, 2, 3] as [UInt8], 3) == 3)
        close(fd)
        #expect(try readFile(path) == [1, 2, 3])
        #expect(throws: FileError(path: "\(dir)/g\\xFF", reason: "cannot open: No such file or directory")) {
            try readFile(RawPath(dir).appending([0x67, 0xFF]))
        }
    }
}
