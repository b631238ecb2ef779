import Foundation
import Graph

/// Reading the store, workers and build history.
extension SQLBackedStore {
    public func build(_ id: BuildID) throws -> BuildRecord {
        try autocommit { db in try load(db, id, forUpdate: false) }
    }

    public func builds(state: BuildState.Name?, repo: String?, limit: Int?) throws -> [BuildRecord] {
        var parameters: [SQLValue] = []
        var conditions: [String] = []
        if let state { parameters.append(.text(state.rawValue)); conditions.append("state = $\(parameters.count)") }
        if let repo { parameters.append(.text(repo)); conditions.append("repo = $\(parameters.count)") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let cap = limit.map { " LIMIT \($0)" } ?? ""
        return try autocommit { db in
            try records(db, "SELECT \(Self.buildColumns) FROM builds\(filter) ORDER BY priority DESC, id\(cap)", parameters)
        }
    }

    public func builds(of package: PackageBaseID) throws -> [BuildRecord] {
        try autocommit { db in
            try records(db, "SELECT \(Self.buildColumns) FROM builds WHERE repo = $1 AND pkgbase = $2 ORDER BY id",
                        [.text(package.repo), .text(package.pkgbase)])
        }
    }

    public func artifactChecksums(of build: BuildID) throws -> [String: String] {
        try autocommit { db in
            Dictionary(try db.query("SELECT path, sha256 FROM artifact_checksums WHERE build_id = $1", .int(build.rawValue))
                .map { ($0.string(0), $0.string(1)) }, uniquingKeysWith: { a, _ in a })
        }
    }

    public func dependencies(of build: BuildID) throws -> [BuildID] {
        try autocommit { db in
            try db.query("SELECT depends_on FROM build_edges WHERE build_id = $1 ORDER BY depends_on", .int(build.rawValue))
                .compactMap { $0.buildID(0) }
        }
    }

    public func pendingDependencies(of builds: [BuildID]) throws -> [BuildID: [BuildRecord]] {
        guard !builds.isEmpty else { return [:] }
        return try autocommit { db in
            let list = builds.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            let edges = try db.query("SELECT build_id, depends_on FROM build_edges WHERE build_id IN (\(list)) ORDER BY build_id, depends_on",
                                     builds.map { .int($0.rawValue) })
                .compactMap { row in row.buildID(0).flatMap { build in row.buildID(1).map { (build, $0) } } }
            let targets = Array(Set(edges.map(\.1)))
            guard !targets.isEmpty else { return [:] }
            let targetList = targets.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            let pending = try records(db, "SELECT \(Self.buildColumns) FROM builds WHERE id IN (\(targetList)) AND state <> 'accepted'",
                                      targets.map { .int($0.rawValue) })
            let byID = Dictionary(pending.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var result: [BuildID: [BuildRecord]] = [:]
            for (build, target) in edges { if let record = byID[target] { result[build, default: []].append(record) } }
            return result
        }
    }

    public func counts() throws -> [StateCount] {
        try autocommit { db in
            try db.query("SELECT repo, state, count(*) FROM builds GROUP BY repo, state ORDER BY repo, state").compactMap { row in
                BuildState.Name(rawValue: row.string(1)).map { StateCount(repo: row.string(0), state: $0, count: Int(row.int(2) ?? 0)) }
            }
        }
    }

    public func tagDemand(state: BuildState.Name) throws -> [TagDemand] {
        try autocommit { db in
            try db.query("SELECT required_tags, count(*) FROM builds WHERE state = $1 AND required_tags <> '' "
                         + "GROUP BY required_tags ORDER BY required_tags", .text(state.rawValue)).map { row in
                TagDemand(tags: Self.tags(row.string(0)), count: Int(row.int(1) ?? 0))
            }
        }
    }

    /// Binds the name to this connection's login role (schema 11): the owner may take any
    /// name; a worker role only a name of its own (``WorkerRoleCalls``).
    public func register(_ worker: WorkerInfo) throws {
        if let calls = workerRoleCalls { return try calls.register(worker) }
        try autocommit { db in
            try db.query("INSERT INTO workers (name, host, arches, tags, slots, last_heartbeat, login_role) "
                         + "VALUES ($1, $2, $3, $4, $5, $6, \(dialect.sessionRole)) "
                         + "ON CONFLICT (name) DO UPDATE SET host = excluded.host, arches = excluded.arches, "
                         + "tags = excluded.tags, slots = excluded.slots, last_heartbeat = excluded.last_heartbeat, "
                         + "login_role = excluded.login_role",
                         .text(worker.name), .text(worker.host), .text(worker.arches.joined(separator: " ")),
                         .text(worker.tags.joined(separator: " ")), .int(Int64(worker.slots)), .time(worker.lastHeartbeat ?? now))
        }
    }

    public func workers() throws -> [WorkerInfo] {
        try autocommit { db in
            try db.query("SELECT name, host, arches, tags, slots, last_heartbeat FROM workers ORDER BY name").map { row in
                WorkerInfo(name: row.string(0), host: row.string(1), arches: Self.words(row.string(2)),
                           tags: Self.words(row.string(3)), slots: Int(row.int(4) ?? 1), lastHeartbeat: row.time(5))
            }
        }
    }

    public func appendHistory(_ package: PackageBaseID, version: String, seconds: Double) throws {
        try autocommit { db in try appendHistory(package, version: version, seconds: seconds, db) }
    }

    func appendHistory(_ package: PackageBaseID, version: String, seconds: Double, _ db: any SQLConnection) throws {
        try db.query("INSERT INTO history (repo, pkgbase, version, seconds, finished_at) VALUES ($1, $2, $3, $4, $5)",
                     .text(package.repo), .text(package.pkgbase), .text(version), .double(seconds), .time(now))
    }

    public func averageDuration(of package: PackageBaseID, window: Int) throws -> Double? {
        try autocommit { db in
            try db.query("SELECT avg(seconds) FROM (SELECT seconds FROM history WHERE repo = $1 AND pkgbase = $2 "
                         + "ORDER BY id DESC LIMIT \(max(window, 1))) AS recent",
                         .text(package.repo), .text(package.pkgbase)).first?.double(0)
        }
    }

    private static func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }
}
