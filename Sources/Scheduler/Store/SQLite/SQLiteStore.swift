import Foundation

/// The embedded store: one SQLite file in the state directory, no server to run. Several
/// processes may open the same file (WAL lets readers run beside the one writer; writers
/// queue on the busy timeout).
public final class SQLiteStore: SQLBackedStore, @unchecked Sendable {
    // @unchecked: the connection is only touched under `lock`, which makes the store
    // safe to share between threads; sqlite3 itself is opened without its own mutex.
    private let connection: SQLiteConnection
    private let lock = NSLock()

    public convenience init(path: String, options: StoreOptions = StoreOptions()) throws {
        try self.init(path: path, options: options, schema: Schema.latest)
    }

    /// `schema` below the latest leaves an old store behind, for the migration tests.
    init(path: String, options: StoreOptions, schema: Int) throws {
        connection = try SQLiteConnection(path: path, busyTimeout: options.busyTimeout)
        super.init(dialect: .sqlite, options: options, storeName: path)
        try migrate(upTo: schema)
    }

    override func autocommit<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(connection)
    }
}
