import Foundation

/// Opens the store a URL names: `postgresql://` (or `postgres://`) for PostgreSQL,
/// `sqlite:PATH` or a plain path for SQLite.
public enum Store {
    public static func open(url: String, options: StoreOptions = StoreOptions()) throws -> any BuildStore {
        switch try Location(url) {
        case .postgres(let conninfo): try PostgresStore(url: conninfo, options: options)
        case .sqlite(let path): try SQLiteStore(path: path, options: options)
        }
    }

    /// Where a store URL points.
    enum Location: Equatable {
        case sqlite(path: String)
        case postgres(String)

        init(_ url: String) throws {
            if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
                self = .postgres(url)
            } else if url.hasPrefix("sqlite:") {
                let path = String(url.dropFirst("sqlite:".count))
                guard !path.isEmpty else { throw StoreError.unsupportedURL(url) }
                self = .sqlite(path: path.hasPrefix("//") ? String(path.dropFirst(2)) : path)
            } else if !url.isEmpty && !url.contains("://") {
                self = .sqlite(path: url)
            } else {
                throw StoreError.unsupportedURL(url)
            }
        }
    }
}
