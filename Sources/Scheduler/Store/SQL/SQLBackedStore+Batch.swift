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
                 .double(build.priority), .int(0), time, time, .text(Self.tagColumn(build.requiredTags))]
            }, &parameters)
            // RETURNING's row order is not promised, so the rows say which build they are.
            let rows = try db.query("INSERT INTO builds (repo, pkgbase, version, arch, state, priority, attempts, created_at, updated_at, required_tags) "
                                    + "\(values) ON CONFLICT (repo, pkgbase, version) DO NOTHING RETURNING id, repo, pkgbase, version",
                                    parameters)
            for row in rows { ids[VersionKey(row, at: 1)] = row.buildID(0) }
        }
        return ids
    }

    /// The ids of the builds queued at these versions (those never queued are absent).
    func ids(of keys: [VersionKey], _ db: any SQLConnection) throws -> [VersionKey: BuildID] {
        var ids: [VersionKey: BuildID] = [:]
        for chunk in keys.chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            let values = Self.values(chunk.map { [.text($0.package.repo), .text($0.package.pkgbase), .text($0.version)] }, &parameters)
            for row in try db.query("SELECT id, repo, pkgbase, version FROM builds WHERE (repo, pkgbase, version) IN (\(values))", parameters) {
                ids[VersionKey(row, at: 1)] = row.buildID(0)
            }
        }
        return ids
    }

    /// The build a dependency on each package waits for, unless the batch has one: its
    /// newest build that was not superseded. A package never queued is absent.
    func newestLive(_ packages: [PackageBaseID], _ db: any SQLConnection) throws -> [PackageBaseID: BuildID] {
        var newest: [PackageBaseID: BuildID] = [:]
        for chunk in packages.chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            let values = Self.values(chunk.map { [.text($0.repo), .text($0.pkgbase)] }, &parameters)
            let rows = try db.query("SELECT repo, pkgbase, max(id) FROM builds WHERE state <> 'superseded' "
                                    + "AND (repo, pkgbase) IN (\(values)) GROUP BY repo, pkgbase", parameters)
            for row in rows { newest[PackageBaseID(repo: row.string(0), pkgbase: row.string(1))] = row.buildID(2) }
        }
        return newest
    }

    /// Gives each new build an edge to the build each of its dependencies names: the
    /// batch's own build of that pkgbase, else its newest live one; a pkgbase never
    /// queued gets no edge (the repo already has it).
    func insertEdges(_ created: [(build: PlannedBuild, id: BuildID)], batch: [PackageBaseID: BuildID],
                     _ db: any SQLConnection) throws {
        let outside = Set(created.flatMap(\.build.dependencies)).filter { batch[$0] == nil }
        let live = try newestLive(outside.sorted { ($0.repo, $0.pkgbase) < ($1.repo, $1.pkgbase) }, db)
        var edges: [(build: BuildID, dependsOn: BuildID)] = []
        for (build, id) in created {
            var targets = Set<BuildID>()
            for dependency in build.dependencies where dependency != build.package {
                guard let target = batch[dependency] ?? live[dependency], targets.insert(target).inserted else { continue }
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
