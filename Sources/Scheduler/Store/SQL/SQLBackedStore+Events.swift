import Foundation

extension SQLBackedStore {
    public func events(after id: Int64, limit: Int) throws -> [StoreEvent] {
        try autocommit { db in
            try db.query("SELECT id, kind, build_id, worker, at FROM events WHERE id > $1 ORDER BY id LIMIT $2", .int(id), .int(Int64(limit)))
                .compactMap { row in
                    guard let id = row.int(0), let kind = StoreEvent.Kind(rawValue: row.string(1)), let build = row.buildID(2) else { return nil }
                    return StoreEvent(id: id, kind: kind, build: build, worker: row.text(3), at: row.time(4) ?? .distantPast)
                }
        }
    }

    public func lastEventID() throws -> Int64 {
        try autocommit { db in try db.query("SELECT COALESCE(MAX(id), 0) FROM events").first?.int(0) ?? 0 }
    }

    public func notifyCursor(_ target: String) throws -> Int64? {
        try autocommit { db in try db.query("SELECT delivered FROM notify_cursors WHERE target = $1", .text(target)).first?.int(0) }
    }

    public func setNotifyCursor(_ target: String, _ id: Int64) throws {
        try autocommit { db in
            try db.query("INSERT INTO notify_cursors (target, delivered) VALUES ($1, $2) "
                         + "ON CONFLICT (target) DO UPDATE SET delivered = excluded.delivered", .text(target), .int(id))
        }
    }
}
