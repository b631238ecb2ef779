import Foundation
import Graph
import Sandbox

/// The event log and the notification cursors (schema 15, ``EventLog``).
extension SQLBackedStore {
    public func events(after sequence: Int64, limit: Int) throws -> [StoreEvent] {
        try numberNewEvents()
        return try autocommit { db in
            try db.query("SELECT \(Self.eventColumns) FROM events WHERE seq > $1 ORDER BY seq LIMIT $2", .int(sequence), .int(Int64(limit)))
                .map { row in
                    var event = try Self.event(row)
                    if let set = row.int(14) { event.set = try publishedSet(set, db) }
                    return event
                }
        }
    }

    public func holdNotifyTarget(_ target: String, holder: String, until: Date) throws -> NotifyHold {
        try numberNewEvents()
        return try transaction { db in
            guard let row = try db.query("SELECT delivered, holder, held_until FROM notify_cursors WHERE target = $1\(dialect.forUpdate)",
                                         .text(target)).first else {
                let newest = try db.query("SELECT COALESCE(MAX(seq), 0) FROM events").first?.int(0) ?? 0
                try db.query("INSERT INTO notify_cursors (target, delivered, holder, held_until) VALUES ($1, $2, $3, $4)",
                             .text(target), .int(newest), .text(holder), .time(until))
                return .held(cursor: newest)
            }
            if let other = row.text(1), other != holder, let end = row.time(2), end > now {
                return .heldBy(other, until: end)
            }
            try db.query("UPDATE notify_cursors SET holder = $1, held_until = $2 WHERE target = $3", .text(holder), .time(until), .text(target))
            return .held(cursor: row.int(0) ?? 0)
        }
    }

    public func advanceNotifyCursor(_ target: String, to sequence: Int64, holder: String, until: Date) throws -> Bool {
        try autocommit { db in
            !(try db.query("UPDATE notify_cursors SET delivered = $1, held_until = $2 WHERE target = $3 AND holder = $4 RETURNING target",
                           .int(sequence), .time(until), .text(target), .text(holder))).isEmpty
        }
    }

    public func releaseNotifyTarget(_ target: String, holder: String) throws {
        try autocommit { db in
            try db.query("UPDATE notify_cursors SET holder = NULL, held_until = NULL WHERE target = $1 AND holder = $2", .text(target), .text(holder))
        }
    }

    public func notifyCursors() throws -> [NotifyCursor] {
        try autocommit { db in
            try db.query("SELECT target, delivered, holder, held_until FROM notify_cursors ORDER BY target").map { row in
                NotifyCursor(target: row.string(0), delivered: row.int(1) ?? 0, holder: row.text(2), heldUntil: row.time(3))
            }
        }
    }

    @discardableResult
    public func pruneEvents(before date: Date) throws -> Int {
        try autocommit { db in
            try db.query("DELETE FROM events WHERE at < $1 AND seq < (SELECT MAX(seq) FROM events) RETURNING id", .time(date)).count
        }
    }

    /// Gives the events that have become visible since the last call their delivery
    /// numbers, after every number given so far, in id order; one numbering at a time
    /// (``EventLog/numberingLock(_:)``), so the numbers only grow in the order they are
    /// seen. A cheap read first: most calls find nothing to number and write nothing.
    func numberNewEvents() throws {
        let pending = try autocommit { db in try db.query("SELECT id FROM events WHERE seq IS NULL LIMIT 1") }
        guard !pending.isEmpty else { return }
        try transaction { db in
            if let lock = EventLog.numberingLock(dialect) { try db.query(lock) }
            let ids = try db.query("SELECT id FROM events WHERE seq IS NULL ORDER BY id LIMIT 10000").compactMap { $0.int(0) }
            var next = try db.query("SELECT COALESCE(MAX(seq), 0) FROM events").first?.int(0) ?? 0
            for id in ids {
                next += 1
                try db.query("UPDATE events SET seq = $1 WHERE id = $2", .int(next), .int(id))
            }
        }
    }

    static let eventColumns = "id, seq, kind, at, build_id, repo, pkgbase, version, arch, pass, state, failure_class, reason, worker, set_id"

    /// A `set.published` event's set (schema 17): published, it no longer changes.
    func publishedSet(_ id: Int64, _ db: any SQLConnection) throws -> StoreEvent.PublishedSet {
        let reason = try db.query("SELECT reason FROM rebuild_sets WHERE id = $1", .int(id)).first?.string(0) ?? ""
        let members = try db.query("SELECT b.id, b.repo, b.pkgbase, b.version, b.arch, m.role, m.published_at FROM rebuild_set_members m "
                                   + "JOIN builds b ON b.id = m.build_id WHERE m.set_id = $1 ORDER BY m.build_id", .int(id)).map { row in
            StoreEvent.PublishedSet.Member(build: BuildID(row.int(0) ?? 0), package: PackageBaseID(repo: row.string(1), pkgbase: row.string(2)),
                                           version: row.string(3), arch: row.string(4),
                                           role: RebuildSet.Role(rawValue: row.string(5)) ?? .member, published: row.int(6) != nil)
        }
        return StoreEvent.PublishedSet(id: id, reason: reason, members: members)
    }

    static func event(_ row: SQLRow) throws -> StoreEvent {
        guard let kind = StoreEvent.Kind(rawValue: row.string(2)), let state = BuildState.Name(rawValue: row.string(10)) else {
            throw StoreError.corruptRow(table: "events", id: row.string(0), detail: "kind \(row.string(2)) or state \(row.string(10)) is unknown")
        }
        return StoreEvent(id: row.int(0) ?? 0, sequence: row.int(1) ?? 0, kind: kind, at: row.time(3) ?? .distantPast,
                          build: BuildID(row.int(4) ?? 0), package: PackageBaseID(repo: row.string(5), pkgbase: row.string(6)),
                          version: row.string(7), arch: row.string(8), pass: Int(row.int(9) ?? 1), state: state,
                          failure: row.text(11).flatMap(FailureClass.init), reason: row.text(12), worker: row.text(13))
    }
}
