/// A download URL taken apart strictly, so that pacbuild and curl cannot read a different
/// host from it: `SCHEME://[USER[:PASSWORD]@]HOST[:PORT][/...]` with a host of letters,
/// digits, dots and dashes or a bracketed IPv6 address, and nothing else in the
/// authority (no backslash, space, or second `@`). Anything else is refused as unclear.
struct SourceURL: Equatable {
    var scheme: String
    var host: String
    var port: Int

    static let defaultPorts = ["http": 80, "https": 443, "ftp": 21]

    /// nil with the reason when the URL is not one curl and pacbuild read alike.
    static func parse(_ url: String) -> Result<SourceURL, SourceDownloadFailure> {
        func unclear(_ why: String) -> Result<SourceURL, SourceDownloadFailure> { .failure(.refused("\(url): \(why)")) }
        guard let separator = url.range(of: "://") else { return unclear("no scheme") }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard let defaultPort = defaultPorts[scheme] else { return unclear("only http, https and ftp are downloaded") }
        let rest = url[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains(where: { $0 == "\\" || $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? true }) {
            return unclear("the host part holds characters that are not plain ASCII, a space or a backslash")
        }
        let at = authority.split(separator: "@", omittingEmptySubsequences: false)
        guard at.count <= 2 else { return unclear("more than one @ before the host") }
        var hostPort = Substring(at.last!)
        var host: Substring
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return unclear("an IPv6 address without ]") }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return unclear("not an IPv6 address in brackets") }
            hostPort = hostPort[hostPort.index(after: close)...]
        } else {
            host = hostPort.prefix { $0 != ":" }
            hostPort = hostPort.dropFirst(host.count)
            guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
                return unclear("the host is not a name of letters, digits, dots and dashes")
            }
        }
        var port = defaultPort
        if !hostPort.isEmpty {
            guard hostPort.hasPrefix(":"), let number = Int(hostPort.dropFirst()), (1...65535).contains(number),
                  hostPort.dropFirst().allSatisfy(\.isNumber) else { return unclear("the port is not a number from 1 to 65535") }
            port = number
        }
        return .success(SourceURL(scheme: scheme, host: host.lowercased(), port: port))
    }

    /// `host` or `host:port` in `allowed` (case-insensitive) lets this URL reach any address.
    func isAllowed(by allowed: [String]) -> Bool {
        allowed.contains { entry in
            let entry = entry.lowercased()
            return entry == host || entry == "[\(host)]" || entry == "\(host):\(port)" || entry == "[\(host)]:\(port)"
        }
    }

    /// The `--resolve` value pinning curl to the addresses pacbuild checked.
    func pin(_ addresses: [String]) -> String {
        let name = host.contains(":") ? "[\(host)]" : host
        return "\(name):\(port):" + addresses.map { $0.contains(":") ? "[\($0)]" : $0 }.joined(separator: ",")
    }
}
