@testable import DigitFiles
import Foundation
import Testing

@Suite("Atomic file writes")
struct AtomicFileTests {
    @Test("Writes a new file with exactly the bytes, and leaves no temporary file")
    func writesNewFile() throws {
        let dir = CoreSupport.temporaryDirectory("atomic")
        defer { CoreSupport.removeTree(dir) }
        let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try AtomicFile.write(bytes, to: "\(dir)/out.bin")
        #expect(CoreSupport.read("\(dir)/out.bin") == bytes)
        #expect(CoreSupport.entries(of: dir) == ["out.bin"])
        try AtomicFile.write(text: "héllo\n", to: "\(dir)/note.txt")
        #expect(CoreSupport.read("\(dir)/note.txt") == Array("héllo\n".utf8))
        try AtomicFile.write([UInt8](), to: "\(dir)/empty")
        #expect(CoreSupport.read("\(dir)/empty") == [])
        #expect(CoreSupport.entries(of: dir) == ["empty", "note.txt", "out.bin"])
        // Any collection of bytes will do.
        try AtomicFile.write(Data([1, 2, 3]), to: "\(dir)/data")
        #expect(CoreSupport.read("\(dir)/data") == [1, 2, 3])
    }

    @Test("Replaces an existing file, longer or shorter, without leaving temporary files")
    func replaces() throws {
        let dir = CoreSupport.temporaryDirectory("atomic")
        defer { CoreSupport.removeTree(dir) }
        let path = "\(dir)/model.digitmodel"
        CoreSupport.write([UInt8](repeating: 9, count: 1000), to: path)
        try AtomicFile.write([1, 2, 3], to: path)
        #expect(CoreSupport.read(path) == [1, 2, 3])
        try AtomicFile.write([UInt8](repeating: 4, count: 5000), to: path)
        #expect(CoreSupport.read(path) == [UInt8](repeating: 4, count: 5000))
        for i in 0..<20 { try AtomicFile.write(text: "version \(i)", to: path) }
        #expect(CoreSupport.read(path) == Array("version 19".utf8))
        #expect(CoreSupport.entries(of: dir) == ["model.digitmodel"])
    }

    @Test("The new file gets the usual permissions, not mkstemp's 0600")
    func permissions() throws {
        let dir = CoreSupport.temporaryDirectory("atomic")
        defer { CoreSupport.removeTree(dir) }
        try AtomicFile.write([1], to: "\(dir)/f")
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(dir)/f")
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        // 0666 less the umask; any common umask leaves the owner read-write and others at least read.
        #expect(mode & 0o600 == 0o600 && mode & 0o044 == 0o044, "mode \(String(mode, radix: 8))")
    }

    @Test("A missing folder fails with a FileError naming the path")
    func missingFolder() {
        let dir = CoreSupport.temporaryDirectory("atomic")
        defer { CoreSupport.removeTree(dir) }
        let path = "\(dir)/no/such/folder/out.bin"
        let error = #expect(throws: FileError.self) { try AtomicFile.write([1, 2, 3], to: path) }
        #expect(error?.path == path)
        #expect(error?.reason.contains("No such file or directory") == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("\(path): ") == true)
        #expect(CoreSupport.entries(of: dir) == [])
    }

    @Test("A parent that is a regular file fails, and that file is left intact")
    func parentIsAFile() throws {
        let dir = CoreSupport.temporaryDirectory("atomic")
        defer { CoreSupport.removeTree(dir) }
        let blocker = "\(dir)/blocker"
        CoreSupport.write([7, 7, 7], to: blocker)
        let path = "\(blocker)/out.bin"
        let error = #expect(throws: FileError.self) { try AtomicFile.write([1, 2, 3], to: path) }
        #expect(error?.path == path)
        #expect(error?.reason.contains("Not a directory") == true, "\(String(describing: error))")
        #expect(CoreSupport.read(blocker) == [7, 7, 7])
        #expect(CoreSupport.entries(of: dir) == ["blocker"])
    }

    @Test("When the final rename fails, what was at the path is intact and the temporary file is removed")
    func renameFails() throws {
        let dir = CoreSupport.temporaryDirectory("atomic")
        defer { CoreSupport.removeTree(dir) }
        // A non-empty folder where the file should go: the temporary file is written, rename() refuses.
        let path = "\(dir)/target"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        CoreSupport.write([5, 6], to: "\(path)/inside")
        let error = #expect(throws: FileError.self) { try AtomicFile.write([1, 2, 3], to: path) }
        #expect(error?.path == path)
        #expect(error?.reason.contains("cannot replace") == true, "\(String(describing: error))")
        #expect(CoreSupport.entries(of: dir) == ["target"])
        #expect(CoreSupport.entries(of: path) == ["inside"])
        #expect(CoreSupport.read("\(path)/inside") == [5, 6])
    }

    @Test("directory(of:) finds the folder a temporary file must go in")
    func directoryOf() {
        #expect(AtomicFile.directory(of: "a/b/c.bin") == "a/b")
        #expect(AtomicFile.directory(of: "/c.bin") == "/")
        #expect(AtomicFile.directory(of: "c.bin") == ".")
        #expect(AtomicFile.directory(of: "/tmp/x/c") == "/tmp/x")
    }

    // MARK: readFile

    @Test("readFile reads whole files and refuses folders, missing files and files over the limit")
    func readFileErrors() throws {
        let dir = CoreSupport.temporaryDirectory("atomic")
        defer { CoreSupport.removeTree(dir) }
        let bytes = (0..<3000).map { UInt8(truncatingIfNeeded: $0) }
        try AtomicFile.write(bytes, to: "\(dir)/f")
        #expect(try readFile("\(dir)/f") == bytes)
        #expect(try readFile("\(dir)/f", limit: 3000) == bytes)
        let tooBig = #expect(throws: FileError.self) { try readFile("\(dir)/f", limit: 2999) }
        #expect(tooBig?.path == "\(dir)/f" && tooBig?.reason.contains("3000 bytes") == true)
        let folder = #expect(throws: FileError.self) { try readFile(dir) }
        #expect(folder?.reason == "is a directory, not a file")
        let missing = #expect(throws: FileError.self) { try readFile("\(dir)/absent") }
        #expect(missing?.path == "\(dir)/absent" && missing?.reason.contains("No such file") == true)
        let device = #expect(throws: FileError.self) { try readFile("/dev/null") }
        #expect(device?.reason == "is not a regular file")
    }
}
