import Delivery
import Testing

@Suite("WebhookURL: which webhook addresses are accepted")
struct WebhookURLTests {
    @Test("an https URL is refused with a message saying TLS is not supported yet")
    func httpsRefused() {
        #expect {
            _ = try WebhookSink(url: "https://alerts.example.vn/hook")
        } throws: { error in
            let message = String(describing: error)
            return (error as? DeliveryError)?.isSameKind(as: .tlsNotSupported("")) == true
                && message.contains("TLS is not supported yet") && message.contains("https://alerts.example.vn/hook")
        }
    }

    @Test("host, port and path are read from http URLs, IPv6 in brackets, default port 80 and path /")
    func parses() throws {
        let plain = try WebhookURL("http://127.0.0.1:8080/alerts?unit=vu-hoi#frag")
        #expect(plain.host == "127.0.0.1" && plain.port == 8080 && plain.path == "/alerts?unit=vu-hoi")
        #expect(plain.hostHeader == "127.0.0.1:8080")
        let v6 = try WebhookURL("http://[::1]:9000")
        #expect(v6.host == "::1" && v6.port == 9000 && v6.path == "/")
        #expect(v6.description == "http://[::1]:9000/")
        let named = try WebhookURL("HTTP://localhost/hook")
        #expect(named.host == "localhost" && named.port == 80 && named.hostHeader == "localhost")
    }

    @Test("malformed URLs are refused with a message naming the problem", arguments: [
        ("ftp://host/x", "only http:// is supported"),
        ("localhost:8080/x", "must start with http://"),
        ("http://:8080/x", "has no host"),
        ("http://host:0/x", "invalid port"),
        ("http://host:99999/x", "invalid port"),
        ("http://user:pw@host/x", "user name or password"),
        ("http://host/a b", "without spaces"),
        ("http://::1:80/", "IPv6 address in brackets"),
        ("http://[::1/", "closing"),
    ])
    func refuses(url: String, fragment: String) {
        #expect {
            _ = try WebhookURL(url)
        } throws: { error in
            String(describing: error).contains(fragment)
        }
    }
}
