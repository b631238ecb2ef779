import Foundation
import Graph
import Testing
@testable import Scheduler

/// Every store rule on both backends: the same calls must give the same answers.
@Suite struct StoreConformanceTests {
    static func id(_ name: String, repo: String = "core") -> PackageBaseID { PackageBaseID(repo: repo, pkgbase: name) }

    /// glibc <- gcc <- make, and zlib on its own.
    static let chain = [
        PlannedBuild(id("glibc"), version: "2.39-1", priority: 3),
        PlannedBuild(id("gcc"), version: "14.1-1", priority: 2, dependencies: [id("glibc")]),
        PlannedBuild(id("make"), version: "4.4-1", priority: 1, dependencies: [id("gcc"), id("glibc")]),
        PlannedBuild(id("zlib"), version: "1.3-1", priority: 5),
    ]

    func states(_ store: some BuildStore) throws -> [String: BuildState] {
        Dictionary(uniqueKeysWithValues: try store.builds(state: nil, repo: nil, limit: nil).map { ($0.package.pkgbase, $0.state) })
    }

    /// Claims the one ready build named `name` by draining claims until it comes.
    func build(_ store: some BuildStore, _ id: BuildID, worker: String = "w1") throws {
        let claimed = try #require(try store.claim(worker: worker, arches: ["x86_64"], tags: []))
        #expect(claimed.id == id)
        _ = try store.report(id, worker: worker, result: .built(log: "log/\(id.rawValue)", artifacts: ["a.pkg.tar.zst"]))
        try store.accept(id)
    }

    /// The queue page's batch read: the not-yet-accepted dependencies of many builds at once.
    @Test(arguments: StoreBackend.allCases)
    func pendingDependenciesOfManyBuildsAtOnce(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Self.chain).enqueued
        let byName = Dictionary(uniqueKeysWithValues: try ids.map { (try store.build($0).package.pkgbase, $0) })
        let before = try store.pendingDependencies(of: ids)
        for id in ids {
            #expect(before[id]?.map(\.id) ?? [] == (try store.dependencies(of: id)), "\(id)")
        }
        try build(store, byName["zlib"]!)  // the highest priority is claimed first
        try build(store, byName["glibc"]!)
        let after = try store.pendingDependencies(of: ids)
        #expect(after[byName["gcc"]!] == nil, "glibc is accepted: gcc waits for nothing")
        #expect(after[byName["make"]!]?.map(\.package.pkgbase) == ["gcc"])
        #expect(try store.pendingDependencies(of: []).isEmpty)
    }

    @Test(arguments: StoreBackend.allCases)
    func enqueueIsIdempotentAndSetsInitialStates(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let first = try store.enqueue(Self.chain)
        #expect(first.enqueued.count == 4)
        #expect(try states(store) == ["glibc": .ready, "gcc": .waiting, "make": .waiting, "zlib": .ready])
        #expect(try store.dependencies(of: first.enqueued[2]) == [first.enqueued[0], first.enqueued[1]])
        let second = try store.enqueue(Self.chain)
        #expect(second.enqueued.isEmpty && second.superseded.isEmpty)
        #expect(second.existing == first.enqueued)
        #expect(try store.schemaVersion == Schema.latest)
    }

    @Test(arguments: StoreBackend.allCases)
    func claimsByPriorityAndArch(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        _ = try store.enqueue([
            PlannedBuild(Self.id("low"), version: "1-1", arch: "x86_64", priority: 1),
            PlannedBuild(Self.id("high"), version: "1-1", arch: "aarch64", priority: 9),
            PlannedBuild(Self.id("mid"), version: "1-1", arch: "any", priority: 5),
        ])
        #expect(try store.claim(worker: "a", arches: ["x86_64"], tags: [])?.package.pkgbase == "mid")
        #expect(try store.claim(worker: "a", arches: ["x86_64"], tags: [])?.package.pkgbase == "low")
        #expect(try store.claim(worker: "a", arches: ["x86_64"], tags: []) == nil, "aarch64 is not served")
        let high = try #require(try store.claim(worker: "b", arches: ["aarch64"], tags: []))
        #expect(high.package.pkgbase == "high" && high.state == .building && high.worker == "b")
        #expect(high.leaseExpires != nil && high.startedAt != nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func acceptingReleasesDependentsAndRecordsHistory(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Self.chain).enqueued
        try build(store, ids[3])
        try build(store, ids[0])
        #expect(try states(store)["gcc"] == .ready)
        #expect(try states(store)["make"] == .waiting, "make still waits for gcc")
        try build(store, ids[1])
        #expect(try states(store)["make"] == .ready)
        let glibc = try store.build(ids[0])
        #expect(glibc.state == .accepted && glibc.log == "log/\(ids[0].rawValue)" && glibc.artifacts == ["a.pkg.tar.zst"])
        #expect(glibc.reviewedAt != nil && glibc.finishedAt != nil && glibc.worker == "w1")
        #expect(try store.averageDuration(of: Self.id("glibc"), window: 10) != nil)
        #expect(try store.averageDuration(of: Self.id("nothing"), window: 10) == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func failureBlocksDependentsUntilTheRetrySucceeds(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Self.chain).enqueued
        _ = try #require(try store.claim(worker: "w1", arches: [], tags: []))  // zlib, priority 5
        let glibc = try #require(try store.claim(worker: "w1", arches: [], tags: []))
        let failed = try store.report(glibc.id, worker: "w1", result: .failed(.check, reason: "test suite", log: "l"))
        #expect(failed.state == .failed(.check) && failed.reason == "test suite")
        #expect(try states(store)["gcc"] == .blocked(by: ids[0]))
        #expect(try states(store)["make"] == .blocked(by: ids[0]))
        #expect(throws: StoreError.refused(ids[1], LifecycleRefusal(state: .blocked(by: ids[0]), event: .accept))) {
            try store.accept(ids[1])
        }
        try store.retry(ids[0])
        #expect(try states(store)["glibc"] == .ready)
        #expect(try states(store)["gcc"] == .blocked(by: ids[0]), "unblocks only when glibc succeeds")
        try build(store, ids[0])
        #expect(try states(store)["gcc"] == .ready)
        #expect(try states(store)["make"] == .waiting)
    }

    @Test(arguments: StoreBackend.allCases)
    func blockingIsTransitiveAndUnblocksWithItsCause(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        // a <- b <- c <- d, each waiting only for the one before.
        let names = ["a", "b", "c", "d"]
        let ids = try store.enqueue(names.indices.map { n in
            PlannedBuild(Self.id(names[n]), version: "1-1", priority: Double(10 - n), dependencies: n == 0 ? [] : [Self.id(names[n - 1])])
        }).enqueued
        let a = try #require(try store.claim(worker: "w", arches: [], tags: []))
        _ = try store.report(a.id, worker: "w", result: .failed(.build, reason: "r", log: nil))
        #expect(try states(store) == ["a": .failed(.build), "b": .blocked(by: ids[0]), "c": .blocked(by: ids[0]), "d": .blocked(by: ids[0])])
        let e = try #require(try store.enqueue([PlannedBuild(Self.id("e"), version: "1-1", dependencies: [Self.id("d")])]).enqueued.first)
        #expect(try store.build(e).state == .blocked(by: ids[0]), "queued behind a blocked build, blocked from the start")
        try store.retry(ids[0])
        #expect(try states(store)["d"] == .blocked(by: ids[0]), "unblocks only when a succeeds")
        try build(store, ids[0])
        #expect(try states(store) == ["a": .accepted, "b": .ready, "c": .waiting, "d": .waiting, "e": .waiting])

        let b = try #require(try store.claim(worker: "w", arches: [], tags: []))
        _ = try store.report(b.id, worker: "w", result: .failed(.check, reason: "r", log: nil))
        #expect(try states(store) == ["a": .accepted, "b": .failed(.check), "c": .blocked(by: ids[1]), "d": .blocked(by: ids[1]),
                                      "e": .blocked(by: ids[1])])
        // A new c that no longer needs b takes over c's dependents, and they unblock.
        let c2 = try #require(try store.enqueue([PlannedBuild(Self.id("c"), version: "2-1")]).enqueued.first)
        #expect(try store.build(ids[2]).state == .superseded && store.build(c2).state == .ready)
        #expect(try store.build(ids[3]).state == .waiting && store.build(e).state == .waiting)
        try store.cancel(c2)
        #expect(try store.build(ids[3]).state == .blocked(by: c2) && store.build(e).state == .blocked(by: c2))
    }

    @Test(arguments: StoreBackend.allCases)
    func rejectionMarksTheVersion(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Array(Self.chain.prefix(2))).enqueued
        let glibc = try #require(try store.claim(worker: "w", arches: [], tags: []))
        _ = try store.report(glibc.id, worker: "w", result: .built(log: nil, artifacts: []))
        try store.reject(ids[0], reason: "broken ABI")
        #expect(try states(store)["gcc"] == .blocked(by: ids[0]))
        #expect(try store.marks().map(\.reason) == ["broken ABI"])
        let again = try store.enqueue([PlannedBuild(Self.id("glibc"), version: "2.39-1")])
        #expect(again.markedRejected.count == 1 && again.existing.isEmpty && again.enqueued.isEmpty)
        try store.retry(ids[0])
        #expect(try store.marks().isEmpty, "retrying a rejected build lifts its mark")
        try store.mark(RejectionMark(package: Self.id("gcc"), version: "14.1-1", reason: "r"))
        try store.unmark(Self.id("gcc"), version: "14.1-1")
        #expect(try store.marks().isEmpty)
    }

    @Test(arguments: StoreBackend.allCases)
    func newVersionSupersedesQueuedOldOne(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Array(Self.chain.prefix(2))).enqueued
        let result = try store.enqueue([PlannedBuild(Self.id("glibc"), version: "2.40-1", priority: 3)])
        #expect(result.superseded == [ids[0]])
        #expect(try store.build(ids[0]).state == .superseded)
        #expect(try store.dependencies(of: ids[1]) == result.enqueued, "gcc now waits for the new glibc")
        #expect(try store.supersede(Self.id("glibc"), keeping: "2.40-1").isEmpty)
        #expect(try store.builds(of: Self.id("glibc")).map(\.version) == ["2.39-1", "2.40-1"])
        // A started build is not superseded.
        let new = try #require(try store.claim(worker: "w", arches: [], tags: []))
        #expect(try store.enqueue([PlannedBuild(Self.id("glibc"), version: "2.41-1")]).superseded.isEmpty)
        #expect(try store.build(new.id).state == .building)
    }

    @Test(arguments: StoreBackend.allCases)
    func expiredLeasesReturnUntilTheRetryLimit(_ backend: StoreBackend) throws {
        let clock = TestClock()
        let store = try backend.fresh(options: clock.options)
        let ids = try store.enqueue(Array(Self.chain.prefix(2))).enqueued
        for attempt in 1...2 {
            _ = try #require(try store.claim(worker: "w\(attempt)", arches: [], tags: []))
            clock.advance(30)
            #expect(try store.heartbeat(worker: "w\(attempt)") == 1)
            clock.advance(59)
            #expect(try store.expireLeases().isEmpty, "the heartbeat renewed the lease")
            clock.advance(2)
            #expect(try store.expireLeases() == [ids[0]])
            let record = try store.build(ids[0])
            #expect(record.state == .ready && record.attempts == attempt && record.worker == nil)
        }
        _ = try #require(try store.claim(worker: "w3", arches: [], tags: []))
        try store.renewLease(ids[0], worker: "w3")
        #expect(throws: StoreError.notHolder(ids[0], worker: "w1", holder: "w3")) {
            try store.renewLease(ids[0], worker: "w1")
        }
        clock.advance(61)
        #expect(try store.expireLeases() == [ids[0]])
        #expect(try store.build(ids[0]).state == .failed(.lost))
        #expect(try store.build(ids[1]).state == .blocked(by: ids[0]))
        #expect(throws: StoreError.refused(ids[0], LifecycleRefusal(state: .failed(.lost), event: .built))) {
            _ = try store.report(ids[0], worker: "w3", result: .built(log: nil, artifacts: []))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func maintenanceAndReading(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Self.chain + [PlannedBuild(Self.id("vim", repo: "extra"), version: "9-1")]).enqueued
        try store.setPriority(ids[4], 100)
        #expect(try store.claim(worker: "w", arches: [], tags: [])?.id == ids[4])
        try store.cancel(ids[0])
        #expect(try states(store)["gcc"] == .blocked(by: ids[0]))
        #expect(throws: StoreError.noSuchBuild(BuildID(99999))) { try store.setPriority(BuildID(99999), 1) }
        #expect(throws: StoreError.noSuchBuild(BuildID(99999))) { try store.build(BuildID(99999)) }
        let counts = try store.counts()
        #expect(counts.contains(StateCount(repo: "extra", state: .building, count: 1)))
        #expect(counts.contains(StateCount(repo: "core", state: .blocked, count: 2)))
        #expect(try store.builds(state: .ready, repo: "core", limit: 5).map(\.package.pkgbase) == ["zlib"])
        #expect(try store.builds(state: nil, repo: "extra", limit: nil).count == 1)
        try store.register(WorkerInfo(name: "w", host: "box", arches: ["x86_64", "any"], tags: ["big"], slots: 4))
        try store.register(WorkerInfo(name: "w", host: "box2", arches: ["x86_64"], slots: 2))
        let workers = try store.workers()
        #expect(workers.count == 1 && workers[0].host == "box2" && workers[0].slots == 2 && workers[0].arches == ["x86_64"])
        #expect(try store.heartbeat(worker: "w") == 1)
        try store.appendHistory(Self.id("vim"), version: "8-1", seconds: 10)
        try store.appendHistory(Self.id("vim"), version: "9-1", seconds: 20)
        try store.appendHistory(Self.id("vim"), version: "9-2", seconds: 60)
        #expect(try store.averageDuration(of: Self.id("vim"), window: 2) == 40)
        #expect(try store.averageDuration(of: Self.id("vim"), window: 10) == 30)
    }
}
