import Foundation

/// Finds runs of free loopback TCP ports for a test's processes.
public enum FreePorts {
    /// A base port such that `base ..< base + count` are all free on 127.0.0.1 right now.
    public static func base(count: Int = 4) -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 20_000...59_000)
            if (base..<(base + count)).allSatisfy(isFree) { return base }
        }
        fatalError("no free run of \(count) loopback ports found")
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
