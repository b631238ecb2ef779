import Foundation

extension SQLBackedStore {
    public func recordAudit(_ entry: AuditEntry) throws {
        try autocommit { db in
            try db.query("INSERT INTO audit_log (at, actor, action, build_id, detail) VALUES ($1, $2, $3, $4, $5)",
                         .time(entry.at), .text(entry.actor), .text(entry.action), .int(entry.build.rawValue), .text(entry.detail))
        }
    }

    public func auditEntries(of build: BuildID?, limit: Int?) throws -> [AuditEntry] {
        try autocommit { db in
            let columns = "SELECT at, actor, action, build_id, detail FROM audit_log"
            let rows = try build.map { id in
                try db.query(columns + " WHERE build_id = $1 ORDER BY id DESC LIMIT $2", .int(id.rawValue), .int(Int64(limit ?? Int(Int32.max))))
            } ?? db.query(columns + " ORDER BY id DESC LIMIT $1", .int(Int64(limit ?? Int(Int32.max))))
            return rows.map { row in
                AuditEntry(actor: row.string(1), action: row.string(2), build: row.buildID(3) ?? BuildID(0), detail: row.string(4),
                           at: row.time(0) ?? .distantPast)
            }
        }
    }
}
