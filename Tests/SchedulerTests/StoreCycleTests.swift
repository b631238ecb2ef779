import Foundation
import Graph
import Testing
@testable import Scheduler

/// A dependency cycle built twice (schema 9): ex-a and ex-b need each other, ex-c needs
/// both. Pass 1 builds the members one after another, pass 2 rebuilds both against pass
/// 1, and ex-c waits for pass 2.
@Suite struct StoreCycleTests {
    static let a = PackageBaseID(repo: "core", pkgbase: "ex-a")
    static let b = PackageBaseID(repo: "core", pkgbase: "ex-b")
    static let c = PackageBaseID(repo: "core", pkgbase: "ex-c")

    /// ex-a makedepends on ex-b, whose old package serves pass 1; ex-b depends on ex-a.
    static func plan() throws -> Plan {
        try CatchupTests.plan([
            PlanTests.pkgbuild("ex-a", "1.0-1", "makedepends=(ex-b)"),
            PlanTests.pkgbuild("ex-b", "1.0-1", "depends=(ex-a)"),
            PlanTests.pkgbuild("ex-c", "1.0-1", "depends=(ex-a ex-b)"),
        ], database: [PlanTests.package("ex-a", "0.9-1"), PlanTests.package("ex-b", "0.9-1")])
    }

    static var catchup: Catchup { get throws { Catchup(plan: try plan(), arches: ["core": "i586"]) } }

    /// The build of `package` at pass `pass`.
    static func build(_ store: some BuildStore, _ package: PackageBaseID, pass: Int) throws -> BuildRecord {
        try #require(try store.builds(of: package).first { $0.pass == pass })
    }

    /// Claims everything ready, checks it is `expected` (pkgbase and pass), and builds and
    /// accepts it.
    static func buildReady(_ store: some BuildStore, _ expected: Set<String>) throws {
        var claimed: [BuildRecord] = []
        while let record = try store.claim(worker: "w", arches: ["i586"], tags: []) { claimed.append(record) }
        #expect(Set(claimed.map { "\($0.package.pkgbase)/\($0.pass)" }) == expected)
        for record in claimed {
            _ = try store.report(record.id, worker: "w", result: .built(log: nil, artifacts: []))
            try store.accept(record.id)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func passOneInOrderThenPassTwoThenTheDependent(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let plan = try Self.plan()
        #expect(plan.cycles.first?.members == ["core/ex-a", "core/ex-b"], "the old ex-b serves ex-a's pass 1")
        let report = try Self.catchup.run(store: store)
        #expect(report.enqueued.map { "\($0.package.pkgbase)/\($0.pass)" } == ["ex-a/1", "ex-b/1", "ex-a/2", "ex-b/2", "ex-c/1"])
        let (a1, b1) = (try Self.build(store, Self.a, pass: 1), try Self.build(store, Self.b, pass: 1))
        let (a2, b2) = (try Self.build(store, Self.a, pass: 2), try Self.build(store, Self.b, pass: 2))
        let c = try Self.build(store, Self.c, pass: 1)
        #expect(try store.dependencies(of: a1.id).isEmpty)
        #expect(try store.dependencies(of: b1.id) == [a1.id])
        #expect(try store.dependencies(of: a2.id) == [a1.id, b1.id])
        #expect(try Set(store.dependencies(of: b2.id)) == [a1.id, b1.id])
        #expect(try store.dependencies(of: c.id) == [a2.id, b2.id], "outside the cycle, ex-c waits for pass 2")
        #expect(a2.title == "ex-a 1.0-1 (pass 2 of a cycle)" && a1.title == "ex-a 1.0-1")

        let again = try Self.catchup.run(store: store)
        #expect(again.changedNothing && again.existingIDs.count == 5)
        #expect(try Self.catchup.run(store: store, dryRun: true).wouldEnqueue.isEmpty)

        try Self.buildReady(store, ["ex-a/1"])
        try Self.buildReady(store, ["ex-b/1"])
        #expect(try store.build(c.id).state == .waiting)
        try Self.buildReady(store, ["ex-a/2", "ex-b/2"])
        try Self.buildReady(store, ["ex-c/1"])
        #expect(try store.builds(state: .accepted, repo: nil, limit: nil).count == 5)
        #expect(try Self.catchup.run(store: store).changedNothing, "accepted builds are not queued again")
    }

    @Test(arguments: StoreBackend.allCases)
    func rejectingPassOneMarksTheVersionAndBlocksPassTwo(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        _ = try Self.catchup.run(store: store)
        let a1 = try Self.build(store, Self.a, pass: 1)
        let claimed = try #require(try store.claim(worker: "w", arches: ["i586"], tags: []))
        #expect(claimed.id == a1.id)
        _ = try store.report(a1.id, worker: "w", result: .built(log: nil, artifacts: []))
        try store.reject(a1.id, reason: "broken")
        #expect(try store.marks().map { "\($0.package.pkgbase) \($0.version)" } == ["ex-a 1.0-1"])
        for (package, pass) in [(Self.b, 1), (Self.a, 2), (Self.b, 2), (Self.c, 1)] {
            #expect(try Self.build(store, package, pass: pass).state.name == .blocked, "\(package) pass \(pass)")
        }
        let report = try Self.catchup.run(store: store)
        #expect(report.enqueued.isEmpty)
        #expect(report.markedRejected.map { "\($0.package.pkgbase)/\($0.pass)" } == ["ex-a/1", "ex-a/2"])
    }

    /// A store of schema 7 queued the cycle once (ex-b after ex-a, ex-c after both): its
    /// builds survive the migration, and the next catch-up adds pass 2 and moves ex-c to it.
    @Test(arguments: StoreBackend.allCases)
    func aSchemaSevenStoreKeepsItsBuildsAndGainsPassTwo(_ backend: StoreBackend) throws {
        let url = try backend.freshURL()
        let old = try backend.open(url, schema: 7)
        let a1 = try StoreSchemaTests.insertReadyBuild(Self.a, version: "1.0-1", into: old)
        let b1 = try StoreSchemaTests.insertReadyBuild(Self.b, version: "1.0-1", into: old)
        let c = try StoreSchemaTests.insertReadyBuild(Self.c, version: "1.0-1", into: old)
        try old.autocommit { db in
            for (from, to) in [(b1, a1), (c, a1), (c, b1)] {
                try db.query("INSERT INTO build_edges (build_id, depends_on) VALUES ($1, $2)", .int(from.rawValue), .int(to.rawValue))
            }
            try db.query("UPDATE builds SET state = 'waiting' WHERE id <> $1", .int(a1.rawValue))
        }

        let store = try backend.open(url)
        #expect(try store.schemaVersion == Schema.latest)
        #expect(try [a1, b1, c].map { try store.build($0).pass } == [1, 1, 1])
        #expect(try store.build(a1).state == .ready && store.dependencies(of: c) == [a1, b1])
        #expect(throws: StoreError.self, "foreign keys hold again after the migration") {
            try store.autocommit { db in
                try db.query("INSERT INTO build_edges (build_id, depends_on) VALUES ($1, 999999)", .int(a1.rawValue))
            }
        }

        let report = try Self.catchup.run(store: store)
        #expect(report.enqueued.map { "\($0.package.pkgbase)/\($0.pass)" } == ["ex-a/2", "ex-b/2"])
        #expect(report.superseded.isEmpty && Set(report.existingIDs) == [a1, b1, c])
        let (a2, b2) = (try Self.build(store, Self.a, pass: 2), try Self.build(store, Self.b, pass: 2))
        #expect(try store.dependencies(of: c) == [a2.id, b2.id], "ex-c moved to pass 2")
        #expect(try store.dependencies(of: a2.id) == [a1, b1])
        #expect(try Self.catchup.run(store: store).changedNothing)
        try Self.buildReady(store, ["ex-a/1"])
        try Self.buildReady(store, ["ex-b/1"])
        try Self.buildReady(store, ["ex-a/2", "ex-b/2"])
        try Self.buildReady(store, ["ex-c/1"])
    }

    /// A new version supersedes both passes of the queued one; the dependent moves to
    /// the new pass 2.
    @Test(arguments: StoreBackend.allCases)
    func aNewVersionSupersedesBothPasses(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        _ = try Self.catchup.run(store: store)
        let bumped = try CatchupTests.plan([
            PlanTests.pkgbuild("ex-a", "1.1-1", "makedepends=(ex-b)"),
            PlanTests.pkgbuild("ex-b", "1.0-1", "depends=(ex-a)"),
            PlanTests.pkgbuild("ex-c", "1.0-1", "depends=(ex-a ex-b)"),
        ], database: [PlanTests.package("ex-a", "0.9-1"), PlanTests.package("ex-b", "0.9-1")])
        let report = try Catchup(plan: bumped, arches: ["core": "i586"]).run(store: store)
        #expect(report.enqueued.map { "\($0.package.pkgbase) \($0.version)/\($0.pass)" } == ["ex-a 1.1-1/1", "ex-a 1.1-1/2"])
        #expect(report.superseded.map { "\($0.package.pkgbase) \($0.version)/\($0.pass)" } == ["ex-a 1.0-1/1", "ex-a 1.0-1/2"])
        let a1 = try #require(try store.builds(of: Self.a).first { $0.version == "1.1-1" && $0.pass == 1 })
        let a2 = try #require(try store.builds(of: Self.a).first { $0.version == "1.1-1" && $0.pass == 2 })
        let (b1, b2) = (try Self.build(store, Self.b, pass: 1), try Self.build(store, Self.b, pass: 2))
        #expect(try store.dependencies(of: b1.id) == [a1.id])
        #expect(try Set(store.dependencies(of: b2.id)) == [a1.id, b1.id])
        #expect(try store.dependencies(of: Self.build(store, Self.c, pass: 1).id) == [b2.id, a2.id].sorted())
        #expect(try Catchup(plan: bumped, arches: ["core": "i586"]).run(store: store).changedNothing)
    }
}
