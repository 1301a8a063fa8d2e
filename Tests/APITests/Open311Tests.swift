import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// Open311 GeoReport v2 under /open311/v2, as a portal integrating for the first time would use it.
@Suite("petition-api: Open311 GeoReport v2", .serialized)
struct Open311Tests {
    /// GeoReport v2's fields of a service (GET services).
    static let serviceFields = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
    /// GeoReport v2's fields of a service request (GET requests).
    static let requestFields = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
                                "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                                "lat", "long", "media_url"]

    /// The elements of an XML document: each `element`'s children as name → text.
    final class XMLRecords: NSObject, XMLParserDelegate {
        let element: String
        var root: String?
        var records: [[String: String]] = []
        private var current: [String: String]?
        private var text = ""
        init(_ data: Data, element: String) {
            self.element = element
            super.init()
            let parser = XMLParser(data: data)
            parser.delegate = self
            _ = parser.parse()
        }
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            if root == nil { root = name }
            if name == element { current = [:] }
            text = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == element, let c = current { records.append(c); current = nil } else { current?[name] = text }
        }
    }

    static func form(_ fields: [(String, String)]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Data(fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&").utf8)
    }

    @Test func aPortalListsServicesPostsARequestThatShowsInOutstandingAndFollowsItWithoutPersonalData() throws {
        let w = try APIBasicsTests.world()
        let code = try #require(try w.system.registerCommune(w.commune))
        let portal = try w.system.official(.clerk, unit: w.commune)
        let issued = try w.system.ctl(["official", "api-key", portal.id, "--label", "Cổng thông tin điện tử tỉnh", "--data-dir", w.system.dataDirectory, "--json"],
                                      as: try w.system.official(.administrator))
        let key = try #require(issued.json["key"] as? String, "\(issued.stdout) \(issued.stderr)")
        let anyone = HTTPClient(base: w.system.apiBase)

        // services: JSON and XML, every GeoReport field.
        let services = try anyone.get("/open311/v2/services.json?jurisdiction_id=\(code)")
        #expect(services.status == 200 && services.header("Content-Type")?.hasPrefix("application/json") == true, "\(services.text)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(services.text.utf8)) as? [[String: Any]])
        #expect(list.count == 12)
        for service in list {
            #expect(Set(service.keys) == Set(Self.serviceFields), "\(service)")
            #expect(service["metadata"] as? Bool == false && ["realtime", "batch", "blackbox"].contains(service["type"] as? String ?? ""))
        }
        #expect(list.contains { $0["service_code"] as? String == "transport" && $0["service_name"] as? String == "Giao thông vận tải" })
        let xml = try anyone.get("/open311/v2/services.xml")
        #expect(xml.header("Content-Type")?.hasPrefix("text/xml") == true && xml.text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        let parsed = XMLRecords(Data(xml.text.utf8), element: "service")
        #expect(parsed.root == "services" && parsed.records.count == 12 && parsed.records.allSatisfy { Set($0.keys) == Set(Self.serviceFields) }, "\(xml.text.prefix(400))")

        // POST a request, form-encoded as the spec has it.
        let citizen = [("first_name", "Hoàng Thị"), ("last_name", "Lan"), ("phone", "0912 345 678"), ("email", "lan@example.vn"), ("address_string", "Tổ 3, ấp Mỹ Hòa")]
        let posted = try anyone.send("POST", "/open311/v2/requests.json", body: Self.form([("api_key", key), ("jurisdiction_id", code), ("service_code", "transport"),
                                                                                           ("description", "Cầu tre qua kênh bị gãy")] + citizen),
                                     headers: ["Content-Type": "application/x-www-form-urlencoded"])
        try #require(posted.status == 201, "\(posted.text)")
        let created = try #require((try JSONSerialization.jsonObject(with: Data(posted.text.utf8)) as? [[String: Any]])?.first, "\(posted.text)")
        let id = try #require(created["service_request_id"] as? String)
        let token = try #require(created["token"] as? String)

        // It is a petition in the commune's outstanding list, recorded as the portal's account.
        let chair = try w.system.login(try w.system.official(.chair, unit: w.commune))
        let outstanding = try chair.get("/api/v1/outstanding")
        #expect((outstanding.json["items"] as? [[String: Any]])?.contains { $0["petitionId"] as? String == id } == true, "\(outstanding.text.prefix(500))")
        let event = try #require(try w.system.history().first { $0["subject"] as? String == "petition-\(id)" })
        #expect(event["actor"] as? String == "clerk/\(portal.id)", "\(event)")

        // Referred: the department is agency_responsible, the deadline expected_datetime.
        let department = try w.system.department("Phòng Kinh tế")
        try w.system.person("Lê Văn C")
        let referred = try chair.post("/api/v1/petitions/\(id)/refer", ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 10])
        #expect(referred.status == 200, "\(referred.text)")

        let requests = try anyone.get("/open311/v2/requests.json?api_key=\(key)&jurisdiction_id=\(code)&status=open")
        #expect(requests.status == 200, "\(requests.text)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(requests.text.utf8)) as? [[String: Any]])
        let mine = try #require(items.first { $0["service_request_id"] as? String == id }, "\(requests.text.prefix(500))")
        #expect(Set(mine.keys) == Set(Self.requestFields), "\(mine.keys.sorted())")
        #expect(mine["status"] as? String == "open" && mine["agency_responsible"] as? String == "Phòng Kinh tế", "\(mine)")
        #expect((mine["expected_datetime"] as? String)?.hasSuffix("T23:59:59+07:00") == true && (mine["requested_datetime"] as? String)?.hasSuffix("+07:00") == true, "\(mine)")
        let closed = try anyone.get("/open311/v2/requests.json?api_key=\(key)&jurisdiction_id=\(code)&status=closed")
        #expect(!closed.text.contains(id), "an open request is not listed as closed")

        let one = try anyone.get("/open311/v2/requests/\(id).xml?api_key=\(key)")
        let record = XMLRecords(Data(one.text.utf8), element: "request")
        #expect(record.root == "service_requests" && record.records.first?["service_request_id"] == id && Set(record.records.first.map { Array($0.keys) } ?? []) == Set(Self.requestFields),
                "\(one.text.prefix(600))")
        let byToken = try anyone.get("/open311/v2/tokens/\(token).json?api_key=\(key)")
        #expect(byToken.text.contains("\"service_request_id\":\"\(id)\""), "\(byToken.text)")
        // Another commune's key does not learn which request a token is.
        let neighbour = try w.system.official(.clerk, unit: "Xã Bên Cạnh")
        let neighbourKey = try #require(try w.system.ctl(["official", "api-key", neighbour.id, "--label", "Cổng xã bên", "--data-dir", w.system.dataDirectory, "--json"],
                                                         as: try w.system.official(.administrator)).json["key"] as? String)
        let foreign = try anyone.get("/open311/v2/tokens/\(token).json?api_key=\(neighbourKey)")
        #expect(foreign.status == 404 && !foreign.text.contains(id), "\(foreign.text)")

        // No personal data in any Open311 output.
        for text in [requests.text, one.text, byToken.text, posted.text] {
            for secret in ["Hoàng Thị", "Lan\"", "0912", "345 678", "lan@example.vn", "Mỹ Hòa", "personId"] {
                #expect(!text.contains(secret), "Open311 output shows \(secret): \(text.prefix(300))")
            }
        }
    }

    @Test func open311RefusesWithTheSpecsListOfErrors() throws {
        let w = try APIBasicsTests.world()
        let anyone = HTTPClient(base: w.system.apiBase)
        let noKey = try anyone.get("/open311/v2/requests.json")
        #expect(noKey.status == 403, "\(noKey.text)")
        let errors = try #require(try JSONSerialization.jsonObject(with: Data(noKey.text.utf8)) as? [[String: Any]])
        #expect(errors.first?["code"] as? Int == 403 && (errors.first?["description"] as? String)?.contains("api_key") == true)
        let badKey = try anyone.send("POST", "/open311/v2/requests.xml", body: Self.form([("api_key", "pk_nope"), ("service_code", "transport")]),
                                     headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(badKey.status == 403 && XMLRecords(Data(badKey.text.utf8), element: "error").root == "errors", "\(badKey.text)")
        let unknownService = try anyone.get("/open311/v2/services/potholes.json")
        #expect(unknownService.status == 404)
        let wrongFormat = try anyone.get("/open311/v2/services.yaml")
        #expect(wrongFormat.status == 404)
    }
}
