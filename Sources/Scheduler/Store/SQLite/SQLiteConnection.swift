import CSQLite
import Foundation

/// One owned `sqlite3*`: opened in WAL mode with a busy timeout, closed exactly once.
/// Not thread-safe by itself; ``SQLiteStore`` serializes access to it.
final class SQLiteConnection: SQLConnection {
    private(set) var handle: OpaquePointer?
    private let path: String
    /// Prepared statements by their SQL; dropped wholesale when it grows past a bound,
    /// since statements with inlined id lists are rarely repeated.
    private var statements: [String: SQLiteStatement] = [:]

    init(path: String, busyTimeout: TimeInterval) throws {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            handle = nil
            throw StoreError.cannotOpen(store: path, message: message)
        }
        try check(sqlite3_busy_timeout(handle, Int32(busyTimeout * 1000)), nil)
        try query("PRAGMA journal_mode = WAL")
        try query("PRAGMA synchronous = NORMAL")
        try query("PRAGMA foreign_keys = ON")
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        if let statement = statements[sql] { return try statement.run(parameters) }
        if statements.count > 256 { statements.removeAll() }
        let statement = try SQLiteStatement(sql, on: self)
        statements[sql] = statement
        return try statement.run(parameters)
    }

    /// The one place sqlite3 return codes become errors, with sqlite's own message.
    func check(_ code: Int32, _ sql: String?) throws {
        guard code != SQLITE_OK && code != SQLITE_ROW && code != SQLITE_DONE else { return }
        throw StoreError.sqlite(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
