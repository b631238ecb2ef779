import Foundation
import Graph
import Testing
@testable import Scheduler

/// What wakas need of the store beyond claims: giving a build back at shutdown, and a
/// fixed version of a failed pkgbase taking over its blocked dependents.
@Suite struct StoreReleaseTests {
    static func id(_ name: String) -> PackageBaseID { PackageBaseID(repo: "core", pkgbase: name) }

    @Test(arguments: StoreBackend.allCases)
    func releaseMakesTheBuildReadyWithoutCountingAnAttempt(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let id = try #require(try store.enqueue([PlannedBuild(Self.id("zlib"), version: "1.3-1")]).enqueued.first)
        _ = try store.claim(worker: "w1", arches: ["x86_64"], tags: [])
        #expect(throws: StoreError.self) { try store.release(id, worker: "w2") }
        try store.release(id, worker: "w1")
        let record = try store.build(id)
        #expect(record.state == .ready && record.attempts == 0 && record.worker == nil)
        #expect(try store.claim(worker: "w2", arches: ["x86_64"], tags: [])?.id == id)
    }

    @Test(arguments: StoreBackend.allCases)
    func aNewVersionOfAFailedBuildTakesOverItsBlockedDependents(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue([
            PlannedBuild(Self.id("glibc"), version: "2.39-1"),
            PlannedBuild(Self.id("gcc"), version: "14.1-1", dependencies: [Self.id("glibc")]),
        ]).enqueued
        _ = try store.claim(worker: "w1", arches: ["x86_64"], tags: [])
        _ = try store.report(ids[0], worker: "w1", result: .failed(.build, reason: "broken", log: nil))
        #expect(try store.build(ids[1]).state == .blocked(by: ids[0]))
        let fixed = try #require(try store.enqueue([
            PlannedBuild(Self.id("glibc"), version: "2.39-2"),
            PlannedBuild(Self.id("gcc"), version: "14.1-1", dependencies: [Self.id("glibc")]),
        ]).enqueued.first)
        #expect(try store.build(ids[1]).state == .waiting)
        #expect(try store.dependencies(of: ids[1]) == [fixed])
        #expect(try store.build(ids[0]).state == .failed(.build), "the failed build keeps its history")
        _ = try store.claim(worker: "w1", arches: ["x86_64"], tags: [])
        _ = try store.report(fixed, worker: "w1", result: .built(log: nil, artifacts: []))
        try store.accept(fixed)
        #expect(try store.build(ids[1]).state == .ready)
    }
}
