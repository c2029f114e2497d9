@testable import DigitEnvironment
@testable import DigitFiles
@testable import DigitImage
@testable import DigitStore
import Foundation
import Testing

/// Tiny IDX files written to a temp folder, raw and gzip-compressed.
enum IDXFixture {
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    static func images(count: Int, rows: Int, columns: Int, pixels: [UInt8]) -> [UInt8] {
        bigEndian(0x803) + bigEndian(UInt32(count)) + bigEndian(UInt32(rows)) + bigEndian(UInt32(columns)) + pixels
    }

    static func labels(_ labels: [UInt8]) -> [UInt8] {
        bigEndian(0x801) + bigEndian(UInt32(labels.count)) + labels
    }

    /// Three 2x3 images whose pixels are 10*i + j, and labels 7, 0, 9.
    static let pixels: [UInt8] = (0..<3).flatMap { i in (0..<6).map { UInt8(10 * i + $0) } }
    static let labelValues: [UInt8] = [7, 0, 9]
    static var goodImages: [UInt8] { images(count: 3, rows: 2, columns: 3, pixels: pixels) }
    static var goodLabels: [UInt8] { labels(labelValues) }

    /// A folder holding one split's two files (gzip-compressed when `gzip`).
    static func folder(split: Split = .train, images: [UInt8] = goodImages, labels: [UInt8] = goodLabels,
                       gzip: Bool = false) -> String {
        let dir = CoreSupport.temporaryDirectory("idx")
        let suffix = gzip ? ".gz" : ""
        CoreSupport.write(gzip ? CoreSupport.gzip(images) : images, to: "\(dir)/\(split.imagesFile)\(suffix)")
        CoreSupport.write(gzip ? CoreSupport.gzip(labels) : labels, to: "\(dir)/\(split.labelsFile)\(suffix)")
        return dir
    }
}

@Suite("IDX and MNIST loading")
struct IDXTests {
    @Test("Good files load with the right pixels and labels", arguments: [false, true], Split.allCases)
    func goodFiles(gzip: Bool, split: Split) throws {
        let dir = IDXFixture.folder(split: split, gzip: gzip)
        defer { CoreSupport.removeTree(dir) }
        let data = try MNIST.load(split: split, from: dir)
        #expect(data.count == 3 && data.rows == 2 && data.columns == 3 && data.pixelsPerImage == 6)
        #expect(data.images == IDXFixture.pixels)
        #expect(data.labels == IDXFixture.labelValues)
        #expect(data.image(1) == GrayImage(width: 3, height: 2, pixels: [10, 11, 12, 13, 14, 15]))
    }

    @Test("IDX.readImages and readLabels read raw and gzip files alike")
    func readers() throws {
        let dir = CoreSupport.temporaryDirectory("idx")
        defer { CoreSupport.removeTree(dir) }
        CoreSupport.write(IDXFixture.goodImages, to: "\(dir)/raw-images")
        CoreSupport.write(CoreSupport.gzip(IDXFixture.goodImages), to: "\(dir)/images.gz")
        CoreSupport.write(CoreSupport.gzip(IDXFixture.goodLabels), to: "\(dir)/labels.gz")
        for path in ["\(dir)/raw-images", "\(dir)/images.gz"] {
            let read = try IDX.readImages(path: path)
            #expect(read.count == 3 && read.rows == 2 && read.columns == 3 && read.pixels == IDXFixture.pixels)
        }
        #expect(try IDX.readLabels(path: "\(dir)/labels.gz") == IDXFixture.labelValues)
        // An empty but well-formed file is zero items.
        CoreSupport.write(IDXFixture.labels([]), to: "\(dir)/empty")
        #expect(try IDX.readLabels(path: "\(dir)/empty") == [])
    }

    @Test("The gzip file wins when both NAME.gz and NAME exist")
    func gzipPreferred() throws {
        let dir = IDXFixture.folder(gzip: true)
        defer { CoreSupport.removeTree(dir) }
        CoreSupport.write(IDXFixture.labels([1, 1, 1]), to: "\(dir)/\(Split.train.labelsFile)")
        #expect(try MNIST.load(split: .train, from: dir).labels == IDXFixture.labelValues)
    }

    /// Loads a folder expected to fail and returns the `FileError`, checking it names `file`.
    static func loadError(_ dir: String, file: String, split: Split = .train,
                          sourceLocation: SourceLocation = #_sourceLocation) -> FileError? {
        let error = #expect(throws: FileError.self, sourceLocation: sourceLocation) {
            try MNIST.load(split: split, from: dir)
        }
        if let error {
            #expect(error.path == "\(dir)/\(file)", sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("\(dir)/\(file): "), sourceLocation: sourceLocation)
        }
        return error
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let images: [UInt8]?
        let labels: [UInt8]?
        /// Words the reason must contain.
        let reason: [String]
        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "wrong image magic",
                  images: IDXFixture.bigEndian(0x801) + Array(IDXFixture.goodImages.dropFirst(4)), labels: nil,
                  reason: ["not an IDX image file", "0x801", "0x803"]),
        Malformed(name: "wrong label magic", images: nil,
                  labels: IDXFixture.bigEndian(0x803) + Array(IDXFixture.goodLabels.dropFirst(4)),
                  reason: ["not an IDX label file", "0x803", "0x801"]),
        Malformed(name: "truncated image header", images: Array(IDXFixture.goodImages.prefix(10)), labels: nil,
                  reason: ["truncated", "10 bytes", "header"]),
        Malformed(name: "truncated label header", images: nil, labels: Array(IDXFixture.goodLabels.prefix(7)),
                  reason: ["truncated", "7 bytes", "header"]),
        Malformed(name: "empty image file", images: [], labels: nil, reason: ["truncated", "0 bytes"]),
        Malformed(name: "image count larger than the data",
                  images: IDXFixture.images(count: 4, rows: 2, columns: 3, pixels: IDXFixture.pixels), labels: nil,
                  reason: ["truncated", "4 images of 2x3", "24 bytes", "only 18"]),
        Malformed(name: "label count larger than the data", images: nil,
                  labels: IDXFixture.bigEndian(0x801) + IDXFixture.bigEndian(5) + [1, 2, 3],
                  reason: ["truncated", "5 labels", "only 3"]),
        Malformed(name: "trailing image bytes", images: IDXFixture.goodImages + [0, 0], labels: nil,
                  reason: ["2 unexpected bytes", "3 images of 2x3"]),
        Malformed(name: "trailing label bytes", images: nil, labels: IDXFixture.goodLabels + [4], reason: ["1 unexpected bytes"]),
        Malformed(name: "zero-sized images",
                  images: IDXFixture.images(count: 3, rows: 0, columns: 3, pixels: []), labels: nil,
                  reason: ["implausible image size 0x3"]),
        Malformed(name: "huge declared count",
                  images: IDXFixture.images(count: 0xFFFF_FFFF, rows: 28, columns: 28, pixels: IDXFixture.pixels),
                  labels: nil, reason: ["truncated", "4294967295 images"]),
    ]

    @Test("Malformed files give a FileError naming the file and the reason",
          arguments: malformed, [false, true])
    func malformedFiles(bad: Malformed, gzip: Bool) {
        let dir = IDXFixture.folder(images: bad.images ?? IDXFixture.goodImages,
                                    labels: bad.labels ?? IDXFixture.goodLabels, gzip: gzip)
        defer { CoreSupport.removeTree(dir) }
        let file = (bad.images != nil ? Split.train.imagesFile : Split.train.labelsFile) + (gzip ? ".gz" : "")
        let error = Self.loadError(dir, file: file)
        for word in bad.reason {
            #expect(error?.reason.contains(word) == true, "\(error?.reason ?? "no error") lacks '\(word)'")
        }
    }

    @Test("Image and label counts that differ give a FileError naming both files")
    func countMismatch() {
        let dir = IDXFixture.folder(labels: IDXFixture.labels([1, 2]))
        defer { CoreSupport.removeTree(dir) }
        let error = Self.loadError(dir, file: Split.train.labelsFile)
        #expect(error?.reason.contains("2 labels for 3 images") == true, "\(String(describing: error))")
        #expect(error?.reason.contains("\(dir)/\(Split.train.imagesFile)") == true)
    }

    @Test("A label above 9 gives a FileError with the label and its index")
    func labelOutOfRange() {
        let dir = IDXFixture.folder(labels: IDXFixture.labels([3, 9, 10]))
        defer { CoreSupport.removeTree(dir) }
        let error = Self.loadError(dir, file: Split.train.labelsFile)
        #expect(error?.reason == "label 10 at index 2 is outside 0...9")
        // The class count is a parameter: the same file loads with 11 classes.
        #expect((try? MNIST.load(split: .train, from: dir, classCount: 11))?.labels == [3, 9, 10])
    }

    @Test("A missing folder or file says which file is missing")
    func missing() {
        let dir = CoreSupport.temporaryDirectory("idx")
        defer { CoreSupport.removeTree(dir) }
        let absent = "\(dir)/no-such-folder"
        let error = Self.loadError(absent, file: "\(Split.train.imagesFile).gz")
        #expect(error?.reason == MNIST.notFound)
        // Images present, labels absent: the labels file is named.
        CoreSupport.write(IDXFixture.goodImages, to: "\(dir)/\(Split.test.imagesFile)")
        let labelsError = Self.loadError(dir, file: "\(Split.test.labelsFile).gz", split: .test)
        #expect(labelsError?.reason.contains("not found") == true)
    }

    @Test("A truncated or corrupt gzip file is an error naming the file")
    func badGzip() {
        let compressed = CoreSupport.gzip(IDXFixture.goodImages)
        var corrupt = compressed
        corrupt[12] ^= 0xff
        for (bytes, reason) in [(Array(compressed.prefix(compressed.count / 2)), "truncated"),
                                (Array(compressed.prefix(compressed.count - 4)), "truncated"),
                                (Array(compressed.prefix(3)), "truncated"),
                                (corrupt, "corrupt")] {
            let dir = IDXFixture.folder()
            defer { CoreSupport.removeTree(dir) }
            let path = "\(dir)/\(Split.train.imagesFile).gz"
            CoreSupport.write(bytes, to: path)
            do {
                _ = try MNIST.load(split: .train, from: dir)
                Issue.record("loaded a broken gzip file (\(bytes.count) bytes)")
            } catch {
                let text = "\(error)"
                #expect(text.hasPrefix("\(path): "), "\(text)")
                #expect(text.contains(reason), "\(text)")
            }
        }
    }

    @Test("gunzip refuses output beyond its limit")
    func gunzipLimit() throws {
        let big = [UInt8](repeating: 7, count: 100_000)
        let compressed = CoreSupport.gzip(big)
        #expect(try gunzip(compressed, name: "x.gz") == big)
        let error = #expect(throws: FileError.self) { try gunzip(compressed, name: "x.gz", limit: 50_000) }
        #expect(error?.path == "x.gz" && error?.reason.contains("more than 50000 bytes") == true)
    }

    @Test("crc32 matches the standard check value")
    func crc() {
        let bytes = Array("123456789".utf8)
        #expect(bytes.withUnsafeBytes { crc32($0) } == 0xCBF4_3926)
        #expect([UInt8]().withUnsafeBytes { crc32($0) } == 0)
    }

    // MARK: resolveDirectory

    @Test("resolveDirectory: the flag wins over DIGIT_DATA, which wins over the default")
    func resolvePrecedence() {
        let env = ["DIGIT_DATA": "/env/data", "HOME": "/home/me"]
        #expect(DataFolder.resolveDirectory(flag: "/flag/data", environment: env) == "/flag/data")
        #expect(DataFolder.resolveDirectory(flag: nil, environment: env) == "/env/data")
        #expect(DataFolder.resolveDirectory(flag: nil, environment: ["HOME": "/home/me"]) == "/home/me/.digit/mnist")
        #expect(DataFolder.resolveDirectory(flag: nil, environment: ["HOME": "/home/me", "DIGIT_DATA": ""]) == "/home/me/.digit/mnist")
        #expect(DataFolder.resolveDirectory(flag: "relative/dir", environment: env) == "relative/dir")
    }

    @Test("resolveDirectory expands a leading ~ in the flag, the variable and the default")
    func resolveTilde() {
        let home = ["HOME": "/home/me"]
        #expect(DataFolder.resolveDirectory(flag: "~/mnist", environment: home) == "/home/me/mnist")
        #expect(DataFolder.resolveDirectory(flag: "~", environment: home) == "/home/me")
        #expect(DataFolder.resolveDirectory(flag: nil, environment: ["HOME": "/home/me", "DIGIT_DATA": "~/d"]) == "/home/me/d")
        #expect(DataFolder.resolveDirectory(flag: "/a/~/b", environment: home) == "/a/~/b")
        // Without HOME there is nothing to expand to.
        #expect(DataFolder.resolveDirectory(flag: nil, environment: [:]) == DataFolder.defaultDirectory)
    }

    @Test("resolveDirectory with a fallback: taken only when nothing named a folder and the default is missing")
    func resolveFallback() {
        let home = ["HOME": "/home/me"]
        let present = { (path: String) in path == "/home/me/.digit/mnist" }
        let absent = { (_: String) in false }
        #expect(DataFolder.resolveDirectory(environment: home, fallback: "/shared", exists: present) == "/home/me/.digit/mnist")
        #expect(DataFolder.resolveDirectory(environment: home, fallback: "/shared", exists: absent) == "/shared")
        #expect(DataFolder.resolveDirectory(environment: ["HOME": "/home/me", "DIGIT_DATA": ""], fallback: "/shared",
                                            exists: absent) == "/shared")
        // A folder named by DIGIT_DATA is kept, missing or not, expanded as without a fallback.
        #expect(DataFolder.resolveDirectory(environment: ["HOME": "/home/me", "DIGIT_DATA": "~/d"], fallback: "/shared",
                                            exists: absent) == "/home/me/d")
    }

    @Test("resolveDirectory leaves ~user paths alone")
    func resolveOtherUser() {
        let resolved = DataFolder.resolveDirectory(flag: "~bob/data", environment: ["HOME": "/home/me"])
        #expect(resolved == "~bob/data" || resolved == "/home/bob/data", "got \(resolved)")
    }

    // MARK: real MNIST

    @Test("Real MNIST: 60000 training and 10000 test images, first labels 5 and 7",
          .enabled(if: CoreSupport.mnistAvailable, CoreSupport.noMNIST))
    func realMNIST() throws {
        let train = try MNIST.load(split: .train, from: CoreSupport.mnistDirectory)
        #expect(train.count == 60000 && train.rows == 28 && train.columns == 28)
        #expect(train.images.count == 60000 * 784)
        #expect(train.labels.first == 5)
        #expect(Set(train.labels) == Set(0...9))
        let test = try MNIST.load(split: .test, from: CoreSupport.mnistDirectory)
        #expect(test.count == 10000 && test.rows == 28 && test.columns == 28)
        #expect(test.labels.first == 7)
        // MNIST digits are white on black: the border of an image is background.
        let first = test.image(0)
        #expect(first[0, 0] == 0 && first[27, 27] == 0 && first.pixels.max() == 255)
    }
}
