/// Everything the build store can fail with, worded for the maintainer who has to act.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--store` or `store =` named something that is neither a path, `sqlite:` nor `postgresql://`.
    case unsupportedURL(String)
    /// The database could not be opened or reached.
    case cannotOpen(store: String, message: String)
    /// sqlite3 returned an error code.
    case sqlite(code: Int32, message: String, sql: String?)
    /// PostgreSQL answered with an error (`sqlstate` is its five-character code).
    case postgres(sqlstate: String, message: String, sql: String?)
    /// The PostgreSQL connection broke and a reconnect did not bring it back.
    case connectionLost(message: String)
    /// The store was written by a newer pacbuild.
    case schemaTooNew(store: String, found: Int, supported: Int)
    case noSuchBuild(BuildID)
    /// The lifecycle does not allow the operation in the build's state.
    case refused(BuildID, LifecycleRefusal)
    /// A worker reported on or renewed a build it does not hold (its lease was lost).
    case notHolder(BuildID, worker: String, holder: String?)
    /// A row the store cannot read back (a state without its failure class, say).
    case corruptRow(table: String, id: String, detail: String)
    /// Not a role name pacbuild puts into SQL (lower-case letters, digits, `_`).
    case invalidRole(String)
    /// A build's file is not in the store.
    case noSuchFile(BuildID, kind: String, name: String)
    /// A file read back from the store does not have the size and sha256 recorded with it.
    case fileCorrupt(BuildID, name: String, detail: String)
    /// A local file could not be read or written while moving it to or from the store.
    case fileIO(path: String, reason: String)
    /// A migration that copied a table left a row referring to a build that is gone; the
    /// migration was rolled back.
    case brokenReferences(store: String, table: String, rowid: String)
    /// No rebuild set has that id (schema 16).
    case noSuchSet(Int64)
    /// The build is in no open rebuild set (or was dropped from it, or published).
    case notInSet(BuildID)

    public var description: String {
        switch self {
        case .unsupportedURL(let url):
            "\(url): not a store; give a file path, sqlite:PATH or postgresql://USER@HOST/DB"
        case .cannotOpen(let store, let message):
            "\(store): cannot open the store: \(message)"
        case .sqlite(let code, let message, let sql):
            "sqlite error \(code): \(message)" + (sql.map { " (in: \($0))" } ?? "")
        case .postgres(let sqlstate, let message, let sql):
            "PostgreSQL error \(sqlstate): \(message)" + (sql.map { " (in: \($0))" } ?? "")
        case .connectionLost(let message):
            "lost the connection to PostgreSQL and could not reconnect: \(message)"
        case .schemaTooNew(let store, let found, let supported):
            "\(store): the store has schema version \(found), but this pacbuild knows versions up to \(supported); "
                + "upgrade pacbuild (a newer one wrote this store)"
        case .noSuchBuild(let id):
            "no build \(id) in the store"
        case .refused(let id, let refusal):
            "build \(id): \(refusal)"
        case .notHolder(let id, let worker, let holder):
            "build \(id) is not held by worker \(worker)" + (holder.map { " but by \($0)" } ?? "")
                + "; its lease probably expired, drop the build"
        case .corruptRow(let table, let id, let detail):
            "\(table) row \(id) cannot be read: \(detail)"
        case .invalidRole(let role):
            "\(role): not a role name pacbuild accepts (lower-case letters, digits and _, starting with a letter or _)"
        case .noSuchFile(let id, let kind, let name):
            "build \(id) has no \(kind) file \(name) in the store"
        case .fileCorrupt(let id, let name, let detail):
            "build \(id): the stored file \(name) is corrupt: \(detail)"
        case .fileIO(let path, let reason):
            "\(path): \(reason)"
        case .brokenReferences(let store, let table, let rowid):
            "\(store): migrating the schema would leave \(table) row \(rowid) referring to a missing build; "
                + "nothing was changed: run `sqlite3 \(store) 'PRAGMA foreign_key_check'` and remove the rows it lists"
        case .noSuchSet(let id):
            "no rebuild set \(id) in the store (`pacbuild set ls` lists them)"
        case .notInSet(let id):
            "build \(id) is in no open rebuild set (or was dropped from it or published already)"
        }
    }
}
