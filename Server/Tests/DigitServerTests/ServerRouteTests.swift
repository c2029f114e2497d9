import Foundation
import HummingbirdTesting
import Testing

struct ServerRouteTests {
    @Test("GET / is the drawing page: a canvas, the API's routes, nothing loaded from elsewhere")
    func pageWorksOffline() async throws {
        let (status, contentType, page) = try await TestServer.test { try await $0.get("/") }
        #expect(status == .ok)
        #expect(contentType == "text/html; charset=utf-8")
        #expect(page.contains("<canvas"))
        #expect(page.contains("touch-action: none"))
        #expect(page.contains("/api/classify") && page.contains("/api/read"))
        for external in ["http://", "https://", "//cdn", "<link rel=\"stylesheet\" href", "src=\"http", "@import"] {
            #expect(!page.contains(external), "the page refers to \(external)")
        }
    }

    @Test("GET /healthz names the bundled model and its test accuracy")
    func health() async throws {
        let (status, contentType, text) = try await TestServer.test { try await $0.get("/healthz") }
        #expect(status == .ok)
        #expect(contentType == "application/json")
        let answer = try #require(jsonObject(text))
        #expect(answer["model"] as? String == "bundled model")
        let accuracy = try #require(answer["test_accuracy"] as? Double)
        #expect(accuracy > 0.99 && accuracy <= 1)
    }

    @Test("POST /api/read on a picture of 2026 reads 2026, as read --json does without file")
    func readsANumber() async throws {
        let bytes = try TestServer.file("samples/number-2026-pen.png")
        let (status, text) = try await TestServer.test { try await $0.post("/api/read", body: bytes, contentType: "image/png") }
        #expect(status == .ok, "\(text)")
        let answer = try #require(jsonObject(text))
        #expect(answer["text"] as? String == "2026")
        let digits = try #require(answer["digits"] as? [[String: Any]])
        #expect(digits.map { $0["digit"] as? Int } == [2, 0, 2, 6])
        #expect(digits.allSatisfy { ($0["box"] as? [Int])?.count == 4 })
        let cliLine = try TestServer.cliLine("read-samples-json", file: "samples/number-2026-pen.png")
        #expect(text == cliLine.replacingOccurrences(of: "\"file\":\"samples/number-2026-pen.png\",", with: "") + "\n")
    }

    @Test("An unknown path is a JSON 404")
    func unknownPath() async throws {
        let (status, _, text) = try await TestServer.test { try await $0.get("/nothing-here") }
        #expect(status == .notFound)
        #expect(jsonObject(text)?["error"] is String)
    }
}
