import Foundation
import Graph
import Testing
@testable import Scheduler

/// A worker's PostgreSQL role (docs/distributed.md): it claims, heartbeats, renews,
/// reports (with its packages' facts) and uploads; accepting, rejecting, cancelling, retrying, re-prioritizing,
/// marking and queueing fail with a permission error (SQLSTATE 42501), and the owner
/// still does all of them.
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

    @Test func aWorkerRoleClaimsAndReportsButCannotReview() throws {
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        let libc = PackageBaseID(repo: "tiny", pkgbase: "tiny-libc")
        let app = PackageBaseID(repo: "tiny", pkgbase: "tiny-app")
        let other = PackageBaseID(repo: "tiny", pkgbase: "tiny-other")
        let queued = try owner.enqueue([PlannedBuild(libc, version: "1-1", priority: 3),
                                        PlannedBuild(other, version: "1-1", priority: 2),
                                        PlannedBuild(app, version: "1-1", priority: 1, dependencies: [libc])])
        #expect(queued.enqueued.count == 3)
        let role = "w_" + UUID().uuidString.lowercased().prefix(8)
        try owner.grantWorker(role: role)
        try owner.grantWorker(role: role) // idempotent

        let worker = try PostgresStore(url: try Self.url(url, as: role))
        try worker.register(WorkerInfo(name: "remote-1", host: "h", arches: ["x86_64"], tags: [], slots: 1, lastHeartbeat: Date()))
        let claimed = try #require(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []))
        #expect(claimed.package == libc)
        #expect(try worker.heartbeat(worker: "remote-1") == 1)
        try worker.renewLease(claimed.id, worker: "remote-1")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("worker-role-\(role).log").path
        try Data("a log\n".utf8).write(to: URL(fileURLWithPath: log))
        defer { unlink(log) }
        try worker.putFile(claimed.id, kind: .log, name: "build.log", from: log)
        var facts = PackageFacts(filename: "tiny-libc-1-1-x86_64.pkg.tar.zst", name: "tiny-libc", version: "1-1",
                                 fileSize: 1234, sha256: String(repeating: "ab", count: 32))
        facts.provides = ["libc.so=6-64"]
        let built = try worker.report(claimed.id, worker: "remote-1", result: .built(
            log: log, artifacts: ["/srv/remote-1/" + facts.filename], facts: [facts]))
        #expect(built.state == .built)
        #expect(try owner.packageFacts(of: built.id) == [facts], "a worker records its packages' facts with the report")

        // A second claim that fails blocks its dependent: the cascade is a worker's to make.
        let second = try #require(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []))
        #expect(second.package == other)
        _ = try worker.report(second.id, worker: "remote-1", result: .failed(.build, reason: "boom", log: nil))

        let refusals: [(String, () throws -> Void)] = [
            ("accept", { try worker.accept(built.id) }),
            ("reject", { try worker.reject(built.id, reason: "no") }),
            ("cancel", { try worker.cancel(queued.enqueued[2]) }),
            ("retry", { try worker.retry(second.id) }),
            ("priority", { try worker.setPriority(queued.enqueued[2], 99) }),
            ("mark", { try worker.mark(RejectionMark(package: app, version: "9-1", reason: "x")) }),
            ("enqueue", { _ = try worker.enqueue([PlannedBuild(app, version: "2-1")]) }),
            ("source upload", { try worker.putFile(built.id, kind: .source, name: "source.tar", from: log) }),
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
        try owner.putFile(built.id, kind: .source, name: "source.tar", from: log)
        #expect(try worker.files(of: built.id).map(\.kind) == [.log, .source])
    }

    /// A waka running as a worker role stages what it built (staging repos): its
    /// dependents become ready. The trigger checks that readiness itself, so a
    /// hand-written move to ready of a build whose dependency is unfinished is refused.
    @Test func aWorkerRoleStagesItsBuildAndReleasesDependents() throws {
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        let lib = PackageBaseID(repo: "tiny", pkgbase: "tiny-lib")
        let other = PackageBaseID(repo: "tiny", pkgbase: "tiny-other")
        let app = PackageBaseID(repo: "tiny", pkgbase: "tiny-app")
        let late = PackageBaseID(repo: "tiny", pkgbase: "tiny-late")
        let ids = try owner.enqueue([PlannedBuild(lib, version: "1-1", priority: 3),
                                     PlannedBuild(other, version: "1-1", priority: 1),
                                     PlannedBuild(app, version: "1-1", priority: 2, dependencies: [lib]),
                                     PlannedBuild(late, version: "1-1", priority: 2, dependencies: [other])]).enqueued
        let role = "w_" + UUID().uuidString.lowercased().prefix(8)
        try owner.grantWorker(role: role)
        let worker = try PostgresStore(url: try Self.url(url, as: role))
        let claimed = try #require(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []))
        #expect(claimed.id == ids[0])
        _ = try worker.report(claimed.id, worker: "remote-1", result: .built(log: nil, artifacts: []))
        #expect(try owner.build(ids[2]).state == .waiting)
        try worker.stage(claimed.id)
        #expect(try owner.build(ids[0]).stagedAt != nil)
        #expect(try owner.build(ids[2]).state == .ready, "a worker's staging makes the dependent ready")
        do {
            try worker.transaction { db in _ = try db.query("UPDATE builds SET state = 'ready' WHERE id = $1", .int(ids[3].rawValue)) }
            Issue.record("a worker moved a build whose dependency is not built to ready")
        } catch {
            #expect(Self.isPermissionError(error), "\(error)")
        }
        #expect(try owner.build(ids[3]).state == .waiting)
    }
}
