import Foundation
import Graph
import Repo
import Sandbox
@testable import Scheduler
import Testing

/// A build outside a rebuild set that depends on a held member (a cycle's dependent,
/// built against the held pass 2) cannot be accepted before the set is published; the
/// waka accepts it right after the publication (`BuildRunner.acceptDependents`).
@Suite struct SetDependentsTests {
    @Test func anOutsideDependentIsAcceptedOnceTheSetIsPublished() throws {
        let fixture = try ReviewFixture(review: "auto")
        defer { fixture.remove() }
        let store = try fixture.openStore()
        let libc = PackageBaseID(repo: "tiny", pkgbase: "tiny-libc"), zlib = PackageBaseID(repo: "tiny", pkgbase: "tiny-zlib")
        let ids = try store.enqueue([PlannedBuild(libc, version: "2.0-1"), PlannedBuild(zlib, version: "1:1.3-2", dependencies: [libc])]).enqueued
        let set = try store.openSet([(ids[0], .pass)], reason: "a held member")
        try fixture.report(try #require(try store.claim(worker: "test-waka", arches: ["x86_64"], tags: [])), in: store)
        try store.stage(ids[0])   // held: its dependent becomes ready
        let dependent = try #require(try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []))
        #expect(dependent.id == ids[1])
        try fixture.report(dependent, in: store)

        let loaded = Configuration.load(directory: fixture.root)
        let runner = WorkerRoleSetTests.runner(loaded, store, worker: "test-waka")
        #expect(throws: SchedulerError.self, "tiny-libc is held, not accepted") { try runner.acceptIfAuto(try store.build(ids[1])) }
        let outcome = try #require(try runner.acceptIfAuto(try store.build(ids[0])))
        let publication = try #require(outcome.publication)
        #expect(publication.set.id == set.id && publication.published.map(\.id) == [ids[0]])
        let events = runner.acceptDependents(of: publication.published)
        #expect(events.count == 1, "\(events)")
        if case .accepted(let build) = events.first { #expect(build.id == ids[1]) } else { Issue.record("\(events)") }
        #expect(try store.build(ids[1]).state == .accepted)
        #expect(try SyncDatabase.read(at: fixture.database).entries.map(\.name).sorted() == ["tiny-libc", "tiny-zlib"])
    }
}
