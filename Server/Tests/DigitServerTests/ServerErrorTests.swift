import DigitKit
import Foundation
import HummingbirdTesting
import Testing

/// Bad input is always a 4xx with `{"error":"..."}` naming the problem, never a 5xx.
struct ServerErrorTests {
    /// The status and error message of a POST to `uri`.
    private func refusal(_ uri: String = "/api/classify", body: [UInt8], contentType: String?,
                         setup: TestingSetup = .router) async throws -> (status: Int, error: String?) {
        let (status, text) = try await TestServer.test(setup) { try await $0.post(uri, body: body, contentType: contentType) }
        return (status.code, jsonObject(text)?["error"] as? String)
    }

    @Test("Damaged PNGs are 400 with the decoder's reason", arguments: ["/api/classify", "/api/read"])
    func damagedPNGs(_ uri: String) async throws {
        let png = try TestServer.file("samples/7-bar-sticky-note.png")
        var flipped = png
        for index in stride(from: 40, to: flipped.count, by: 97) { flipped[index] ^= 0x5A }
        let cases: [(String, [UInt8])] = [
            ("truncated", Array(png.prefix(png.count / 2))),
            ("bit flips", flipped),
            ("signature only", Array(png.prefix(8))),
            ("not a picture", Array("hello, this is text".utf8)),
            ("empty", []),
        ]
        for (label, bytes) in cases {
            let (status, error) = try await refusal(uri, body: bytes, contentType: "image/png")
            #expect(status == 400, "\(label): \(status)")
            let message = try #require(error, "\(label)")
            #expect(message.hasPrefix("picture: "), "\(label): \(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test("A damaged JPEG is 400 with libjpeg's reason")
    func damagedJPEG() async throws {
        let jpegStart: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: 0, count: 64)
        let (status, error) = try await refusal(body: jpegStart, contentType: "image/jpeg")
        #expect(status == 400)
        let message = try #require(error)
        #expect(message.hasPrefix("picture: ") && !message.contains("\n"), "\(message)")
    }

    @Test("A body over 16 MiB is 413, over a real socket and in-process")
    func bodyTooLarge() async throws {
        let huge = [UInt8](repeating: 0x41, count: 20 << 20)
        for setup in [TestingSetup.live, .router] {
            let (status, error) = try await refusal(body: huge, contentType: "image/png", setup: setup)
            #expect(status == 413)
            #expect(error == "the body is over 16 MiB, the most this server reads")
        }
    }

    @Test("A PNG of more than 12 megapixels is 413")
    func tooManyPixels() async throws {
        // Blank paper compresses to a few kilobytes, well under the body limit.
        let png = try GrayImage(width: 4000, height: 3001, filledWith: 255).pngData()
        let (status, error) = try await refusal(body: png, contentType: "image/png")
        #expect(status == 413)
        #expect(error == "picture: image is 4000x3001 pixels, more than the 12-megapixel limit")
    }

    @Test("Another or a missing Content-Type is 415", arguments: ["text/plain", "application/octet-stream", nil] as [String?])
    func unsupportedMediaType(_ contentType: String?) async throws {
        let png = try TestServer.file("samples/7-bar-sticky-note.png")
        let (status, error) = try await refusal(body: png, contentType: contentType)
        #expect(status == 415)
        #expect(error?.contains("send image/png, image/jpeg or multipart/form-data") == true, "\(String(describing: error))")
    }

    @Test("A blank picture is 422: no ink", arguments: ["/api/classify", "/api/read"])
    func blankPicture(_ uri: String) async throws {
        let blank = try GrayImage(width: 64, height: 64, filledWith: 255).pngData()
        let (status, error) = try await refusal(uri, body: blank, contentType: "image/png")
        #expect(status == 422)
        #expect(error?.contains("no ink that stands out") == true, "\(String(describing: error))")
    }

    @Test("Malformed multipart bodies are 400 naming the problem")
    func malformedMultipart() async throws {
        let png = try TestServer.file("samples/7-bar-sticky-note.png")
        let type = "multipart/form-data; boundary=XyZ"
        func part(_ name: String, file: Bool) -> [UInt8] {
            Array("--XyZ\r\nContent-Disposition: form-data; name=\"\(name)\"\(file ? "; filename=\"\(name).png\"" : "")\r\n\r\n".utf8) + png + Array("\r\n".utf8)
        }
        let cases: [(String, [UInt8], String)] = [
            (type, Array("garbage".utf8), "multipart body does not start with its boundary"),
            (type, part("a", file: true), "multipart body has no closing boundary"),
            (type, part("a", file: false) + Array("--XyZ--\r\n".utf8), "multipart body has no file part"),
            (type, part("a", file: true) + part("b", file: true) + Array("--XyZ--\r\n".utf8), "multipart body has 2 files: send one"),
            (type, Array("--XyZ\r\nContent-Disposition: form-data".utf8), "multipart part has no blank line after its headers"),
            ("multipart/form-data", png, "multipart/form-data without a valid boundary parameter"),
        ]
        for (contentType, body, expected) in cases {
            let (status, error) = try await refusal(body: body, contentType: contentType)
            #expect(status == 400, "\(expected)")
            #expect(error == expected)
        }
    }
}
