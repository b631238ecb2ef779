import Foundation
import Graph
import Sandbox

/// The store's logic written once over ``SQLConnection``: ``SQLiteStore`` and
/// ``PostgresStore`` inherit it and supply only their connection, transactions and
/// dialect, so the two backends cannot drift apart in semantics. A base class rather
/// than a protocol extension because a public protocol's witnesses must be public, and
/// an internal protocol's extension cannot provide them. Not `open`: the two
/// subclasses in this module are the only backends.
public class SQLBackedStore: BuildStore, @unchecked Sendable {
    // @unchecked: every stored property is an immutable value; the subclasses guard
    // their connection with a lock of their own.
    let dialect: SQLDialect
    let options: StoreOptions
    /// The store's name in messages (a path, or a URL without its password).
    let storeName: String

    init(dialect: SQLDialect, options: StoreOptions, storeName: String) {
        self.dialect = dialect
        self.options = options
        self.storeName = storeName
    }

    /// Runs `body` in one write transaction, committed when it returns and rolled back
    /// when it throws (a rollback on a broken connection fails quietly: the server has
    /// already dropped the transaction).
    @discardableResult
    func transaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try autocommit { db in
            try db.query(dialect.begin)
            do {
                let result = try body(db)
                try db.query("COMMIT")
                return result
            } catch {
                _ = try? db.query("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs a claim's single statement atomically, as cheaply as the backend allows.
    func claimTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction(body)
    }

    /// Runs `body` on the connection without a transaction (reads, single statements).
    @discardableResult
    func autocommit<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        fatalError("\(Self.self) must override autocommit")
    }

    /// How a worker's writes reach the store when this connection is a PostgreSQL
    /// worker role: through the store's own functions, which check the claim
    /// (``WorkerRoleCalls``); nil for the owner and on SQLite, which write the tables.
    var workerRoleCalls: WorkerRoleCalls? { nil }
}

extension SQLBackedStore {
    /// Brings the schema to `target` (the latest unless a test wants an old store);
    /// refuses a store from a newer pacbuild before touching it.
    func migrate(upTo target: Int = Schema.latest) throws {
        // A store already at `target` is left alone without a CREATE: a worker role
        // (docs/distributed.md) may read the version but not create tables.
        if let current = try? autocommit(Self.version), current >= target {
            guard current <= Schema.latest else {
                throw StoreError.schemaTooNew(store: storeName, found: current, supported: Schema.latest)
            }
            return
        }
        if let off = dialect.foreignKeysOff { try autocommit { try $0.query(off) } }
        defer { if let on = dialect.foreignKeysOn { _ = try? autocommit { try $0.query(on) } } }
        try transaction { db in
            if let lock = dialect.migrationLock { try db.query(lock) }
            try db.query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            let current = try Self.version(db)
            guard current <= Schema.latest else {
                throw StoreError.schemaTooNew(store: storeName, found: current, supported: Schema.latest)
            }
            for migration in Schema.migrations where migration.version > current && migration.version <= target {
                for statement in migration.statements(dialect) { try db.query(statement) }
                try db.query("INSERT INTO schema_version (version) VALUES ($1)", .int(Int64(migration.version)))
            }
            if let check = dialect.foreignKeyCheck, let broken = try db.query(check).first {
                throw StoreError.brokenReferences(store: storeName, table: broken.string(0), rowid: broken.text(1) ?? "?")
            }
        }
    }

    public var schemaVersion: Int { get throws { try autocommit(Self.version) } }

    private static func version(_ db: any SQLConnection) throws -> Int {
        Int(try db.query("SELECT max(version) FROM schema_version").first?.int(0) ?? 0)
    }

    var now: Date { options.now() }
}

/// Reading builds rows back.
extension SQLBackedStore {
    static var buildColumns: String {
        "id, repo, pkgbase, version, arch, state, failure_class, blocked_by, priority, attempts, worker, lease_expires, "
            + "created_at, updated_at, started_at, finished_at, reviewed_at, log_ref, artifacts, reason, required_tags, staged_at, pass"
    }

    static func record(_ row: SQLRow) throws -> BuildRecord {
        let id = row.string(0)
        guard let name = BuildState.Name(rawValue: row.string(5)),
              let state = BuildState(name: name, failure: row.text(6).flatMap(FailureClass.init), blockedBy: row.buildID(7))
        else { throw StoreError.corruptRow(table: "builds", id: id, detail: "state \(row.string(5)) does not fit its columns") }
        return BuildRecord(
            id: BuildID(row.int(0) ?? 0), package: PackageBaseID(repo: row.string(1), pkgbase: row.string(2)),
            version: row.string(3), arch: row.string(4), state: state, priority: row.double(8) ?? 0,
            attempts: Int(row.int(9) ?? 0), worker: row.text(10), leaseExpires: row.time(11),
            createdAt: row.time(12) ?? .distantPast, updatedAt: row.time(13) ?? .distantPast,
            startedAt: row.time(14), finishedAt: row.time(15), reviewedAt: row.time(16), log: row.text(17),
            artifacts: row.text(18).map { $0.split(separator: "\n").map(String.init) } ?? [], reason: row.text(19),
            requiredTags: Self.tags(row.text(20) ?? ""), stagedAt: row.time(21), pass: Int(row.int(22) ?? 1))
    }

    /// One build, locked for the rest of the transaction when `forUpdate`.
    func load(_ db: any SQLConnection, _ id: BuildID, forUpdate: Bool = true) throws -> BuildRecord {
        let lock = forUpdate ? dialect.forUpdate : ""
        guard let row = try db.query("SELECT \(Self.buildColumns) FROM builds WHERE id = $1\(lock)", .int(id.rawValue)).first
        else { throw StoreError.noSuchBuild(id) }
        return try Self.record(row)
    }

    func records(_ db: any SQLConnection, _ sql: String, _ parameters: [SQLValue]) throws -> [BuildRecord] {
        try db.query(sql, parameters).map(Self.record)
    }
}
