import Foundation
import Graph
import Sandbox
import Testing
@testable import Scheduler

/// The worker functions of migration 11 (`WorkerFunctions`): a worker role's claims,
/// reports, lease expiry and the dependents they block end exactly as the owner's
/// Swift path leaves them on SQLite; an upgrade from schema 10 takes the old grants'
/// write privileges away and lets their roles call the functions instead.
@Suite struct StoreWorkerFunctionsTests {
    static let names = ["a", "b", "c", "d", "e", "f", "g", "x", "y"]

    static func package(_ name: String) -> PackageBaseID { PackageBaseID(repo: "tiny", pkgbase: "tiny-" + name) }

    /// One lifecycle through claims, reports, staging, a rejection under a build that
    /// built against it, and lost leases, with the owner's operations on `owner` and the
    /// worker's on `worker`; returns every build and what the reports recorded.
    static func scenario(owner: SQLBackedStore, worker: SQLBackedStore, clock: TestClock) throws -> [String] {
        let p = package
        _ = try owner.enqueue([
            PlannedBuild(p("a"), version: "1-1", priority: 9), PlannedBuild(p("b"), version: "1-1", priority: 8),
            PlannedBuild(p("c"), version: "1-1", priority: 7, dependencies: [p("a")]),
            PlannedBuild(p("d"), version: "1-1", priority: 6, dependencies: [p("c"), p("b")]),
            PlannedBuild(p("e"), version: "1-1", priority: 5, dependencies: [p("d")]),
            PlannedBuild(p("f"), version: "1-1", priority: 4, dependencies: [p("b")]),
            PlannedBuild(p("g"), version: "1-1", priority: 3, dependencies: [p("e")]),
            PlannedBuild(p("x"), version: "1-1", priority: 2),
            PlannedBuild(p("y"), version: "1-1", priority: 1, dependencies: [p("x")]),
        ])
        try worker.register(WorkerInfo(name: "w1", host: "h", arches: ["x86_64"], tags: [], slots: 2, lastHeartbeat: clock.now))
        func claim(_ expected: String) throws -> BuildRecord {
            clock.advance(1)
            let build = try #require(try worker.claim(worker: "w1", arches: ["x86_64"], tags: []))
            #expect(build.package == p(expected))
            return build
        }
        let a = try claim("a")
        clock.advance(5)
        let facts = PackageFacts(filename: "tiny-a-1-1-any.pkg.tar.zst", name: "tiny-a", version: "1-1", fileSize: 3, sha256: "00")
        _ = try worker.report(a.id, worker: "w1", result: .built(log: "/logs/a", artifacts: ["/pkgs/a"], facts: [facts]))
        try owner.stage(a.id)
        let b = try claim("b")
        clock.advance(2)
        #expect(try worker.heartbeat(worker: "w1") == 1)
        try worker.renewLease(b.id, worker: "w1")
        _ = try worker.report(b.id, worker: "w1", result: .failed(.build, reason: "boom", log: "/logs/b"))
        let c = try claim("c")
        try owner.reject(a.id, reason: "bad")
        clock.advance(3)
        _ = try worker.report(c.id, worker: "w1", result: .built(log: nil, artifacts: ["/pkgs/c"]))
        var x = try claim("x")
        try worker.release(x.id, worker: "w1")
        while try owner.build(x.id).state != .failed(.lost) {
            x = try claim("x")
            clock.advance(61)
            #expect(try worker.expireLeases() == [x.id])
        }
        let records = try owner.builds(state: nil, repo: nil, limit: nil).sorted { $0.id < $1.id }
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.package.pkgbase) })
        return try records.map { record in
            let blocker = record.state.blockedBy.flatMap { byID[$0] } ?? "-"
            return "\(record.package.pkgbase) \(record.state.name) \(record.state.failureClass?.rawValue ?? "-") by \(blocker) "
                + "attempts \(record.attempts) worker \(record.worker ?? "-") lease \(record.leaseExpires.map { "\($0)" } ?? "-") "
                + "times \([record.startedAt, record.finishedAt, record.reviewedAt, record.stagedAt, record.updatedAt].map { $0.map { "\($0)" } ?? "-" }) "
                + "log \(record.log ?? "-") artifacts \(record.artifacts) reason \(record.reason ?? "-") "
                + "facts \(try owner.packageFacts(of: record.id).map(\.filename)) "
                + "history \(try owner.averageDuration(of: record.package, window: 9).map { "\($0)" } ?? "-")"
        } + (try owner.workers().map { "\($0)" })
    }

    @Test func aWorkerRoleEndsEveryBuildWhereTheOwnersPathDoes() throws {
        let sqliteClock = TestClock()
        let sqlite = try StoreBackend.sqlite.fresh(options: sqliteClock.options)
        let expected = try Self.scenario(owner: sqlite, worker: sqlite, clock: sqliteClock)
        #expect(expected.contains { $0.hasPrefix("tiny-g blocked - by tiny-a ") }, "\(expected)")
        #expect(expected.contains { $0.hasPrefix("tiny-y blocked - by tiny-x ") }, "\(expected)")
        #expect(expected.contains { $0.hasPrefix("tiny-f blocked - by tiny-b ") }, "\(expected)")

        let url = try TestPostgres.freshDatabase()
        let clock = TestClock()
        let owner = try PostgresStore(url: url, options: clock.options)
        let role = StoreWorkerRoleTests.newRole()
        try owner.grantWorker(role: role)
        let worker = try PostgresStore(url: try StoreWorkerRoleTests.url(url, as: role), options: clock.options)
        #expect(worker.isWorkerRole)
        let got = try Self.scenario(owner: owner, worker: worker, clock: clock)
        #expect(got == expected)
        for (mine, theirs) in zip(got, expected) where mine != theirs { Issue.record("worker role: \(mine)\nsqlite:      \(theirs)") }
    }

    /// A store whose worker role was granted by pacbuild before schema 11 (column and
    /// table writes): the role could stage another waka's build by hand; after the
    /// owner's upgrade it can write nothing, calls the functions, keeps its worker name
    /// (registered before, no role recorded) and cannot take a name that holds a build.
    @Test func theUpgradeTakesTheOldGrantsAway() throws {
        let url = try TestPostgres.freshDatabase()
        let old = try PostgresStore(url: url, options: StoreOptions(), schema: 10)
        let ids = try old.enqueue([PlannedBuild(Self.package("a"), version: "1-1", priority: 2),
                                   PlannedBuild(Self.package("b"), version: "1-1", priority: 1)]).enqueued
        let role = StoreWorkerRoleTests.newRole()
        try old.autocommit { db in
            for statement in [
                "CREATE ROLE \(role) LOGIN", "GRANT USAGE ON SCHEMA public TO \(role)",
                "GRANT SELECT ON schema_version, builds, build_edges, workers, marks, history, artifact_checksums, build_files, "
                    + "build_file_chunks, repo_settings, package_facts TO \(role)",
                "GRANT UPDATE (state, failure_class, blocked_by, attempts, worker, lease_expires, updated_at, started_at, "
                    + "finished_at, log_ref, artifacts, reason, staged_at) ON builds TO \(role)",
                "GRANT INSERT, UPDATE ON workers TO \(role)", "GRANT INSERT, DELETE ON artifact_checksums TO \(role)",
                "GRANT INSERT, DELETE ON package_facts TO \(role)", "GRANT INSERT ON history TO \(role)",
                "GRANT USAGE ON SEQUENCE history_id_seq TO \(role)", "GRANT INSERT, DELETE ON build_files, build_file_chunks TO \(role)",
                "GRANT UPDATE (size, chunks) ON build_files TO \(role)",
                "CREATE FUNCTION pacbuild_worker_transition_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                "CREATE TRIGGER builds_worker_transitions BEFORE UPDATE ON builds FOR EACH ROW "
                    + "EXECUTE FUNCTION pacbuild_worker_transition_guard()",
                "INSERT INTO workers (name, host, arches) VALUES ('old-1', 'h', ''), ('old-2', 'h', '')",
                "UPDATE builds SET state = 'building', worker = 'old-2' WHERE id = \(ids[1].rawValue)",
            ] { try db.query(statement) }
        }
        let before = try PostgresStore(url: try StoreWorkerRoleTests.url(url, as: role), options: StoreOptions(), schema: 10)
        #expect(StoreWorkerRoleTests.sqlstate(before, "UPDATE builds SET staged_at = 1 WHERE id = \(ids[1].rawValue)") == nil,
                "the old grants let a worker role write another build's columns")

        let owner = try PostgresStore(url: url)
        #expect(try owner.schemaVersion == Schema.latest)
        let privileges = try owner.autocommit { db in
            try db.query("SELECT has_any_column_privilege('\(role)', 'builds', 'UPDATE'), has_table_privilege('\(role)', 'workers', "
                         + "'INSERT, UPDATE, DELETE'), has_table_privilege('\(role)', 'package_facts', 'INSERT, DELETE'), "
                         + "has_any_column_privilege('\(role)', 'build_files', 'INSERT, UPDATE'), "
                         + "has_table_privilege('\(role)', 'builds', 'SELECT'), "
                         + "has_function_privilege('\(role)', 'pacbuild_worker_claim(text, json, json, bigint, bigint)', 'EXECUTE'), "
                         + "has_function_privilege('\(role)', 'pacbuild_private_reevaluate(bigint[], bigint)', 'EXECUTE'), "
                         // the old guard trigger is gone; the event log's (schema 15) is the only one on builds
                         + "(SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = 'builds'::regclass "
                         + "AND tgname <> 'builds_events')").first?.columns ?? []
        }
        #expect(privileges == ["f", "f", "f", "f", "t", "t", "f", "0"])
        #expect(StoreWorkerRoleTests.sqlstate(before, "UPDATE builds SET staged_at = 2 WHERE id = \(ids[1].rawValue)") == "42501")

        let worker = try PostgresStore(url: try StoreWorkerRoleTests.url(url, as: role))
        #expect(worker.isWorkerRole)
        try worker.register(StoreWorkerRoleTests.worker("old-1"))
        #expect(throws: (any Error).self, "a name from before schema 11 that holds a build is not taken over") {
            try worker.register(StoreWorkerRoleTests.worker("old-2"))
        }
        let claimed = try #require(try worker.claim(worker: "old-1", arches: [], tags: []))
        #expect(claimed.id == ids[0])
        #expect(try worker.report(claimed.id, worker: "old-1", result: .built(log: nil, artifacts: [])).state == .built)
    }

    /// `grant-worker` on the owner (a superuser here) would make review's own role a
    /// worker's, and a role that may create in the store's schema could slip an operator
    /// of its own into the functions: both are refused. A role nobody granted cannot call
    /// the functions.
    @Test func grantWorkerRefusesUnsafeRolesAndPublicCannotCallTheFunctions() throws {
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        do {
            try owner.grantWorker(role: "postgres")
            Issue.record("grant-worker made the owner a worker role")
        } catch StoreError.postgres(let sqlstate, _, _) {
            #expect(sqlstate == "0LP01")
        }
        // A schema where PUBLIC may create (PostgreSQL before 15) is refused too.
        try owner.autocommit { db in _ = try db.query("GRANT CREATE ON SCHEMA public TO PUBLIC") }
        do {
            try owner.grantWorker(role: StoreWorkerRoleTests.newRole())
            Issue.record("grant-worker made a worker role that may create objects in the store's schema")
        } catch StoreError.postgres(let sqlstate, let message, _) {
            #expect(sqlstate == "0LP01" && message.contains("may create objects"), "\(message)")
        }
        try owner.autocommit { db in _ = try db.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC") }
        let stranger = StoreWorkerRoleTests.newRole()
        try owner.autocommit { db in _ = try db.query("CREATE ROLE \(stranger) LOGIN") }
        let connection = try PostgresConnection(url: try StoreWorkerRoleTests.url(url, as: stranger), name: "stranger")
        for call in WorkerFunctions.entryPoints {
            let executable = try connection.query("SELECT has_function_privilege('\(call)', 'EXECUTE')", []).first?.text(0)
            #expect(executable == "f", "\(call) is executable by a role nobody granted")
        }
        do {
            _ = try connection.query("SELECT pacbuild_worker_register('x', 'h', '', '', 1, 0)", [])
            Issue.record("a role nobody granted registered a worker")
        } catch StoreError.postgres(let sqlstate, _, _) {
            #expect(sqlstate == "42501")
        }
    }

    /// The function's list of failure classes a worker may report is every class but
    /// `lost` (the scheduler's). A class added to `FailureClass` fails here until a
    /// migration adds it to `pacbuild_worker_report_failed` too.
    @Test func aWorkerRoleReportsEveryFailureClassButLost() throws {
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        let classes = FailureClass.allCases.filter { $0 != .lost }
        _ = try owner.enqueue(classes.map { PlannedBuild(Self.package($0.rawValue), version: "1-1") }
                              + [PlannedBuild(Self.package("lost"), version: "1-1")])
        let role = StoreWorkerRoleTests.newRole()
        try owner.grantWorker(role: role)
        let worker = try PostgresStore(url: try StoreWorkerRoleTests.url(url, as: role))
        try worker.register(StoreWorkerRoleTests.worker("w1"))
        for failure in classes + [.lost] {
            let build = try #require(try worker.claim(worker: "w1", arches: [], tags: []))
            do {
                let reported = try worker.report(build.id, worker: "w1", result: .failed(failure, reason: "r", log: nil))
                #expect(failure != .lost && reported.state == .failed(failure), "\(failure)")
            } catch StoreError.postgres(let sqlstate, _, _) {
                #expect(failure == .lost && sqlstate == "22023", "\(failure): \(sqlstate)")
            }
        }
    }
}
