import Graph

/// Queueing the plan: `enqueue` and `supersede`. A catch-up queues a whole distro at
/// once (12,000 builds), so each step handles the batch in a few multi-row statements
/// rather than a few statements per build: on PostgreSQL every statement is a round
/// trip, and per build they made a catch-up take seconds.
extension SQLBackedStore {
    public func enqueue(_ builds: [PlannedBuild]) throws -> EnqueueResult {
        try transaction { db in try enqueue(builds, db) }
    }

    /// ``enqueue(_:)`` inside a transaction the caller holds.
    func enqueue(_ builds: [PlannedBuild], _ db: any SQLConnection) throws -> EnqueueResult {
        var result = EnqueueResult()
        let marks = try markList(db)
        // a mark names a version: it holds back every pass of it
        let marked = Set(marks.map { VersionKey($0.package, $0.version) })
        result.markedRejected = builds.filter { marked.contains(VersionKey($0).anyPass) }
        let wanted = builds.filter { !marked.contains(VersionKey($0).anyPass) }
        let fresh = try insertNew(wanted, db)
        let ids = fresh.merging(try ids(of: wanted.map(VersionKey.init).filter { fresh[$0] == nil }, db)) { new, _ in new }
        // The same version given twice is created once and `existing` the second time.
        var first = Set<VersionKey>()
        var batch = BatchIDs()
        var created: [(build: PlannedBuild, id: BuildID)] = []
        var known: [(build: PlannedBuild, id: BuildID)] = []
        for build in wanted {
            let key = VersionKey(build)
            guard let id = ids[key] else { continue }
            if fresh[key] != nil && first.insert(key).inserted {
                result.enqueued.append(id)
                created.append((build, id))
            } else {
                result.existing.append(id)
                known.append((build, id))
            }
            batch.add(build, id)
        }
        result.retagged = try retag(known, db)
        // Of two new versions of one pkgbase in a batch, the later is kept, with every
        // pass of it (also those queued before: a pass 2 added to a queued pass 1).
        var keptVersion: [PackageBaseID: String] = [:]
        for (build, _) in created { keptVersion[build.package] = build.version }
        var kept: [PackageBaseID: [Int: BuildID]] = [:]
        for (build, id) in created + known where keptVersion[build.package] == build.version {
            kept[build.package, default: [:]][build.pass] = id
        }
        var listed = Set<PackageBaseID>()
        let packages = created.map(\.build.package).filter { listed.insert($0).inserted }
        // A new version takes over the queued dependents of a failed older one, before
        // supersede (as when each build is queued alone) and again after the batch's
        // own edges are in (a new build's edge to the failed version moves too).
        let replacements = packages.compactMap { package in
            batch.last[package].map { (package, keptVersion[package] ?? "", $0) }
        }
        var takenOver = try replaceUnsuccessful(replacements, db)
        let (superseded, moved) = try supersede(packages.map { ($0, kept[$0] ?? [:]) }, db)
        result.superseded = superseded
        for (build, _) in created { try clearOlderMarks(of: build, in: marks, db) }
        try insertEdges(created, batch: batch, db)
        takenOver += try replaceUnsuccessful(replacements, db)
        takenOver += try moveToLastPass(created, batch: batch, firstPassUsers: created + known, db)
        let waiting = BuildLifecycle(state: .waiting, retryLimit: options.retryLimit)
        let changed = try settle(result.enqueued.map { ($0, waiting) }, db)
        try reevaluate(moved + takenOver + (try dependents(of: changed, db)), db)
        if result.enqueued.count >= 100, let refresh = dialect.refreshStatistics { try db.query(refresh) }
        return result
    }

    public func supersede(_ package: PackageBaseID, keeping version: String) throws -> [BuildID] {
        try transaction { db in
            let rows = try db.query("SELECT pass, id FROM builds WHERE repo = $1 AND pkgbase = $2 AND version = $3",
                                    .text(package.repo), .text(package.pkgbase), .text(version))
            let keep = Dictionary(rows.compactMap { row in row.buildID(1).map { (Int(row.int(0) ?? 1), $0) } }) { a, _ in a }
            let (superseded, moved) = try supersede([(package, keep)], db)
            try reevaluate(moved, db)
            return superseded
        }
    }

    /// Supersedes the queued, unstarted builds of each package other than those to keep
    /// (every pass of the kept version, by pass), moving their dependents' edges to the
    /// kept build of the same pass, else the last one (dropping them when there is
    /// nothing to keep; a dependent outside a cycle that lands on a pass 1 is moved on by
    /// `moveToLastPass`). Returns
    /// the superseded builds, by package in the order given and then oldest first, and
    /// the dependents whose edges moved, which the caller re-evaluates once the kept
    /// builds have their own edges.
    private func supersede(_ packages: [(package: PackageBaseID, keep: [Int: BuildID])],
                           _ db: any SQLConnection) throws -> (superseded: [BuildID], moved: [BuildID]) {
        var stale: [BuildRecord] = []
        for chunk in packages.chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            let values = Self.values(chunk.map { [.text($0.package.repo), .text($0.package.pkgbase)] }, &parameters)
            let kept = chunk.flatMap(\.keep.values)
            let keptList = Self.list(kept, &parameters)
            stale += try records(db, "SELECT \(Self.buildColumns) FROM builds WHERE state IN ('waiting', 'ready', 'blocked') "
                                 + "AND (repo, pkgbase) IN (\(values))" + (kept.isEmpty ? "" : " AND id NOT IN (\(keptList))")
                                 + " ORDER BY id\(dialect.forUpdate)", parameters)
        }
        guard !stale.isEmpty else { return ([], []) }
        let position = Dictionary(packages.enumerated().map { ($1.package, $0) }) { first, _ in first }
        stale.sort { (position[$0.package] ?? 0, $0.id) < (position[$1.package] ?? 0, $1.id) }
        _ = try applyAll(stale.map { ($0.id, lifecycle(of: $0), .supersede) }, db)
        let keep = Dictionary(packages.map { ($0.package, $0.keep) }) { first, _ in first }
        let moves = stale.compactMap { record -> (stale: BuildID, keep: BuildID)? in
            guard let passes = keep[record.package], let last = passes.max(by: { $0.key < $1.key }) else { return nil }
            return (record.id, passes[record.pass] ?? last.value)
        }
        for chunk in moves.chunked(Self.idsPerStatement) {
            let pairs = chunk.map { "(\($0.stale.rawValue), \($0.keep.rawValue))" }.joined(separator: ", ")
            try db.query("INSERT INTO build_edges (build_id, depends_on) SELECT e.build_id, m.column2 FROM build_edges e "
                         + "JOIN (VALUES \(pairs)) m ON e.depends_on = m.column1 WHERE e.build_id <> m.column2 ON CONFLICT DO NOTHING")
        }
        var moved = Set<BuildID>()
        for chunk in stale.map(\.id).chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            let list = Self.list(chunk, &parameters)
            let rows = try db.query("DELETE FROM build_edges WHERE depends_on IN (\(list)) RETURNING build_id", parameters)
            moved.formUnion(rows.compactMap { $0.buildID(0) })
        }
        return (stale.map(\.id), moved.sorted())
    }

    /// A new version of a pkgbase whose build failed, was rejected or cancelled is the
    /// fix its blocked dependents wait for: their edges move from the old build to the
    /// new one, so they proceed by themselves once it is accepted (no retry needed). Only
    /// queued dependents move; finished ones keep their history. Returns the dependents
    /// that moved, for the caller to re-evaluate. Builds of the new version itself (a
    /// failed pass 1 its pass 2 waits for) are not replaced by it.
    private func replaceUnsuccessful(_ packages: [(package: PackageBaseID, version: String, new: BuildID)],
                                     _ db: any SQLConnection) throws -> [BuildID] {
        var pairs: [(old: BuildID, new: BuildID)] = []
        let new = Dictionary(packages.map { ($0.package, ($0.version, $0.new)) }) { first, _ in first }
        for chunk in packages.chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            let values = Self.values(chunk.map { [.text($0.package.repo), .text($0.package.pkgbase)] }, &parameters)
            let rows = try db.query("SELECT id, repo, pkgbase, version FROM builds WHERE state IN ('failed', 'rejected', 'cancelled') "
                                    + "AND (repo, pkgbase) IN (\(values))", parameters)
            for row in rows {
                guard let old = row.buildID(0), let replacement = new[PackageBaseID(repo: row.string(1), pkgbase: row.string(2))],
                      replacement.0 != row.string(3) else { continue }
                pairs.append((old, replacement.1))
            }
        }
        var moved = Set<BuildID>()
        for chunk in pairs.chunked(Self.idsPerStatement) {
            let values = chunk.map { "(\($0.old.rawValue), \($0.new.rawValue))" }.joined(separator: ", ")
            let queued = "SELECT id FROM builds WHERE state IN ('waiting', 'blocked')"
            try db.query("INSERT INTO build_edges (build_id, depends_on) SELECT e.build_id, m.column2 FROM build_edges e "
                         + "JOIN (VALUES \(values)) m ON e.depends_on = m.column1 WHERE e.build_id <> m.column2 "
                         + "AND e.build_id IN (\(queued)) ON CONFLICT DO NOTHING")
            // every queued dependent now waits for the new build: drop its edge to the old one
            let rows = try db.query("DELETE FROM build_edges WHERE depends_on IN (\(Self.list(chunk.map(\.old)))) "
                                    + "AND build_id IN (\(queued)) RETURNING build_id")
            moved.formUnion(rows.compactMap { $0.buildID(0) })
        }
        return moved.sorted()
    }

    /// A newer version queued clears the rejection marks of the older ones: the verdict
    /// was on that version, and a PKGBUILD that moved past it is a new candidate.
    private func clearOlderMarks(of build: PlannedBuild, in marks: [RejectionMark], _ db: any SQLConnection) throws {
        for mark in marks where mark.package == build.package && Version.compare(mark.version, build.version) < 0 {
            try db.query("DELETE FROM marks WHERE repo = $1 AND pkgbase = $2 AND version = $3",
                         .text(mark.package.repo), .text(mark.package.pkgbase), .text(mark.version))
        }
    }
}

/// A (package, version, pass) triple: a build's identity in the store (schema 9); with
/// pass 1, also a mark's, which holds back every pass of its version (``anyPass``).
struct VersionKey: Hashable {
    let package: PackageBaseID
    let version: String
    let pass: Int

    init(_ package: PackageBaseID, _ version: String, pass: Int = 1) {
        self.package = package
        self.version = version
        self.pass = pass
    }

    init(_ build: PlannedBuild) { self.init(build.package, build.version, pass: build.pass) }

    /// Reads the key from `repo, pkgbase, version, pass` columns starting at `column`.
    init(_ row: SQLRow, at column: Int) {
        self.init(PackageBaseID(repo: row.string(column), pkgbase: row.string(column + 1)), row.string(column + 2),
                  pass: Int(row.int(column + 3) ?? 1))
    }

    /// The key a mark on this version has.
    var anyPass: VersionKey { VersionKey(package, version) }
}
