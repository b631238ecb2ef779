/// Where `pacbuild serve` listens: loopback unless told otherwise, so a web face is
/// never exposed by accident.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public static let loopback = ListenAddress(host: "127.0.0.1", port: 8080)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPV6]:PORT` or a bare `PORT` (on 127.0.0.1).
    public init(parsing text: String) throws(WebError) {
        var host = ListenAddress.loopback.host
        var portText = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .badListenAddress(text, reason: "no ']' after the IPv6 address") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .badListenAddress(text, reason: "no ':PORT' after ']'") }
            portText = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw .badListenAddress(text, reason: "an IPv6 address must be in brackets") }
        }
        guard !host.isEmpty else { throw .badListenAddress(text, reason: "no host before ':'") }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw .badListenAddress(text, reason: "'\(portText)' is not a port number (0-65535)")
        }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
