import Foundation
import Repo

/// Handing builds to workers: claims, leases and results.
extension SQLBackedStore {
    /// One statement takes the best ready row and leases it: PostgreSQL skips rows other
    /// claimers hold (`FOR UPDATE SKIP LOCKED`), SQLite runs it in an immediate
    /// transaction, so no two claimers ever get the same build. A build is only handed
    /// to a worker with every tag it requires (``tagCondition(_:_:)``).
    public func claim(worker: String, arches: [String], tags: [String]) throws -> BuildRecord? {
        if let calls = workerRoleCalls { return try calls.claim(worker: worker, arches: arches, tags: tags) }
        var machine = BuildLifecycle(state: .ready)
        guard case .transition(let building, _) = machine.event(.claim) else { return nil }
        var parameters: [SQLValue] = [.text(building.name.rawValue), .text(worker)]
        let archList = (Set(arches).union(["any"])).sorted().map { arch in
            parameters.append(.text(arch))
            return "$\(parameters.count)"
        }.joined(separator: ", ")
        let tagged = Self.tagCondition(tags, &parameters)
        let time = parameters.count
        let sql = "UPDATE builds SET state = $1, worker = $2, lease_expires = $\(time + 1), started_at = $\(time + 2), "
            + "updated_at = $\(time + 2) WHERE id = (SELECT id FROM builds WHERE state = 'ready' AND arch IN (\(archList)) AND \(tagged) "
            + "ORDER BY priority DESC, id LIMIT 1\(dialect.skipLocked)) RETURNING \(Self.buildColumns)"
        return try claimTransaction { db in
            // The clock is read once the claim may run (after SQLite's write lock is
            // taken), so a claim's start is never earlier than the acceptance of the
            // dependencies that made it ready.
            let now = self.now
            return try records(db, sql, parameters + [.time(now.addingTimeInterval(options.leaseDuration)), .time(now)]).first
        }
    }

    public func renewLease(_ build: BuildID, worker: String) throws {
        if let calls = workerRoleCalls { return try calls.renewLease(build, worker: worker) }
        try transaction { db in
            let record = try load(db, build)
            try requireHolder(record, worker)
            try apply(.renewLease, to: record, db)
            try db.query("UPDATE builds SET lease_expires = $1 WHERE id = $2",
                         .time(now.addingTimeInterval(options.leaseDuration)), .int(build.rawValue))
        }
    }

    public func heartbeat(worker: String) throws -> Int {
        if let calls = workerRoleCalls { return try calls.heartbeat(worker: worker) }
        return try transaction { db in
            try db.query("UPDATE workers SET last_heartbeat = $1 WHERE name = $2", .time(now), .text(worker))
            return try db.query("UPDATE builds SET lease_expires = $1 WHERE worker = $2 AND state = 'building' RETURNING id",
                                .time(now.addingTimeInterval(options.leaseDuration)), .text(worker)).count
        }
    }

    public func expireLeases() throws -> [BuildID] {
        if let calls = workerRoleCalls { return try calls.expireLeases() }
        return try transaction { db in
            let expired = try records(db, "SELECT \(Self.buildColumns) FROM builds WHERE state = 'building' "
                                      + "AND lease_expires < $1 ORDER BY id\(dialect.skipLocked)", [.time(now)])
            for record in expired {
                try apply(.leaseExpired, to: record, db, setting: [("worker", .null), ("lease_expires", .null)])
            }
            return expired.map(\.id)
        }
    }

    public func release(_ build: BuildID, worker: String) throws {
        if let calls = workerRoleCalls { return try calls.release(build, worker: worker) }
        try transaction { db in
            let record = try load(db, build)
            try requireHolder(record, worker)
            try apply(.release, to: record, db, setting: [("worker", .null), ("lease_expires", .null), ("started_at", .null)])
        }
    }

    /// A built result's package files readable here are checksummed first, outside the
    /// transaction, and recorded with it (``artifactChecksums(of:)``).
    public func report(_ build: BuildID, worker: String, result: BuildResult) throws -> BuildRecord {
        let checksums = Self.checksums(of: result)
        if let calls = workerRoleCalls { return try calls.report(build, worker: worker, result: result, checksums: checksums) }
        return try transaction { db in
            let record = try load(db, build)
            try requireHolder(record, worker)
            let time = now
            var columns: [(String, SQLValue)] = [("lease_expires", .null), ("finished_at", .time(time))]
            switch result {
            case .built(let log, let artifacts, let facts):
                columns += [("log_ref", .optional(log)), ("artifacts", .text(artifacts.joined(separator: "\n")))]
                try apply(.built, to: record, db, setting: columns)
                try db.query("DELETE FROM artifact_checksums WHERE build_id = $1", .int(build.rawValue))
                for (path, sha256) in checksums.sorted(by: { $0.key < $1.key }) {
                    try db.query("INSERT INTO artifact_checksums (build_id, path, sha256) VALUES ($1, $2, $3)",
                                 .int(build.rawValue), .text(path), .text(sha256))
                }
                try recordFacts(facts, of: build, db)
                if let started = record.startedAt {
                    try appendHistory(record.package, version: record.version,
                                      seconds: time.timeIntervalSince(started), db)
                }
                // A staged dependency rejected while this built against it.
                let status = try dependencyStatus(of: [build], db)[build] ?? .done
                if case .failed = status { try apply(.dependencies(status), to: try load(db, build), db) }
            case .failed(let failure, let reason, let log):
                columns += [("log_ref", .optional(log)), ("reason", .text(reason))]
                try apply(.failed(failure), to: record, db, setting: columns)
            }
            return try load(db, build, forUpdate: false)
        }
    }

    /// The sha256 of each reported package file this machine can read. A remote waka's
    /// paths are not readable here, so nothing is recorded for them and accept falls back
    /// to re-reading the package (docs/review.md).
    static func checksums(of result: BuildResult) -> [String: String] {
        guard case .built(_, let artifacts, _) = result else { return [:] }
        var sums: [String: String] = [:]
        for path in artifacts where access(path, R_OK) == 0 {
            sums[path] = try? FileChecksum.sha256(ofFileAt: path)
        }
        return sums
    }

    /// A worker may only touch a build it holds; another holder means its lease was
    /// lost. (A build no longer building is refused by the lifecycle itself.)
    func requireHolder(_ record: BuildRecord, _ worker: String) throws {
        guard record.state != .building || record.worker == worker else {
            throw StoreError.notHolder(record.id, worker: worker, holder: record.worker)
        }
    }
}
