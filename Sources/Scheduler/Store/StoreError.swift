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
        }
    }
}
