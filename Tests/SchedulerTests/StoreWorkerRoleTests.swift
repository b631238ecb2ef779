import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// A worker's PostgreSQL role (docs/distributed.md): it claims, heartbeats, renews,
/// reports (with its packages' facts) and uploads, all through the store's worker
/// functions; accepting, rejecting, staging, cancelling, retrying, re-prioritizing,
/// marking and queueing fail with a permission error (SQLSTATE 42501), as does every
/// direct write to a table and every call on a worker name or build that is not the
/// role's, and the owner still does all of them.
@Suite struct StoreWorkerRoleTests {
    /// The same database reached as `role` (the test server trusts loopback).
    static func url(_ url: String, as role: String) throws -> String {
        guard let at = url.range(of: "postgres@") else { throw TestSetupError("\(url): expected postgres@") }
        return url.replacingCharacters(in: at, with: "\(role)@")
    }

    static func isPermissionError(_ error: any Error) -> Bool {
        if case StoreError.postgres(let sqlstate, _, _) = error { return sqlstate == "42501" }
        return false
    }

    static func newRole() -> String { "w_" + UUID().uuidString.lowercased().prefix(8) }

    static func worker(_ name: String) -> WorkerInfo {
        WorkerInfo(name: name, host: "h", arches: ["x86_64"], tags: [], slots: 1, lastHeartbeat: Date())
    }

    /// A file with `text` in the temporary directory, removed by the caller.
    static func file(_ name: String, _ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("worker-role-\(UUID().uuidString)-\(name)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aWorkerRoleClaimsAndReportsButCannotReview() throws {
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        let libc = PackageBaseID(repo: "tiny", pkgbase: "tiny-libc")
        let app = PackageBaseID(repo: "tiny", pkgbase: "tiny-app")
        let other = PackageBaseID(repo: "tiny", pkgbase: "tiny-other")
        let late = PackageBaseID(repo: "tiny", pkgbase: "tiny-late")
        let later = PackageBaseID(repo: "tiny", pkgbase: "tiny-later")
        let queued = try owner.enqueue([PlannedBuild(libc, version: "1-1", priority: 3),
                                        PlannedBuild(other, version: "1-1", priority: 2),
                                        PlannedBuild(app, version: "1-1", priority: 1, dependencies: [libc]),
                                        PlannedBuild(late, version: "1-1", dependencies: [other]),
                                        PlannedBuild(later, version: "1-1", dependencies: [late])])
        #expect(queued.enqueued.count == 5)
        let role = Self.newRole()
        try owner.grantWorker(role: role)
        try owner.grantWorker(role: role) // idempotent

        let worker = try PostgresStore(url: try Self.url(url, as: role))
        #expect(worker.isWorkerRole && !owner.isWorkerRole)
        try worker.register(Self.worker("remote-1"))
        let claimed = try #require(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []))
        #expect(claimed.package == libc && claimed.state == .building && claimed.worker == "remote-1")
        #expect(try worker.heartbeat(worker: "remote-1") == 1)
        try worker.renewLease(claimed.id, worker: "remote-1")
        let log = try Self.file("build.log", "a log\n")
        let package = try Self.file("tiny-libc-1-1-x86_64.pkg.tar.zst", "not really a package\n")
        defer { unlink(log); unlink(package) }
        try worker.putFile(claimed.id, kind: .log, name: "build.log", from: log)
        try worker.putFile(claimed.id, kind: .package, name: "tiny-libc-1-1-x86_64.pkg.tar.zst", from: package)
        var facts = PackageFacts(filename: "tiny-libc-1-1-x86_64.pkg.tar.zst", name: "tiny-libc", version: "1-1",
                                 fileSize: 21, sha256: try FileChecksum.sha256(ofFileAt: package))
        facts.provides = ["libc.so=6-64"]
        let built = try worker.report(claimed.id, worker: "remote-1", result: .built(log: log, artifacts: [package], facts: [facts]))
        #expect(built.state == .built && built.artifacts == [package] && built.log == log)
        #expect(try owner.packageFacts(of: built.id) == [facts], "a worker records its packages' facts with the report")
        #expect(try owner.artifactChecksums(of: built.id) == [package: facts.sha256], "readable on the worker's machine")
        #expect(try owner.averageDuration(of: libc, window: 5) != nil, "the report recorded the build's duration")
        let fetched = package + ".fetched"
        defer { unlink(fetched) }
        let stored = try owner.fetchFile(built.id, kind: .package, name: facts.filename, to: fetched)
        #expect(stored.size == 21 && stored.sha256 == facts.sha256)
        #expect(try owner.files(of: built.id).map(\.kind) == [.log, .package])

        // A claim that fails blocks its dependents, transitively: the worker function
        // settles them as the owner's report would.
        let second = try #require(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []))
        #expect(second.package == other)
        _ = try worker.report(second.id, worker: "remote-1", result: .failed(.build, reason: "boom", log: nil))
        #expect(try owner.build(queued.enqueued[3]).state == .blocked(by: second.id))
        #expect(try owner.build(queued.enqueued[4]).state == .blocked(by: second.id))

        let refusals: [(String, () throws -> Void)] = [
            ("accept", { try worker.accept(built.id) }),
            ("reject", { try worker.reject(built.id, reason: "no") }),
            ("stage", { try worker.stage(built.id) }),
            ("cancel", { try worker.cancel(queued.enqueued[2]) }),
            ("retry", { try worker.retry(second.id) }),
            ("priority", { try worker.setPriority(queued.enqueued[2], 99) }),
            ("mark", { try worker.mark(RejectionMark(package: app, version: "9-1", reason: "x")) }),
            ("enqueue", { _ = try worker.enqueue([PlannedBuild(app, version: "2-1")]) }),
            ("repo settings", { try worker.autocommit { db in _ = try db.query("DELETE FROM repo_settings") } }),
            ("history", { try worker.appendHistory(app, version: "1-1", seconds: 1) }),
            ("source upload", { try worker.putFile(built.id, kind: .source, name: "source.tar", from: log) }),
            ("upload to a built build", { try worker.putFile(built.id, kind: .log, name: "build.log", from: log) }),
            ("hand-written accept", {
                try worker.transaction { db in _ = try db.query("UPDATE builds SET state = 'accepted' WHERE id = $1", .int(built.id.rawValue)) }
            }),
        ]
        for (name, attempt) in refusals {
            do {
                try attempt()
                Issue.record("\(name) succeeded for a worker role")
            } catch {
                #expect(Self.isPermissionError(error), "\(name) must fail with a permission error, not: \(error)")
            }
        }
        #expect(try owner.build(built.id).state == .built)
        #expect(try owner.build(second.id).state == .failed(.build))

        // The owner reviews.
        try owner.accept(built.id)
        #expect(try owner.build(built.id).state == .accepted)
        #expect(try owner.build(queued.enqueued[2]).state == .ready)
        try owner.retry(second.id)
        #expect(try owner.build(second.id).state == .ready)
        try owner.putFile(built.id, kind: .source, name: "source.tar", from: log)
        #expect(try worker.files(of: built.id).map(\.kind) == [.log, .package, .source])
    }

    /// Staging makes dependents ready before review, so it is the owner's (or an owner's
    /// waka's, `ReportedBuilds`): a worker role's stage is refused, and so is a
    /// hand-written move to ready of a build whose dependency is unfinished.
    @Test func onlyTheOwnerStages() throws {
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        let lib = PackageBaseID(repo: "tiny", pkgbase: "tiny-lib")
        let app = PackageBaseID(repo: "tiny", pkgbase: "tiny-app")
        let ids = try owner.enqueue([PlannedBuild(lib, version: "1-1", priority: 3),
                                     PlannedBuild(app, version: "1-1", priority: 2, dependencies: [lib])]).enqueued
        let role = Self.newRole()
        try owner.grantWorker(role: role)
        let worker = try PostgresStore(url: try Self.url(url, as: role))
        try worker.register(Self.worker("remote-1"))
        let claimed = try #require(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []))
        #expect(claimed.id == ids[0])
        _ = try worker.report(claimed.id, worker: "remote-1", result: .built(log: nil, artifacts: []))
        for attempt in [{ try worker.stage(claimed.id) },
                        { try worker.autocommit { db in _ = try db.query("UPDATE builds SET staged_at = 1 WHERE id = $1", .int(ids[0].rawValue)) } },
                        { try worker.autocommit { db in _ = try db.query("UPDATE builds SET state = 'ready' WHERE id = $1", .int(ids[1].rawValue)) } }] {
            do {
                try attempt()
                Issue.record("a worker role staged, or moved a build to ready")
            } catch {
                #expect(Self.isPermissionError(error), "\(error)")
            }
        }
        #expect(try owner.build(ids[0]).stagedAt == nil)
        #expect(try owner.build(ids[1]).state == .waiting)
        try owner.stage(claimed.id)
        #expect(try owner.build(ids[1]).state == .ready, "the owner's staging makes the dependent ready")
    }

    /// Runs `sql` as `store` in a transaction of its own; its SQLSTATE, nil when it succeeded.
    static func sqlstate(_ store: PostgresStore, _ sql: String) -> String? {
        do {
            try store.transaction { db in _ = try db.query(sql) }
            return nil
        } catch StoreError.postgres(let sqlstate, _, _) {
            return sqlstate
        } catch {
            return "not a PostgreSQL error: \(error)"
        }
    }

    /// What a worker role must not be able to change, read as the owner: every row of
    /// every store table, the tables' privileges and row security, the functions (body,
    /// SECURITY DEFINER, settings, privileges), policies, triggers, and `roles`'
    /// attributes and memberships.
    static func dump(_ owner: PostgresStore, roles: [String]) throws -> [String] {
        let queries = WorkerFunctions.tables.map { "SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM \($0) t" } + [
            "SELECT string_agg(relname || ' ' || coalesce(relacl::text, '-') || ' ' || relrowsecurity || ' ' || relforcerowsecurity "
                + "|| ' ' || relowner::regrole::text, E'\\n' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace",
            "SELECT string_agg(oid::regprocedure::text || ' ' || md5(prosrc) || ' ' || prosecdef || ' ' || coalesce(proconfig::text, '-') "
                + "|| ' ' || coalesce(proacl::text, '-') || ' ' || proowner::regrole::text, E'\\n' ORDER BY oid::regprocedure::text) "
                + "FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
            "SELECT string_agg(polname || ' ' || polrelid::regclass::text, ' ' ORDER BY polname) FROM pg_policy",
            "SELECT string_agg(tgname || ' ' || tgenabled::text, ' ' ORDER BY tgname) FROM pg_trigger WHERE NOT tgisinternal",
            "SELECT string_agg(r.rolname || ' ' || r.rolsuper || r.rolcreaterole || r.rolcreatedb || r.rolbypassrls || ' ' "
                + "|| coalesce((SELECT string_agg(m.roleid::regrole::text, ',') FROM pg_auth_members m WHERE m.member = r.oid), '-'), "
                + "' ' ORDER BY r.rolname) FROM pg_roles r WHERE r.rolname IN ('\(roles.joined(separator: "', '"))')",
        ]
        return try owner.autocommit { db in try queries.map { try db.query($0).first?.text(0) ?? "(none)" } }
    }

    /// The issue's reproduction and more: a worker role, by hand-written SQL and by
    /// calling the worker functions, tries to change builds, files, facts and workers
    /// it does not hold, to move its own build where only review may, and to escape
    /// the checks (privileges, policies, triggers, functions, roles, a temporary table
    /// shadowing a store table). Each attempt fails; the store is unchanged after them.
    @Test func aWorkerRoleCannotChangeWhatItDoesNotHold() throws {
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        let packages = ["lib", "held", "mine", "extra", "app", "app2"].map { PackageBaseID(repo: "tiny", pkgbase: "tiny-" + $0) }
        let ids = try owner.enqueue([PlannedBuild(packages[0], version: "1-1", priority: 9),
                                     PlannedBuild(packages[1], version: "1-1", priority: 8),
                                     PlannedBuild(packages[2], version: "1-1", priority: 7),
                                     PlannedBuild(packages[3], version: "1-1", priority: 1),
                                     PlannedBuild(packages[4], version: "1-1", dependencies: [packages[0]]),
                                     PlannedBuild(packages[5], version: "1-1", dependencies: [packages[0]])]).enqueued
        let roleA = Self.newRole(), roleB = Self.newRole()
        try owner.grantWorker(role: roleA)
        try owner.grantWorker(role: roleB)
        let alpha = try PostgresStore(url: try Self.url(url, as: roleA))
        let bravo = try PostgresStore(url: try Self.url(url, as: roleB))
        try alpha.register(Self.worker("alpha"))
        try bravo.register(Self.worker("bravo"))

        // alpha builds lib (a package uploaded, its facts and checksum recorded) and holds
        // `held`; bravo holds `mine`; `extra` is ready, app and app2 wait for lib.
        let lib = try #require(try alpha.claim(worker: "alpha", arches: [], tags: []))
        let package = try Self.file("tiny-lib-1-1-any.pkg.tar.zst", "lib's package\n")
        defer { unlink(package) }
        try alpha.putFile(lib.id, kind: .package, name: "tiny-lib-1-1-any.pkg.tar.zst", from: package)
        let facts = PackageFacts(filename: "tiny-lib-1-1-any.pkg.tar.zst", name: "tiny-lib", version: "1-1", fileSize: 14,
                                 sha256: try FileChecksum.sha256(ofFileAt: package))
        _ = try alpha.report(lib.id, worker: "alpha", result: .built(log: nil, artifacts: [package], facts: [facts]))
        let held = try #require(try alpha.claim(worker: "alpha", arches: [], tags: []))
        let mine = try #require(try bravo.claim(worker: "bravo", arches: [], tags: []))
        #expect([lib.id, held.id, mine.id] == Array(ids[0 ..< 3]))
        let built = lib.id.rawValue, other = held.id.rawValue, own = mine.id.rawValue
        let ready = ids[3].rawValue, waiting = ids[4].rawValue
        let file = "tiny-lib-1-1-any.pkg.tar.zst"
        let far = "99999999999999"
        let before = try Self.dump(owner, roles: [roleA, roleB])

        let attempts: [(sql: String, sqlstate: String?)] = [
            // The issue: staged_at and artifacts of another waka's build, then its dependents ready.
            ("UPDATE builds SET staged_at = 1, artifacts = '[\"/etc/shadow\"]' WHERE id = \(built)", "42501"),
            ("UPDATE builds SET state = 'ready' WHERE id = \(waiting)", "42501"),
            // Another build's columns.
            ("UPDATE builds SET state = 'failed', failure_class = 'build' WHERE id = \(other)", "42501"),
            ("UPDATE builds SET state = 'accepted', reviewed_at = 1 WHERE id = \(built)", "42501"),
            ("UPDATE builds SET artifacts = '/etc/shadow' WHERE id = \(built)", "42501"),
            ("UPDATE builds SET attempts = 0 WHERE id = \(other)", "42501"),
            ("UPDATE builds SET priority = 1000 WHERE id = \(ready)", "42501"),
            ("UPDATE builds SET worker = 'bravo' WHERE id = \(other)", "42501"),
            ("SELECT id FROM builds WHERE id = \(built) FOR UPDATE", "42501"),
            // Its own build, where only review or the lifecycle may move it.
            ("UPDATE builds SET state = 'accepted' WHERE id = \(own)", "42501"),
            ("UPDATE builds SET state = 'ready', worker = NULL WHERE id = \(own)", "42501"),
            ("UPDATE builds SET state = 'built', staged_at = 1 WHERE id = \(own)", "42501"),
            ("UPDATE builds SET lease_expires = \(far) WHERE id = \(own)", "42501"),
            // Checksums, files and facts of another build.
            ("UPDATE artifact_checksums SET sha256 = 'evil' WHERE build_id = \(built)", "42501"),
            ("INSERT INTO artifact_checksums (build_id, path, sha256) VALUES (\(built), '/evil', 'evil')", "42501"),
            ("DELETE FROM artifact_checksums WHERE build_id = \(built)", "42501"),
            ("UPDATE build_files SET sha256 = 'evil' WHERE build_id = \(built)", "42501"),
            ("INSERT INTO build_files (build_id, kind, name, size, sha256, chunks) VALUES (\(built), 'package', 'evil', 0, 'x', 0)", "42501"),
            ("DELETE FROM build_file_chunks WHERE build_id = \(built)", "42501"),
            ("UPDATE build_file_chunks SET data = '\\x00' WHERE build_id = \(built)", "42501"),
            ("DELETE FROM package_facts WHERE build_id = \(built)", "42501"),
            ("UPDATE package_facts SET facts = '{}' WHERE build_id = \(built)", "42501"),
            // Rows of its own making.
            ("INSERT INTO builds (repo, pkgbase, version, arch, state, created_at, updated_at) "
                + "VALUES ('tiny', 'evil', '1-1', 'any', 'ready', 0, 0)", "42501"),
            ("DELETE FROM builds WHERE id = \(waiting)", "42501"),
            ("DELETE FROM build_edges WHERE build_id = \(waiting)", "42501"),
            ("INSERT INTO build_edges (build_id, depends_on) VALUES (\(ready), \(waiting))", "42501"),
            ("INSERT INTO marks (repo, pkgbase, version, reason, marked_at) VALUES ('tiny', 'tiny-lib', '1-1', 'x', 0)", "42501"),
            ("INSERT INTO history (repo, pkgbase, version, seconds, finished_at) VALUES ('tiny', 'tiny-lib', '1-1', 1, 0)", "42501"),
            ("DELETE FROM schema_version", "42501"),
            ("DELETE FROM repo_settings", "42501"),
            // Workers' rows, another's and its own, by hand.
            ("UPDATE workers SET host = 'evil' WHERE name = 'alpha'", "42501"),
            ("UPDATE workers SET login_role = '\(roleB)' WHERE name = 'alpha'", "42501"),
            ("DELETE FROM workers WHERE name = 'alpha'", "42501"),
            ("INSERT INTO workers (name, host, arches, login_role) VALUES ('evil', 'h', '', '\(roleB)')", "42501"),
            ("UPDATE workers SET last_heartbeat = 0 WHERE name = 'bravo'", "42501"),
            // Whole tables, row security, triggers, ownership, privileges, roles.
            ("TRUNCATE builds CASCADE", "42501"),
            ("TRUNCATE workers", "42501"),
            ("LOCK TABLE builds IN EXCLUSIVE MODE", "42501"),
            ("ALTER TABLE builds DISABLE ROW LEVEL SECURITY", "42501"),
            ("ALTER TABLE builds ENABLE ROW LEVEL SECURITY", "42501"),
            ("CREATE POLICY evil ON builds USING (true)", "42501"),
            ("ALTER POLICY evil ON builds USING (true)", "42501"),
            ("ALTER TABLE builds DISABLE TRIGGER ALL", "42501"),
            ("ALTER TABLE builds ADD COLUMN evil integer", "42501"),
            ("ALTER TABLE builds OWNER TO \(roleB)", "42501"),
            // No grant option: PostgreSQL warns and grants nothing (the dump shows it).
            ("GRANT UPDATE ON builds TO \(roleB)", nil),
            ("SET ROLE postgres", "42501"),
            ("SET SESSION AUTHORIZATION postgres", "42501"),
            ("GRANT postgres TO \(roleB)", "42501"),
            ("ALTER ROLE \(roleB) SUPERUSER", "42501"),
            ("ALTER ROLE \(roleB) BYPASSRLS", "42501"),
            // The functions themselves.
            ("CREATE OR REPLACE FUNCTION pacbuild_private_own(p_worker text) RETURNS void LANGUAGE sql AS 'SELECT'", "42501"),
            ("ALTER FUNCTION pacbuild_worker_claim(text, json, json, bigint, bigint) RESET search_path", "42501"),
            ("DROP FUNCTION pacbuild_worker_claim(text, json, json, bigint, bigint)", "42501"),
            ("GRANT EXECUTE ON FUNCTION pacbuild_private_reevaluate(bigint[], bigint) TO \(roleB)", "42501"),
            ("CREATE FUNCTION evil() RETURNS integer LANGUAGE sql AS 'SELECT 1'", "42501"),
            ("SELECT pacbuild_private_reevaluate(ARRAY[\(waiting)]::bigint[], 0)", "42501"),
            ("SELECT pacbuild_private_own('bravo')", "42501"),
            // The worker functions under another worker's name, or on a build not held.
            ("SELECT pacbuild_worker_register('alpha', 'evil', '', '', 1, 0)", "42501"),
            ("SELECT pacbuild_worker_heartbeat('alpha', 0, \(far))", "42501"),
            ("SELECT pacbuild_worker_claim('alpha', '[\"any\"]', '[]', 0, \(far))", "42501"),
            ("SELECT pacbuild_worker_claim('nobody', '[\"any\"]', '[]', 0, \(far))", "42501"),
            ("SELECT pacbuild_worker_renew(\(other), 'alpha', \(far))", "42501"),
            ("SELECT pacbuild_worker_renew(\(other), 'bravo', \(far))", "42501"),
            ("SELECT pacbuild_worker_release(\(other), 'alpha', 0)", "42501"),
            ("SELECT pacbuild_worker_release(\(other), 'bravo', 0)", "42501"),
            ("SELECT pacbuild_worker_report_built(\(other), 'alpha', 0, NULL, '/etc/shadow', '{}', '{}')", "42501"),
            ("SELECT pacbuild_worker_report_built(\(other), 'bravo', 0, NULL, '/etc/shadow', '{}', '{}')", "42501"),
            ("SELECT pacbuild_worker_report_built(\(built), 'alpha', 0, NULL, '/etc/shadow', '{}', '{}')", "42501"),
            ("SELECT pacbuild_worker_report_failed(\(other), 'alpha', 0, 'build', 'x', NULL)", "42501"),
            ("SELECT pacbuild_worker_report_failed(\(other), 'bravo', 0, 'build', 'x', NULL)", "42501"),
            ("SELECT pacbuild_worker_report_failed(\(waiting), 'bravo', 0, 'build', 'x', NULL)", "42501"),
            ("SELECT pacbuild_worker_report_failed(\(own), 'bravo', 0, 'lost', 'x', NULL)", "22023"),
            ("SELECT pacbuild_worker_begin_file(\(built), 'alpha', 'package', 'evil', 'x')", "42501"),
            ("SELECT pacbuild_worker_begin_file(\(built), 'bravo', 'package', '\(file)', 'x')", "42501"),
            ("SELECT pacbuild_worker_put_chunk(\(built), 'alpha', 'package', '\(file)', 1, '\\x00')", "42501"),
            ("SELECT pacbuild_worker_begin_file(\(own), 'bravo', 'source', 'source.tar', 'x')", "42501"),
            ("SELECT pacbuild_worker_put_chunk(\(own), 'bravo', 'source', 'source.tar', 0, '\\x00')", "42501"),
            // A caller's clock far ahead expires nothing the server's clock has not.
            ("SELECT pacbuild_worker_expire_leases(9223372036854775000, 0)", nil),
        ]
        for attempt in attempts {
            let got = Self.sqlstate(bravo, attempt.sql)
            #expect(got == attempt.sqlstate, "\(attempt.sql): \(got ?? "succeeded")")
        }
        #expect(try Self.dump(owner, roles: [roleA, roleB]) == before, "the attempts changed the store")

        // A temporary table of the caller's does not stand in for a store table inside
        // the functions (their search_path puts pg_temp last), whatever its search_path.
        let shadow = try PostgresStore(url: try Self.url(url, as: roleB))
        for sql in ["CREATE TEMP TABLE workers (name text, login_role text)", "INSERT INTO pg_temp.workers VALUES ('alpha', '\(roleB)')",
                    "CREATE TEMP TABLE builds (id bigint, state text, worker text)",
                    "INSERT INTO pg_temp.builds VALUES (\(other), 'building', 'bravo')", "SET search_path = pg_temp, public"] {
            #expect(Self.sqlstate(shadow, sql) == nil, "\(sql)")
        }
        #expect(Self.sqlstate(shadow, "SELECT pacbuild_worker_heartbeat('alpha', 0, \(far))") == "42501")
        #expect(Self.sqlstate(shadow, "SELECT pacbuild_worker_report_failed(\(other), 'bravo', 0, 'build', 'x', NULL)") == "42501")
        #expect(Self.sqlstate(shadow, "SELECT pacbuild_worker_report_failed(\(other), 'alpha', 0, 'build', 'x', NULL)") == "42501")
        #expect(try Self.dump(owner, roles: [roleA, roleB]) == before, "the shadowing changed the store")

        // What each may do still works: bravo reports its own build, alpha gives its
        // back, and the owner's accept of lib makes app and app2 ready.
        #expect(try bravo.report(mine.id, worker: "bravo", result: .failed(.build, reason: "boom", log: nil)).state == .failed(.build))
        try alpha.release(held.id, worker: "alpha")
        #expect(try owner.build(held.id).state == .ready)
        try owner.accept(lib.id)
        #expect(try owner.build(ids[4]).state == .ready && owner.build(ids[5]).state == .ready)
    }
}
