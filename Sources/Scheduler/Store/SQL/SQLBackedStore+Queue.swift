import Graph

/// Queueing the plan: `enqueue` and `supersede`.
extension SQLBackedStore {
    public func enqueue(_ builds: [PlannedBuild]) throws -> EnqueueResult {
        try transaction { db in
            var result = EnqueueResult()
            let marks = try markList(db)
            let marked = Set(marks.map { MarkKey($0.package, $0.version) })
            var batch: [PackageBaseID: BuildID] = [:]
            var created: [(PlannedBuild, BuildID)] = []
            for build in builds {
                if marked.contains(MarkKey(build.package, build.version)) {
                    result.markedRejected.append(build)
                } else if let id = try insert(build, db) {
                    result.enqueued.append(id)
                    created.append((build, id))
                    batch[build.package] = id
                } else if let id = try existing(build, db) {
                    result.existing.append(id)
                    batch[build.package] = id
                }
            }
            for (build, id) in created {
                result.superseded += try supersede(build.package, keeping: id, db)
                try clearOlderMarks(of: build, in: marks, db)
            }
            for (build, id) in created {
                for dependency in build.dependencies where dependency != build.package {
                    guard let target = try batch[dependency] ?? newestLive(dependency, db) else { continue }
                    try db.query("INSERT INTO build_edges (build_id, depends_on) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                 .int(id.rawValue), .int(target.rawValue))
                }
            }
            try reevaluate(result.enqueued, db)
            if result.enqueued.count >= 100, let refresh = dialect.refreshStatistics { try db.query(refresh) }
            return result
        }
    }

    public func supersede(_ package: PackageBaseID, keeping version: String) throws -> [BuildID] {
        try transaction { db in
            let keep = try db.query("SELECT id FROM builds WHERE repo = $1 AND pkgbase = $2 AND version = $3",
                                    .text(package.repo), .text(package.pkgbase), .text(version)).first?.buildID(0)
            return try supersede(package, keeping: keep, db)
        }
    }

    /// Supersedes the queued, unstarted builds of `package` other than `keep`, moving
    /// their dependents' edges to `keep` (dropping them when there is nothing to keep).
    private func supersede(_ package: PackageBaseID, keeping keep: BuildID?, _ db: any SQLConnection) throws -> [BuildID] {
        let stale = try records(db, "SELECT \(Self.buildColumns) FROM builds WHERE repo = $1 AND pkgbase = $2 AND id <> $3 "
                                + "AND state IN ('waiting', 'ready', 'blocked') ORDER BY id\(dialect.forUpdate)",
                                [.text(package.repo), .text(package.pkgbase), .int(keep?.rawValue ?? -1)])
        for record in stale {
            try apply(.supersede, to: record, db)
            if let keep {
                try db.query("INSERT INTO build_edges (build_id, depends_on) SELECT build_id, $1 FROM build_edges "
                             + "WHERE depends_on = $2 AND build_id <> $1 ON CONFLICT DO NOTHING",
                             .int(keep.rawValue), .int(record.id.rawValue))
            }
            let moved = try db.query("DELETE FROM build_edges WHERE depends_on = $1 RETURNING build_id", .int(record.id.rawValue))
            try reevaluate(moved.compactMap { $0.buildID(0) }, db)
        }
        return stale.map(\.id)
    }

    /// A newer version queued clears the rejection marks of the older ones: the verdict
    /// was on that version, and a PKGBUILD that moved past it is a new candidate.
    private func clearOlderMarks(of build: PlannedBuild, in marks: [RejectionMark], _ db: any SQLConnection) throws {
        for mark in marks where mark.package == build.package && Version.compare(mark.version, build.version) < 0 {
            try db.query("DELETE FROM marks WHERE repo = $1 AND pkgbase = $2 AND version = $3",
                         .text(mark.package.repo), .text(mark.package.pkgbase), .text(mark.version))
        }
    }

    /// Inserts a new build as `waiting`; nil when that version is already queued.
    private func insert(_ build: PlannedBuild, _ db: any SQLConnection) throws -> BuildID? {
        let time = SQLValue.time(now)
        return try db.query(
            "INSERT INTO builds (repo, pkgbase, version, arch, state, priority, attempts, created_at, updated_at) "
                + "VALUES ($1, $2, $3, $4, 'waiting', $5, 0, $6, $6) ON CONFLICT (repo, pkgbase, version) DO NOTHING RETURNING id",
            .text(build.package.repo), .text(build.package.pkgbase), .text(build.version), .text(build.arch),
            .double(build.priority), time).first?.buildID(0)
    }

    private func existing(_ build: PlannedBuild, _ db: any SQLConnection) throws -> BuildID? {
        try db.query("SELECT id FROM builds WHERE repo = $1 AND pkgbase = $2 AND version = $3",
                     .text(build.package.repo), .text(build.package.pkgbase), .text(build.version)).first?.buildID(0)
    }

    /// The build a dependency on `package` waits for: its newest build that was not superseded.
    private func newestLive(_ package: PackageBaseID, _ db: any SQLConnection) throws -> BuildID? {
        try db.query("SELECT id FROM builds WHERE repo = $1 AND pkgbase = $2 AND state <> 'superseded' ORDER BY id DESC LIMIT 1",
                     .text(package.repo), .text(package.pkgbase)).first?.buildID(0)
    }
}

/// A (package, version) pair as a set key.
struct MarkKey: Hashable {
    let package: PackageBaseID
    let version: String
    init(_ package: PackageBaseID, _ version: String) {
        self.package = package
        self.version = version
    }
}
