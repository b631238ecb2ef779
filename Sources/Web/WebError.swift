/// What can go wrong starting or serving the web face, in words a maintainer can act on.
public enum WebError: Error, CustomStringConvertible, Equatable {
    /// `--listen` is not `HOST:PORT`, `[IPV6]:PORT` or `PORT`.
    case badListenAddress(String, reason: String)
    /// A built-in template does not parse (a defect of pacbuild, not of the input).
    case badTemplate(name: String, reason: String)

    public var description: String {
        switch self {
        case .badListenAddress(let text, let reason):
            "--listen '\(text)': \(reason) (expected HOST:PORT, [IPV6]:PORT or PORT, e.g. 127.0.0.1:8080)"
        case .badTemplate(let name, let reason):
            "built-in template '\(name)' does not parse: \(reason)"
        }
    }
}
