import Foundation
import Graph

/// A maintainer's decisions: accept, reject, cancel, retry, priorities and marks; and
/// staging, which the waka that built a build records.
extension SQLBackedStore {
    public func accept(_ build: BuildID) throws {
        try transaction { db in
            try apply(.accept, to: try load(db, build), db, setting: [("reviewed_at", .time(now))])
        }
    }

    public func stage(_ build: BuildID) throws {
        try transaction { db in
            try apply(.staged, to: try load(db, build), db, setting: [("staged_at", .time(now))])
        }
    }

    public func reject(_ build: BuildID, reason: String) throws {
        try transaction { db in
            let record = try load(db, build)
            try apply(.reject, to: record, db, setting: [("reviewed_at", .time(now)), ("reason", .text(reason))])
            try mark(RejectionMark(package: record.package, version: record.version, reason: reason, markedAt: now), db)
        }
    }

    public func cancel(_ build: BuildID) throws {
        try transaction { db in
            try apply(.cancel, to: try load(db, build), db, setting: [("worker", .null), ("lease_expires", .null)])
        }
    }

    public func retry(_ build: BuildID) throws {
        try transaction { db in
            let record = try load(db, build)
            let status = try dependencyStatus(of: [build], db)[build] ?? .done
            try apply(.retry(status), to: record, db, setting: [("worker", .null), ("lease_expires", .null), ("reason", .null)])
            if record.state == .rejected { try unmark(record.package, version: record.version, db) }
        }
    }

    public func setPriority(_ build: BuildID, _ priority: Double) throws {
        let rows = try autocommit { db in
            try db.query("UPDATE builds SET priority = $1 WHERE id = $2 RETURNING id", .double(priority), .int(build.rawValue))
        }
        if rows.isEmpty { throw StoreError.noSuchBuild(build) }
    }

    public func mark(_ mark: RejectionMark) throws {
        try autocommit { db in try self.mark(mark, db) }
    }

    public func unmark(_ package: PackageBaseID, version: String) throws {
        try autocommit { db in try unmark(package, version: version, db) }
    }

    public func marks() throws -> [RejectionMark] {
        try autocommit(markList)
    }

    func markList(_ db: any SQLConnection) throws -> [RejectionMark] {
        try db.query("SELECT repo, pkgbase, version, reason, marked_at FROM marks ORDER BY repo, pkgbase, version").map { row in
            RejectionMark(package: PackageBaseID(repo: row.string(0), pkgbase: row.string(1)), version: row.string(2),
                          reason: row.string(3), markedAt: row.time(4) ?? .distantPast)
        }
    }

    private func mark(_ mark: RejectionMark, _ db: any SQLConnection) throws {
        try db.query("INSERT INTO marks (repo, pkgbase, version, reason, marked_at) VALUES ($1, $2, $3, $4, $5) "
                     + "ON CONFLICT (repo, pkgbase, version) DO UPDATE SET reason = excluded.reason, marked_at = excluded.marked_at",
                     .text(mark.package.repo), .text(mark.package.pkgbase), .text(mark.version), .text(mark.reason),
                     .time(mark.markedAt))
    }

    private func unmark(_ package: PackageBaseID, version: String, _ db: any SQLConnection) throws {
        try db.query("DELETE FROM marks WHERE repo = $1 AND pkgbase = $2 AND version = $3",
                     .text(package.repo), .text(package.pkgbase), .text(version))
    }
}
