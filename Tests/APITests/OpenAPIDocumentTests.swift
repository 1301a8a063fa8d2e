import Foundation
import Testing
import TestSupport

/// The OpenAPI document: served without login, and the same as Schemas/openapi.json.
@Suite("petition-api: its OpenAPI 3.1 document", .serialized)
struct OpenAPIDocumentTests {
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schemas")

    @Test func theServedDocumentIsSchemasOpenAPIJSONAndNamesEveryResource() throws {
        let system = try TestSystem()
        try system.start()
        try system.startAPI()
        let served = try HTTPClient(base: system.apiBase).get("/api/v1/openapi.json")
        #expect(served.status == 200 && served.header("Content-Type")?.hasPrefix("application/json") == true)
        let file = try String(contentsOf: Self.schemas.appendingPathComponent("openapi.json"), encoding: .utf8)
        #expect(served.text == file, "the embedded document is stale: run python3 Schemas/embed-openapi.py")
        let document = served.json
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = Set((document["paths"] as? [String: Any] ?? [:]).keys)
        for path in ["/api/v1/login", "/api/v1/petitions", "/api/v1/petitions/{id}", "/api/v1/outstanding", "/api/v1/track/{code}", "/api/v1/events",
                     "/health/ready", "/metrics", "/open311/v2/services.json", "/open311/v2/requests.json", "/open311/v2/requests.xml",
                     "/open311/v2/tokens/{token}.json"] {
            #expect(paths.contains(path), "\(path) is not in the document")
        }
    }
}
