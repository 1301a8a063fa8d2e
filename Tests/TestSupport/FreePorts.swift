import Foundation

/// Finds runs of free loopback TCP ports for a test's processes.
public enum FreePorts {
    /// A base port such that `base ..< base + count` are all free on 127.0.0.1 right now.
    ///
    /// Chosen below the kernel's ephemeral range (`ip_local_port_range`): ports there are handed out as the source
    /// ports of outgoing connections (every ZeroMQ client, every probe), so a port found free there can be taken
    /// by one before the server binds it.
    public static func base(count: Int = 4) -> Int {
        let range = candidates(count: count)
        for _ in 0..<200 {
            let base = Int.random(in: range)
            if (base..<(base + count)).allSatisfy(isFree) { return base }
        }
        fatalError("no free run of \(count) loopback ports found")
    }

    /// Base ports to try: from 10,000 to below the ephemeral range, or 20,000–59,000 when that range starts too low to leave room.
    static func candidates(count: Int) -> ClosedRange<Int> {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let low = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32_768
        return low - count > 12_000 ? 10_000...(low - count - 1) : 20_000...59_000
    }

    /// Whether a TCP port can be bound on 127.0.0.1.
    public static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
