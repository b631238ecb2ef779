/// One connection to a store database, whatever the backend: the shared store logic
/// (``SQLBackedStore``) speaks only this. Statements use PostgreSQL's `$1` placeholders;
/// the SQLite connection rewrites them to its own `?1`.
protocol SQLConnection: AnyObject {
    /// Runs one statement and returns its rows (none for a command).
    @discardableResult
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow]
}

extension SQLConnection {
    @discardableResult
    func query(_ sql: String, _ parameters: SQLValue...) throws -> [SQLRow] { try query(sql, parameters) }
}

/// Where the two backends' SQL differs; everything else is the same text.
struct SQLDialect: Sendable {
    /// The type of an auto-incrementing 64-bit primary key.
    var serialPrimaryKey: String
    /// Starts a write transaction. SQLite's IMMEDIATE takes the write lock up front: a
    /// deferred transaction that reads first could not upgrade later without failing
    /// with SQLITE_BUSY.
    var begin: String
    /// Appended to the claim's inner select: PostgreSQL skips rows another claimer locked.
    var skipLocked: String
    /// Taken first inside a migration transaction so two processes do not migrate at once
    /// (SQLite's immediate transaction already excludes other writers).
    var migrationLock: String?
    /// Appended to a select of rows the transaction goes on to change, so concurrent
    /// PostgreSQL transactions take turns on them (SQLite has one writer at a time).
    var forUpdate: String
    /// Run after a large enqueue: PostgreSQL plans from statistics, and without fresh
    /// ones it sorts every ready row for each claim (4 ms at 8,000 rows) instead of
    /// reading the first entry of the claim index (0.04 ms).
    var refreshStatistics: String?
    /// The column type of binary data. Values travel as `\\x` followed by hex in both
    /// backends: PostgreSQL's bytea reads that text form (and stores the bytes);
    /// SQLite keeps the text as given.
    var blobType: String
    /// Whether `ALTER TABLE ... DROP CONSTRAINT` exists. SQLite's does not: a migration
    /// that drops a constraint copies the table instead, with foreign keys switched off.
    var canDropConstraints: Bool
    /// Switches foreign key enforcement off and on around a migration (outside its
    /// transaction: SQLite ignores the pragma inside one), and lists the rows whose
    /// references broke, checked before the migration commits.
    var foreignKeysOff: String?
    var foreignKeysOn: String?
    var foreignKeyCheck: String?
    /// Whether the database has roles and privileges (PostgreSQL): the worker functions
    /// of migration 11 exist only there.
    var hasRoles: Bool
    /// The connection's login role as an SQL expression, recorded with a worker's name;
    /// SQLite has none.
    var sessionRole: String

    static let sqlite = SQLDialect(serialPrimaryKey: "INTEGER PRIMARY KEY", begin: "BEGIN IMMEDIATE", skipLocked: "", migrationLock: nil,
                                   forUpdate: "", refreshStatistics: nil, blobType: "BLOB", canDropConstraints: false,
                                   foreignKeysOff: "PRAGMA foreign_keys = OFF", foreignKeysOn: "PRAGMA foreign_keys = ON",
                                   foreignKeyCheck: "PRAGMA foreign_key_check", hasRoles: false, sessionRole: "NULL")
    static let postgres = SQLDialect(serialPrimaryKey: "BIGSERIAL PRIMARY KEY", begin: "BEGIN", skipLocked: " FOR UPDATE SKIP LOCKED",
                                     migrationLock: "SELECT pg_advisory_xact_lock(7261001)", forUpdate: " FOR UPDATE",
                                     refreshStatistics: "ANALYZE builds, build_edges", blobType: "BYTEA", canDropConstraints: true,
                                     foreignKeysOff: nil, foreignKeysOn: nil, foreignKeyCheck: nil, hasRoles: true,
                                     sessionRole: "session_user")
}
