#if canImport(Glibc)
import Glibc
#endif

/// The addresses a source download may not reach unless `[sources] allow_hosts` names the
/// host: the host's own (loopback, unspecified), its networks' (private, carrier-grade
/// NAT, link-local: where cloud metadata services answer), multicast and reserved ranges.
/// A PKGBUILD's URL is the build's word, and the build is hostile: without this a source
/// entry could make the host request a loopback service or an internal web server and
/// put its answer into a package.
enum SourceAddress {
    /// Why `address` (an IPv4 or IPv6 address in text) is internal, or nil for a public
    /// address. Text that is not an address counts as internal ("not an address").
    static func internalKind(_ address: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return internalKind(ipv4: UInt32(bigEndian: v4.s_addr))
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return "not an address" }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        return internalKind(ipv6: bytes)
    }

    static func internalKind(ipv4 a: UInt32) -> String? {
        func within(_ network: UInt32, _ bits: UInt32) -> Bool { bits == 0 || a >> (32 - bits) == network >> (32 - bits) }
        if within(0x7F00_0000, 8) { return "a loopback address" }
        if within(0x0000_0000, 8) { return "an unspecified (this-host) address" }
        if within(0x0A00_0000, 8) || within(0xAC10_0000, 12) || within(0xC0A8_0000, 16) { return "a private address" }
        if within(0x6440_0000, 10) { return "a carrier-grade NAT address" }
        if within(0xA9FE_0000, 16) { return "a link-local address" }
        if within(0xC000_0000, 24) { return "an IETF protocol address" }
        if within(0xC612_0000, 15) { return "a benchmarking address" }
        if within(0xE000_0000, 4) { return "a multicast address" }
        if within(0xF000_0000, 4) { return "a reserved address" }
        return nil
    }

    static func internalKind(ipv6 b: [UInt8]) -> String? {
        precondition(b.count == 16)
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? "a loopback address" : "an unspecified address" }
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses: the IPv4 address decides
        if b[0..<10].allSatisfy({ $0 == 0 }) && ((b[10] == 0xFF && b[11] == 0xFF) || (b[10] == 0 && b[11] == 0)) {
            return internalKind(ipv4: UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15]))
        }
        // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) {
            return internalKind(ipv4: UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15]))
        }
        if b[0] & 0xFE == 0xFC { return "a unique local address" }
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return "a link-local address" }
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return "a site-local address" }
        if b[0] == 0xFF { return "a multicast address" }
        return nil
    }

    /// The addresses `host` resolves to (by the system's resolver, as curl would), in
    /// text; a failure says why.
    static func resolve(_ host: String) -> Result<[String], SourceDownloadFailure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            return .failure(.failed("cannot resolve \(host): \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            if let address = current.pointee.ai_addr {
                switch current.pointee.ai_family {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { var a = $0.pointee.sin_addr; _ = inet_ntop(AF_INET, &a, &text, socklen_t(text.count)) }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { var a = $0.pointee.sin6_addr; _ = inet_ntop(AF_INET6, &a, &text, socklen_t(text.count)) }
                default: break
                }
            }
            let string = String(cString: text)
            if !string.isEmpty && !addresses.contains(string) { addresses.append(string) }
            entry = current.pointee.ai_next
        }
        return addresses.isEmpty ? .failure(.failed("cannot resolve \(host): no address")) : .success(addresses)
    }
}
