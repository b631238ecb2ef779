import Foundation
import Graph
import Testing
@testable import Scheduler

/// `enqueue` handles a batch in a few multi-row statements; one build per call is the
/// per-row path it replaced. Over a store with history (accepted, failed, blocked and
/// queued builds, rejection marks) both must leave the same states and edges.
@Suite struct StoreEnqueueBatchTests {
    static func id(_ name: String) -> PackageBaseID { PackageBaseID(repo: "core", pkgbase: name) }

    /// A fixed pseudo-random sequence (an LCG), so both stores see the same plans.
    struct Numbers {
        var seed: UInt64
        mutating func below(_ bound: Int) -> Int {
            seed = seed &* 2862933555777941757 &+ 3037000493
            return Int((seed >> 33) % UInt64(bound))
        }
    }

    /// `count` builds of `p0`..., each depending on 0-4 earlier ones, sometimes on a
    /// `lib` only the old generation has, or on a pkgbase never queued.
    static func plan(_ count: Int, seed: UInt64, version: (Int) -> String) -> [PlannedBuild] {
        var numbers = Numbers(seed: seed)
        return (0 ..< count).map { i in
            var dependencies = i == 0 ? [] : (0 ..< numbers.below(5)).map { _ in id("p\(numbers.below(i))") }
            if numbers.below(6) == 0 { dependencies.append(id("lib\(numbers.below(20))")) }
            if numbers.below(50) == 0 { dependencies.append(id("never-queued")) }
            return PlannedBuild(id("p\(i)"), version: version(i), arch: i % 2 == 0 ? "any" : "x86_64",
                                priority: Double(numbers.below(13)), dependencies: dependencies)
        }
    }

    /// 20 libs and 300 builds, then some claimed: most accepted, every fifth failed (its
    /// dependents blocked), and two versions marked rejected.
    static func history(_ store: some BuildStore) throws {
        let libs = (0 ..< 20).map { PlannedBuild(id("lib\($0)"), version: "1-1", priority: 20) }
        _ = try store.enqueue(libs + plan(300, seed: 1) { _ in "1-1" })
        for n in 0 ..< 80 {
            guard let build = try store.claim(worker: "w", arches: ["x86_64"], tags: []) else { break }
            if n % 5 == 4 {
                _ = try store.report(build.id, worker: "w", result: .failed(.build, reason: "r", log: nil))
            } else if n % 11 != 10 {  // some stay built, unreviewed
                _ = try store.report(build.id, worker: "w", result: .built(log: nil, artifacts: []))
                try store.accept(build.id)
            }
        }
        try store.mark(RejectionMark(package: id("p6"), version: "2-1", reason: "r"))
        try store.mark(RejectionMark(package: id("p1200"), version: "1-1", reason: "r"))
    }

    /// The new plan: 1,500 builds; every third of the first 300 is a new version (it
    /// supersedes the old one unless that started), the rest of those are queued already;
    /// one build is listed twice.
    static let next: [PlannedBuild] = {
        let builds = plan(1500, seed: 2) { i in i < 300 && i % 3 == 0 ? "2-1" : "1-1" }
        return builds + [builds[700]]
    }()

    /// Everything `enqueue` decides, by (pkgbase, version) rather than id.
    struct Snapshot: Equatable {
        var states: [String: String] = [:]
        var edges: Set<String> = []
    }

    static func snapshot(_ store: SQLBackedStore) throws -> Snapshot {
        try store.autocommit { db in
            var snapshot = Snapshot()
            let builds = try db.query("SELECT b.pkgbase, b.version, b.state, b.failure_class, r.pkgbase, r.version "
                                      + "FROM builds b LEFT JOIN builds r ON r.id = b.blocked_by")
            for row in builds {
                snapshot.states["\(row.string(0))=\(row.string(1))"] = "\(row.string(2)) \(row.string(3)) \(row.string(4))=\(row.string(5))"
            }
            let edges = try db.query("SELECT b.pkgbase, b.version, d.pkgbase, d.version FROM build_edges e "
                                     + "JOIN builds b ON b.id = e.build_id JOIN builds d ON d.id = e.depends_on")
            snapshot.edges = Set(edges.map { "\($0.string(0))=\($0.string(1)) -> \($0.string(2))=\($0.string(3))" })
            return snapshot
        }
    }

    /// A result with ids replaced by (pkgbase, version), comparable across stores.
    static func named(_ result: EnqueueResult, _ store: some BuildStore) throws -> [[String]] {
        func names(_ ids: [BuildID]) throws -> [String] { try ids.map { let b = try store.build($0); return "\(b.package.pkgbase)=\(b.version)" } }
        return [try names(result.enqueued), try names(result.existing), try names(result.superseded),
                result.markedRejected.map { "\($0.package.pkgbase)=\($0.version)" }]
    }

    @Test(arguments: StoreBackend.allCases)
    func oneBatchEqualsOneBuildAtATime(_ backend: StoreBackend) throws {
        let batched = try backend.fresh()
        let single = try backend.fresh()
        try Self.history(batched)
        try Self.history(single)
        #expect(try Self.snapshot(batched) == Self.snapshot(single))

        let all = try batched.enqueue(Self.next)
        var each = EnqueueResult()
        for build in Self.next {
            let one = try single.enqueue([build])
            each.enqueued += one.enqueued
            each.existing += one.existing
            each.superseded += one.superseded
            each.markedRejected += one.markedRejected
        }
        #expect(try Self.named(all, batched) == Self.named(each, single))
        let after = try Self.snapshot(batched)
        #expect(after == (try Self.snapshot(single)))

        // The fixture reaches every path.
        #expect(all.enqueued.count > 1000 && all.existing.count > 100 && !all.superseded.isEmpty)
        #expect(all.markedRejected.map(\.package.pkgbase) == ["p6", "p1200"])
        #expect(after.edges.contains { $0.contains("-> lib") } && !after.edges.contains { $0.contains("never-queued") })
        #expect(after.states.values.contains { $0.hasPrefix("blocked") && $0.hasSuffix("=1-1") })
        let blockedNew = all.enqueued.filter { (try? batched.build($0).state.name) == .blocked }
        #expect(blockedNew.count > 10, "new builds behind failed ones are blocked, transitively")
        #expect(try batched.enqueue(Self.next).enqueued.isEmpty, "idempotent")
    }
}
