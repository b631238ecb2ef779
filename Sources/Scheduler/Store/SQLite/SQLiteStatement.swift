import CSQLite

/// One prepared sqlite3 statement, finalized exactly once when the owner lets go.
/// Kept and reused by ``SQLiteConnection`` (preparing is a large part of a claim's cost).
final class SQLiteStatement {
    private var handle: OpaquePointer?
    private unowned let connection: SQLiteConnection
    let sql: String

    init(_ sql: String, on connection: SQLiteConnection) throws {
        self.connection = connection
        self.sql = sql
        try connection.check(sqlite3_prepare_v2(connection.handle, Self.rewritingPlaceholders(sql), -1, &handle, nil), sql)
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds, steps to the end and returns every row as text.
    func run(_ parameters: [SQLValue]) throws -> [SQLRow] {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (offset, value) in parameters.enumerated() { try bind(value, at: Int32(offset + 1)) }
        var rows: [SQLRow] = []
        let columns = sqlite3_column_count(handle)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { try connection.check(code, sql); return rows }
            rows.append(SQLRow(columns: (0 ..< columns).map { column in
                sqlite3_column_text(handle, column).map { String(cString: $0) }
            }))
        }
    }

    private func bind(_ value: SQLValue, at index: Int32) throws {
        let code = switch value {
        case .int(let int): sqlite3_bind_int64(handle, index, int)
        case .double(let double): sqlite3_bind_double(handle, index, double)
        case .text(let text): pacbuild_sqlite3_bind_text_transient(handle, index, text, -1)
        case .null: sqlite3_bind_null(handle, index)
        }
        try connection.check(code, sql)
    }

    /// PostgreSQL's `$1` becomes sqlite's numbered `?1`, so the shared SQL serves both;
    /// a placeholder that is the next number in sequence becomes a bare `?`, which sqlite
    /// numbers the same way. sqlite checks each numbered `?N` that is not past the highest
    /// so far against a list of every one before it, so a multi-row insert of thousands
    /// of `?N` spent most of its time being prepared.
    static func rewritingPlaceholders(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count)
        var highest = 0
        var rest = Substring(sql)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let previous = dollar > rest.startIndex ? rest[rest.index(before: dollar)] : " "
            let digits = rest[rest.index(after: dollar)...].prefix { $0.isASCII && $0.isWholeNumber }
            rest = rest[digits.endIndex...]
            guard !previous.isLetter, let number = Int(digits) else {
                out += "$" + digits
                continue
            }
            out += number == highest + 1 ? "?" : "?\(number)"
            highest = max(highest, number)
        }
        return out + rest
    }
}
