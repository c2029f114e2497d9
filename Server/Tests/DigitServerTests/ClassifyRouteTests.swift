import DigitKit
import Foundation
import HummingbirdTesting
import Testing

struct ClassifyRouteTests {
    @Test("The one-digit samples are there to be read")
    func samplesAreThere() {
        #expect(TestServer.digitSamples.count >= 20)
    }

    @Test("POST /api/classify reads every one-digit sample right", arguments: TestServer.digitSamples)
    func readsEverySample(_ name: String) async throws {
        let bytes = try TestServer.file("samples/" + name)
        let (status, text) = try await TestServer.test { try await $0.post("/api/classify", body: bytes, contentType: "image/png") }
        #expect(status == .ok, "\(text)")
        let answer = try #require(jsonObject(text))
        #expect(answer["digit"] as? Int == Int(String(name.first!)), "\(name): \(text)")
        #expect((answer["probabilities"] as? [Double])?.count == 10)
    }

    @Test("A sample sent as a JPEG photo (progressive, stored turned with EXIF orientation 6) is read right")
    func jpegPhoto() async throws {
        // samples/4-open-marker.png stored turned a quarter counter-clockwise, with EXIF
        // orientation 6 (turn 90 clockwise to view); cjpeg -progressive -quality 80.
        let jpeg = try TestServer.file("Server/Tests/Fixtures/4-open-marker-exif6-progressive.jpg")
        let (status, text) = try await TestServer.test { try await $0.post("/api/classify", body: jpeg, contentType: "image/jpeg") }
        #expect(status == .ok, "\(text)")
        #expect(jsonObject(text)?["digit"] as? Int == 4, "\(text)")
    }

    @Test("The answer is classify --json's line without file, plus the 28x28 input as a base64 PNG")
    func answerIsTheCLILineWithInput() async throws {
        let bytes = try TestServer.file("samples/7-bar-sticky-note.png")
        let (status, text) = try await TestServer.test { try await $0.post("/api/classify", body: bytes, contentType: "image/png") }
        #expect(status == .ok)
        #expect(text.hasSuffix("\n"))
        let line = text.dropLast()
        let inputField = try #require(line.range(of: ",\"input\":\""))
        #expect(line.hasPrefix("{\"digit\":7,\"confidence\":"))
        #expect(line.hasSuffix("\"}"))
        // Everything before "input" is, byte for byte, what the CLI prints after "file".
        let cliLine = try TestServer.cliLine("classify-samples-json", file: "samples/7-bar-sticky-note.png")
        #expect(String(line[..<inputField.lowerBound]) + "}" == cliLine.replacingOccurrences(of: "\"file\":\"samples/7-bar-sticky-note.png\",", with: ""))
        let base64 = line[inputField.upperBound...].dropLast(2)
        let input = try GrayImage(pictureData: Array(try #require(Data(base64Encoded: String(base64)))), name: "input")
        #expect((input.width, input.height) == (28, 28))
        #expect(input.pixels.contains { $0 > 128 }, "the input shows white ink on black")
    }

    @Test("A multipart/form-data body with one file (and a text field) is read like the bare PNG")
    func multipartWithOneFile() async throws {
        let png = try TestServer.file("samples/3-chalk.png")
        let boundary = "----digit-test-boundary"
        let body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n".utf8)
            + Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"3.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            + png + Array("\r\n--\(boundary)--\r\n".utf8)
        let (multipart, bare) = try await TestServer.test { client in
            (try await client.post("/api/classify", body: body, contentType: "multipart/form-data; boundary=\"\(boundary)\""),
             try await client.post("/api/classify", body: png, contentType: "image/png"))
        }
        #expect(multipart.status == .ok, "\(multipart.text)")
        #expect(multipart.text == bare.text)
        #expect(jsonObject(multipart.text)?["digit"] as? Int == 3)
    }

    @Test("PNG bytes sent as image/jpeg are read by what they are")
    func formatIsSniffedFromTheBytes() async throws {
        let png = try TestServer.file("samples/8-chalk.png")
        let (status, text) = try await TestServer.test { try await $0.post("/api/classify", body: png, contentType: "image/jpeg") }
        #expect(status == .ok)
        #expect(jsonObject(text)?["digit"] as? Int == 8)
    }

    @Test("Concurrent requests share the model and each gets its own answer")
    func concurrentRequests() async throws {
        let names = TestServer.digitSamples
        let answers = try await TestServer.test { client in
            try await withThrowingTaskGroup(of: (String, Int?).self) { group in
                for name in names {
                    let bytes = try TestServer.file("samples/" + name)
                    group.addTask {
                        let (_, text) = try await client.post("/api/classify", body: bytes, contentType: "image/png")
                        return (name, jsonObject(text)?["digit"] as? Int)
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
        }
        for name in names { #expect(answers[name] == Int(String(name.first!)), "\(name)") }
    }
}
