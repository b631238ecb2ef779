/// Where the build store lives: an embedded SQLite file for one machine, or a shared
/// PostgreSQL database that wakas on several machines reach.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// `sqlite:PATH` (PATH absolute once loaded).
    case sqlite(path: String)
    /// `postgres://...` or `postgresql://...`, passed to libpq as written.
    case postgres(url: String)

    /// Parses a store URL; relative SQLite paths resolve with `resolve`.
    init?(url: String, resolve: (String) -> String) {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { return nil }
            self = .sqlite(path: resolve(path))
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url): return url
        }
    }
}
