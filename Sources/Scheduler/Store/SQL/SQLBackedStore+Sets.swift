import Foundation

/// Rebuild sets (schema 16): which builds are published together, and how far each is.
extension SQLBackedStore {
    public func enqueueSet(_ builds: [PlannedBuild], root: BuildID, joining: [BuildID],
                           reason: String) throws -> (set: RebuildSet, result: EnqueueResult) {
        let (id, result): (Int64, EnqueueResult) = try transaction { db in
            _ = try load(db, root)
            let result = try enqueue(builds, db)
            let set = try insertSet(reason: reason, db)
            var members: [(build: BuildID, role: RebuildSet.Role)] = [(root, .library)]
            members += (result.enqueued + result.existing).map { ($0, .rebuild) }
            members += joining.map { ($0, .member) }
            try insertMembers(set, members, db)
            return (set, result)
        }
        return (try rebuildSet(id), result)
    }

    public func openSet(_ members: [(build: BuildID, role: RebuildSet.Role)], reason: String) throws -> RebuildSet {
        let id: Int64 = try transaction { db in
            for member in members { _ = try load(db, member.build) }
            let set = try insertSet(reason: reason, db)
            try insertMembers(set, members, db)
            return set
        }
        return try rebuildSet(id)
    }

    private func insertSet(reason: String, _ db: any SQLConnection) throws -> Int64 {
        guard let set = try db.query("INSERT INTO rebuild_sets (reason, state, created_at) VALUES ($1, 'open', $2) RETURNING id",
                                     .text(reason), .time(now)).first?.int(0) else {
            throw StoreError.corruptRow(table: "rebuild_sets", id: "?", detail: "no id returned")
        }
        return set
    }

    /// Each build once, with the first role given.
    private func insertMembers(_ set: Int64, _ members: [(build: BuildID, role: RebuildSet.Role)], _ db: any SQLConnection) throws {
        var seen = Set<BuildID>()
        for (build, role) in members where seen.insert(build).inserted {
            try db.query("INSERT INTO rebuild_set_members (set_id, build_id, role) VALUES ($1, $2, $3)",
                         .int(set), .int(build.rawValue), .text(role.rawValue))
        }
    }

    public func rebuildSets(openOnly: Bool) throws -> [RebuildSet] {
        try autocommit { db in
            try db.query("SELECT id FROM rebuild_sets" + (openOnly ? " WHERE state = 'open'" : "") + " ORDER BY id DESC")
                .compactMap { $0.int(0) }.map { try rebuildSet($0, db) }
        }
    }

    public func rebuildSet(_ id: Int64) throws -> RebuildSet {
        try autocommit { db in try rebuildSet(id, db) }
    }

    public func rebuildSet(of build: BuildID) throws -> RebuildSet? {
        try autocommit { db in
            try db.query("SELECT m.set_id FROM rebuild_set_members m JOIN rebuild_sets s ON s.id = m.set_id "
                         + "WHERE m.build_id = $1 AND s.state = 'open' AND m.dropped_at IS NULL AND m.published_at IS NULL "
                         + "ORDER BY m.set_id DESC", .int(build.rawValue))
                .first?.int(0).map { try rebuildSet($0, db) }
        }
    }

    public func approveSetMember(_ build: BuildID) throws {
        try memberUpdate(build, "approved_at = $1")
    }

    public func dropSetMember(_ build: BuildID) throws {
        try transaction { db in
            let sets = try liveSets(of: build, db)
            guard !sets.isEmpty else { throw StoreError.notInSet(build) }
            try db.query("UPDATE rebuild_set_members SET dropped_at = $1 WHERE build_id = $2 AND set_id IN (\(sets.map(String.init).joined(separator: ", ")))",
                         .time(now), .int(build.rawValue))
            for set in sets { try closeIfDone(set, db) }
        }
    }

    public func publishSetMembers(_ set: Int64, _ builds: [BuildID]) throws {
        try transaction { db in
            for build in builds {
                let record = try load(db, build)
                if record.state != .accepted {
                    try apply(.accept, to: record, db, setting: [("reviewed_at", .time(now))])
                }
                try db.query("UPDATE rebuild_set_members SET published_at = $1, approved_at = COALESCE(approved_at, $1) "
                             + "WHERE set_id = $2 AND build_id = $3", .time(now), .int(set), .int(build.rawValue))
            }
            try closeIfDone(set, db)
        }
    }

    private func memberUpdate(_ build: BuildID, _ assignment: String) throws {
        try transaction { db in
            let sets = try liveSets(of: build, db)
            guard !sets.isEmpty else { throw StoreError.notInSet(build) }
            try db.query("UPDATE rebuild_set_members SET \(assignment) WHERE build_id = $2 AND set_id IN (\(sets.map(String.init).joined(separator: ", ")))",
                         .time(now), .int(build.rawValue))
        }
    }

    private func liveSets(of build: BuildID, _ db: any SQLConnection) throws -> [Int64] {
        try db.query("SELECT m.set_id FROM rebuild_set_members m JOIN rebuild_sets s ON s.id = m.set_id WHERE m.build_id = $1 "
                     + "AND s.state = 'open' AND m.dropped_at IS NULL AND m.published_at IS NULL", .int(build.rawValue)).compactMap { $0.int(0) }
    }

    /// A set with no live member left is published.
    private func closeIfDone(_ set: Int64, _ db: any SQLConnection) throws {
        let live = try db.query("SELECT count(*) FROM rebuild_set_members WHERE set_id = $1 AND dropped_at IS NULL AND published_at IS NULL",
                                .int(set)).first?.int(0) ?? 0
        if live == 0 {
            try db.query("UPDATE rebuild_sets SET state = 'published', closed_at = $1 WHERE id = $2 AND state = 'open'", .time(now), .int(set))
        }
    }

    func rebuildSet(_ id: Int64, _ db: any SQLConnection) throws -> RebuildSet {
        guard let row = try db.query("SELECT id, reason, state, created_at, closed_at FROM rebuild_sets WHERE id = $1", .int(id)).first else {
            throw StoreError.noSuchSet(id)
        }
        guard let state = RebuildSet.State(rawValue: row.string(2)) else {
            throw StoreError.corruptRow(table: "rebuild_sets", id: String(id), detail: "state \(row.string(2))")
        }
        let members = try db.query("SELECT build_id, role, approved_at, dropped_at, published_at FROM rebuild_set_members "
                                   + "WHERE set_id = $1 ORDER BY build_id", .int(id)).map { member in
            RebuildSet.Member(build: BuildID(member.int(0) ?? 0), role: RebuildSet.Role(rawValue: member.string(1)) ?? .member,
                              approvedAt: member.time(2), droppedAt: member.time(3), publishedAt: member.time(4))
        }
        return RebuildSet(id: id, reason: row.string(1), state: state, createdAt: row.time(3) ?? .distantPast,
                          closedAt: row.time(4), members: members)
    }
}
