import Foundation
import Graph
import Testing
@testable import Scheduler

/// The readiness rule with staging repos (schema 6) on both backends: a dependency
/// counts as done when it is accepted, or built and staged; a rejected staged build
/// blocks everything that was made ready by it or built against it.
@Suite struct StoreStagingTests {
    static func id(_ name: String) -> PackageBaseID { PackageBaseID(repo: "core", pkgbase: name) }

    /// glibc <- gcc <- make, and binutils on glibc alone (claimed last).
    static let chain = [
        PlannedBuild(id("glibc"), version: "2.39-1", priority: 3),
        PlannedBuild(id("gcc"), version: "14.1-1", priority: 2, dependencies: [id("glibc")]),
        PlannedBuild(id("make"), version: "4.4-1", priority: 1, dependencies: [id("gcc"), id("glibc")]),
        PlannedBuild(id("binutils"), version: "2.42-1", priority: 0.5, dependencies: [id("glibc")]),
    ]

    /// Claims the next build, expecting `id`, and reports it built.
    func buildNext(_ store: some BuildStore, _ id: BuildID) throws {
        let claimed = try #require(try store.claim(worker: "w1", arches: ["x86_64"], tags: []))
        #expect(claimed.id == id)
        _ = try store.report(id, worker: "w1", result: .built(log: nil, artifacts: ["p.pkg.tar.zst"]))
    }

    func state(_ store: some BuildStore, _ id: BuildID) throws -> BuildState { try store.build(id).state }

    @Test(arguments: StoreBackend.allCases)
    func aStagedDependencyMakesItsDependentsReady(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Self.chain).enqueued
        try buildNext(store, ids[0])
        #expect(try state(store, ids[1]) == .waiting, "built but not staged is not enough")
        try store.stage(ids[0])
        #expect(try store.build(ids[0]).stagedAt != nil)
        #expect(try state(store, ids[0]) == .built)
        #expect(try state(store, ids[1]) == .ready)
        #expect(try state(store, ids[3]) == .ready)
        #expect(try state(store, ids[2]) == .waiting, "make still waits for gcc")
        try buildNext(store, ids[1])
        try store.stage(ids[1])
        #expect(try state(store, ids[2]) == .ready, "the whole chain builds without an accept")

        try store.accept(ids[0])
        let glibc = try store.build(ids[0])
        #expect(glibc.state == .accepted && glibc.stagedAt == nil, "accepted builds leave staging")
        #expect(try state(store, ids[1]) == .built && store.build(ids[1]).stagedAt != nil)
        #expect(try state(store, ids[2]) == .ready)
    }

    @Test(arguments: StoreBackend.allCases)
    func withoutStagingADependentWaitsForTheAccept(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Self.chain).enqueued
        try buildNext(store, ids[0])
        #expect(try state(store, ids[1]) == .waiting)
        #expect(try store.claim(worker: "w1", arches: ["x86_64"], tags: []) == nil, "nothing is ready")
        try store.accept(ids[0])
        #expect(try state(store, ids[1]) == .ready)
        #expect(try store.build(ids[0]).stagedAt == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func onlyABuiltBuildIsStaged(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Self.chain).enqueued
        #expect(throws: StoreError.self) { try store.stage(ids[0]) }
        #expect(try store.build(ids[0]).stagedAt == nil)
        #expect(try state(store, ids[1]) == .waiting)
    }

    /// Rejecting a staged build blocks, by it, the dependents it made ready (binutils),
    /// those built and staged against it (gcc, unstaged), their dependents, and one
    /// building against it when it is reported (make). Once a fixed build is staged,
    /// they come back to be built again.
    @Test(arguments: StoreBackend.allCases)
    func rejectingAStagedBuildBlocksWhatWasBuiltAgainstIt(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue(Self.chain).enqueued
        try buildNext(store, ids[0])
        try store.stage(ids[0])
        try buildNext(store, ids[1])
        try store.stage(ids[1])
        let make = try #require(try store.claim(worker: "w1", arches: ["x86_64"], tags: []))
        #expect(make.id == ids[2])

        try store.reject(ids[0], reason: "broke the ABI")
        let glibc = ids[0]
        #expect(try state(store, ids[1]) == .blocked(by: glibc))
        #expect(try store.build(ids[1]).stagedAt == nil, "a blocked build is no longer staged")
        #expect(try state(store, ids[3]) == .blocked(by: glibc), "ready only through the rejected build")
        #expect(try state(store, ids[2]) == .building, "a running build finishes")
        let reported = try store.report(ids[2], worker: "w1", result: .built(log: nil, artifacts: ["m.pkg.tar.zst"]))
        #expect(reported.state == .blocked(by: glibc), "built against a rejected package")
        #expect(try store.claim(worker: "w1", arches: ["x86_64"], tags: []) == nil)

        try store.retry(glibc)
        try buildNext(store, glibc)
        try store.stage(glibc)
        #expect(try state(store, ids[1]) == .ready, "gcc is built again against the new glibc")
        #expect(try state(store, ids[3]) == .ready)
        #expect(try state(store, ids[2]) == .waiting, "make waits for the new gcc")
    }
}
