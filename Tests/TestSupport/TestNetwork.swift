import Foundation

/// Hosts of a test's own: network namespaces joined by veth pairs to one bridge, as root, removed at the end.
///
/// Host `i` (1…count) is namespace ``name(_:)`` with address ``address(_:)`` on 10.77.N.0/24 (N picked at random, so
/// two runs never share a subnet); this namespace reaches every host through the bridge at 10.77.N.254.
public final class TestNetwork: @unchecked Sendable {
    public let count: Int
    private let tag: String
    private let subnet: Int
    private var made: [String] = []
    private var bridgeMade = false

    public init(hosts count: Int) throws {
        guard geteuid() == 0 else { throw TestFailure("the separate-hosts test makes network namespaces, which needs root (CI runs as root)") }
        self.count = count
        tag = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(5)).lowercased()
        subnet = Int.random(in: 10...250)
        do {
            try Self.ip("link", "add", bridge, "type", "bridge")
            bridgeMade = true
            try Self.ip("addr", "add", "10.77.\(subnet).254/24", "dev", bridge)
            try Self.ip("link", "set", bridge, "up")
            for host in 1...count {
                try Self.ip("netns", "add", name(host))
                made.append(name(host))
                try Self.ip("link", "add", outside(host), "type", "veth", "peer", "name", inside(host))
                try Self.ip("link", "set", inside(host), "netns", name(host))
                try Self.ip("link", "set", outside(host), "master", bridge)
                try Self.ip("link", "set", outside(host), "up")
                try Self.ip("-n", name(host), "addr", "add", "\(address(host))/24", "dev", inside(host))
                try Self.ip("-n", name(host), "link", "set", inside(host), "up")
                try Self.ip("-n", name(host), "link", "set", "lo", "up")
            }
        } catch {
            remove()
            throw error
        }
    }

    deinit { remove() }

    private var bridge: String { "ptbr\(tag)" }
    private func outside(_ host: Int) -> String { "pt\(tag)h\(host)" }
    private func inside(_ host: Int) -> String { "pt\(tag)n\(host)" }

    /// Host `i`'s namespace.
    public func name(_ host: Int) -> String { "pt-\(tag)-\(host)" }
    /// Host `i`'s address.
    public func address(_ host: Int) -> String { "10.77.\(subnet).\(host)" }

    /// Takes host `i`'s link down (its cable pulled), or brings it back.
    public func link(_ host: Int, up: Bool) throws {
        try Self.ip("link", "set", outside(host), up ? "up" : "down")
    }

    private func remove() {
        for namespace in made { _ = try? Self.ip("netns", "delete", namespace) } // its veth ends go with it
        made = []
        if bridgeMade { _ = try? Self.ip("link", "delete", bridge); bridgeMade = false }
    }

    private static func ip(_ arguments: String...) throws {
        let result = try runProgram(URL(fileURLWithPath: "/usr/sbin/ip"), arguments, timeout: 20)
        guard result.status == 0 else { throw TestFailure("ip \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
    }
}
