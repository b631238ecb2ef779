import CLibPQ
import Foundation

/// One owned `PGconn`: connected on creation, finished exactly once. Not thread-safe by
/// itself; ``PostgresStore`` serializes access to it.
final class PostgresConnection: SQLConnection {
    private var handle: OpaquePointer?

    init(url: String, name: String) throws {
        handle = PQconnectdb(url)
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = errorMessage
            PQfinish(handle)
            handle = nil
            throw StoreError.cannotOpen(store: name, message: message)
        }
        silenceNotices()
    }

    deinit { PQfinish(handle) }

    /// Whether the server is gone (restarted, network cut): the store reconnects then.
    var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// Reconnects with the same parameters; true when the connection is back.
    func reconnect() -> Bool {
        PQreset(handle)
        guard !isBroken else { return false }
        silenceNotices()
        return true
    }

    var errorMessage: String {
        handle.flatMap { PQerrorMessage($0) }.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
            ?? "out of memory"
    }

    /// Parameterized, in text format: values never become part of the SQL text.
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        let values = parameters.map { $0.text.flatMap { strdup($0) } }
        defer { values.forEach { free($0) } }
        let result = values.map { UnsafePointer($0) }.withUnsafeBufferPointer { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers.baseAddress, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, sql)
        let columns = PQnfields(result)
        return (0 ..< PQntuples(result)).map { row in
            SQLRow(columns: (0 ..< columns).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
    }

    /// The one place libpq results become errors, with the server's message and SQLSTATE.
    private func check(_ result: OpaquePointer?, _ sql: String) throws {
        let status = PQresultStatus(result)
        guard status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK else { return }
        if result == nil || isBroken { throw StoreError.connectionLost(message: errorMessage) }
        // PG_DIAG_SQLSTATE is the character 'C', a macro Swift does not import.
        let sqlstate = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "?????"
        let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
        throw StoreError.postgres(sqlstate: sqlstate, message: message, sql: sql)
    }

    /// libpq prints NOTICEs ("relation already exists, skipping") to stderr by default;
    /// a library must not write there.
    private func silenceNotices() {
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }
}
