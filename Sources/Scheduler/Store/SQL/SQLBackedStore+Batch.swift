import Graph

/// The multi-row statements `enqueue` is made of: rows inserted and looked up a chunk
/// per statement (values as parameters, ids inlined), the same text on both backends.
extension SQLBackedStore {
    /// Inserts the builds not yet queued, as `waiting`; returns the new ids by version (a
    /// version given twice is inserted once). Ids are handed out in the order given.
    func insertNew(_ builds: [PlannedBuild], _ db: any SQLConnection) throws -> [VersionKey: BuildID] {
        var seen = Set<VersionKey>()
        let unique = builds.filter { seen.insert(VersionKey($0)).inserted }
        let time = SQLValue.time(now)
        let state = SQLValue.text(BuildState.waiting.name.rawValue)
        var ids: [VersionKey: BuildID] = [:]
        for chunk in unique.chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            let values = Self.values(chunk.map { build in
                [.text(build.package.repo), .text(build.package.pkgbase), .text(build.version), .text(build.arch), state,
                 .double(build.priority), .int(0), time, time, .text(Self.tagColumn(build.requiredTags)), .int(Int64(build.pass))]
            }, &parameters)
            // RETURNING's row order is not promised, so the rows say which build they are.
            let rows = try db.query("INSERT INTO builds (repo, pkgbase, version, arch, state, priority, attempts, created_at, updated_at, "
                                    + "required_tags, pass) \(values) ON CONFLICT (repo, pkgbase, version, pass) DO NOTHING "
                                    + "RETURNING id, repo, pkgbase, version, pass", parameters)
            for row in rows { ids[VersionKey(row, at: 1)] = row.buildID(0) }
        }
        return ids
    }

    /// The ids of the builds queued at these versions and passes (those never queued
    /// are absent).
    func ids(of keys: [VersionKey], _ db: any SQLConnection) throws -> [VersionKey: BuildID] {
        var ids: [VersionKey: BuildID] = [:]
        let wanted = Set(keys)
        for chunk in Array(Set(keys.map(\.anyPass))).chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            // by version, passes picked here: PostgreSQL types a VALUES list's parameters as text
            let values = Self.values(chunk.map { [.text($0.package.repo), .text($0.package.pkgbase), .text($0.version)] }, &parameters)
            for row in try db.query("SELECT id, repo, pkgbase, version, pass FROM builds WHERE (repo, pkgbase, version) "
                                    + "IN (\(values))", parameters) where wanted.contains(VersionKey(row, at: 1)) {
                ids[VersionKey(row, at: 1)] = row.buildID(0)
            }
        }
        return ids
    }

    /// The build a dependency on each package waits for, unless the batch has one: its
    /// newest build that was not superseded (of pass 1 only, when `firstPass`). A package
    /// never queued is absent.
    func newestLive(_ packages: [PackageBaseID], firstPass: Bool = false,
                    _ db: any SQLConnection) throws -> [PackageBaseID: BuildID] {
        var newest: [PackageBaseID: BuildID] = [:]
        for chunk in packages.chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            let values = Self.values(chunk.map { [.text($0.repo), .text($0.pkgbase)] }, &parameters)
            let rows = try db.query("SELECT repo, pkgbase, max(id) FROM builds WHERE state <> 'superseded' "
                                    + (firstPass ? "AND pass = 1 " : "")
                                    + "AND (repo, pkgbase) IN (\(values)) GROUP BY repo, pkgbase", parameters)
            for row in rows { newest[PackageBaseID(repo: row.string(0), pkgbase: row.string(1))] = row.buildID(2) }
        }
        return newest
    }

    /// Gives each new build an edge to the build each of its dependencies names: the
    /// batch's own build of that pkgbase (its last pass; its pass 1 for a first-pass
    /// dependency), else its newest live one; a pkgbase never queued gets no edge (the
    /// repo already has it).
    func insertEdges(_ created: [(build: PlannedBuild, id: BuildID)], batch: BatchIDs, _ db: any SQLConnection) throws {
        let byName = { (a: PackageBaseID, b: PackageBaseID) in (a.repo, a.pkgbase) < (b.repo, b.pkgbase) }
        let outside = Set(created.flatMap(\.build.dependencies)).filter { batch.last[$0] == nil }
        let live = try newestLive(outside.sorted(by: byName), db)
        let outsideFirst = Set(created.flatMap(\.build.firstPassDependencies)).filter { batch.first[$0] == nil }
        let liveFirst = try newestLive(outsideFirst.sorted(by: byName), firstPass: true, db)
        var edges: [(build: BuildID, dependsOn: BuildID)] = []
        for (build, id) in created {
            var targets = Set<BuildID>()
            let last = build.dependencies.filter { $0 != build.package }.map { batch.last[$0] ?? live[$0] }
            let first = build.firstPassDependencies.map { batch.first[$0] ?? liveFirst[$0] }
            for target in (last + first).compactMap({ $0 }) where target != id && targets.insert(target).inserted {
                edges.append((id, target))
            }
        }
        for chunk in edges.chunked(Self.idsPerStatement) {
            let rows = chunk.map { "(\($0.build.rawValue), \($0.dependsOn.rawValue))" }.joined(separator: ", ")
            try db.query("INSERT INTO build_edges (build_id, depends_on) VALUES \(rows) ON CONFLICT DO NOTHING")
        }
    }

    /// `rows` as a `VALUES` list of placeholders, their values appended to `parameters`.
    static func values(_ rows: [[SQLValue]], _ parameters: inout [SQLValue]) -> String {
        "VALUES " + rows.map { row in
            "(" + row.map { value in
                parameters.append(value)
                return "$\(parameters.count)"
            }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }
}

/// The builds of an `enqueue` batch by pkgbase: `last` is the one a plain dependency
/// waits for (the kept version's highest pass), `first` its pass 1.
struct BatchIDs {
    var last: [PackageBaseID: BuildID] = [:]
    var first: [PackageBaseID: BuildID] = [:]
    private var kept: [PackageBaseID: (version: String, pass: Int)] = [:]

    /// Of two versions the later given is kept; of one version's passes the highest.
    mutating func add(_ build: PlannedBuild, _ id: BuildID) {
        if let current = kept[build.package], current.version == build.version, current.pass > build.pass {
            // an earlier pass listed after a later one: the later stays the last
        } else {
            if kept[build.package]?.version != build.version { first[build.package] = nil }
            kept[build.package] = (build.version, build.pass)
            last[build.package] = id
        }
        if build.pass == 1, kept[build.package]?.version == build.version { first[build.package] = id }
    }
}
