import Foundation

/// The shared store: every waka on every machine claims from one PostgreSQL database.
/// A lost connection (server restart, network cut) is re-established and the operation
/// run once more; a deadlock between two transactions is retried.
public final class PostgresStore: SQLBackedStore, @unchecked Sendable {
    // @unchecked: the connection is only touched under `lock`, which makes the store
    // safe to share between threads; a PGconn must not be used by two threads at once.
    private let connection: PostgresConnection
    private let lock = NSLock()
    /// How long a lost connection is retried before the operation fails (a restart
    /// takes a few seconds).
    private let reconnectWindow: TimeInterval = 30
    /// Whether this connection is a worker role (`pacbuild store grant-worker`), not the
    /// owner of the store's tables: its writes go through the store's functions.
    public let isWorkerRole: Bool

    public convenience init(url: String, options: StoreOptions = StoreOptions()) throws {
        try self.init(url: url, options: options, schema: Schema.latest)
    }

    /// `schema` below the latest leaves an old store behind, for the migration tests.
    init(url: String, options: StoreOptions, schema: Int) throws {
        let name = Self.redactingPassword(url)
        connection = try PostgresConnection(url: url, name: name)
        isWorkerRole = try Self.connectsAsWorkerRole(connection)
        super.init(dialect: .postgres, options: options, storeName: name)
        try migrate(upTo: schema)
    }

    override var workerRoleCalls: WorkerRoleCalls? { isWorkerRole ? WorkerRoleCalls(store: self) : nil }

    /// A claim does not wait for its WAL flush (`synchronous_commit = off` for this
    /// transaction only): the flush was most of a claim's time. A claim lost in a server
    /// crash is harmless: the build is `ready` again and claimed anew, and the first
    /// holder's report is refused because it no longer holds it.
    override func claimTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction { db in
            try db.query("SET LOCAL synchronous_commit = off")
            return try body(db)
        }
    }

    override func autocommit<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        var reconnected = false
        var conflicts = 0
        while true {
            do {
                return try body(connection)
            } catch StoreError.connectionLost(let message) where !reconnected {
                reconnected = true
                guard reconnect() else { throw StoreError.connectionLost(message: message) }
            } catch StoreError.postgres(let sqlstate, _, _) where Self.isConflict(sqlstate) && conflicts < 20 {
                conflicts += 1
            }
        }
    }

    /// Deadlock detected, serialization failure: the transaction lost a race and can run again.
    private static func isConflict(_ sqlstate: String) -> Bool { sqlstate == "40P01" || sqlstate == "40001" }

    private func reconnect() -> Bool {
        let deadline = Date().addingTimeInterval(reconnectWindow)
        while Date() < deadline {
            if connection.reconnect() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    /// `postgresql://user:secret@host/db` becomes `postgresql://user@host/db` for messages.
    static func redactingPassword(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound ..< url.endIndex),
              let colon = url.range(of: ":", range: scheme.upperBound ..< at.lowerBound) else { return url }
        return String(url[..<colon.lowerBound] + url[at.lowerBound...])
    }
}
