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

    /// A store from before cycle sets: pass 1 accepted alone, pass 2 then in a set. The
    /// set's publication replaces pass 1's pool file of the same name, as accept does.
    @Test func aSetPublishesAPass2OverItsAcceptedPass1() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let store = try fixture.openStore()
        let foo = PackageBaseID(repo: "tiny", pkgbase: "foo"), bar = PackageBaseID(repo: "tiny", pkgbase: "bar")
        _ = try store.enqueue([PlannedBuild(foo, version: "1-1"), PlannedBuild(foo, version: "1-1", pass: 2, firstPassDependencies: [foo]),
                               PlannedBuild(bar, version: "1-1")])
        let loaded = Configuration.load(directory: fixture.root)
        var shas: [BuildID: String] = [:]
        func report(_ content: String) throws -> BuildRecord {
            let claimed = try #require(try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []))
            let out = fixture.root + "/out/\(claimed.id.rawValue)"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try content.write(toFile: out + "/content", atomically: true, encoding: .utf8)
            let package = try SonameBumpTests.package(claimed.package.pkgbase, "1-1", files: ["usr/share/content": out + "/content"], in: out)
            let facts = try PackageFacts.read(at: package)
            shas[claimed.id] = facts.sha256
            return try store.report(claimed.id, worker: "test-waka", result: .built(log: nil, artifacts: [package], facts: [facts]))
        }
        let first = try report("pass 1")
        #expect(first.package == foo && first.pass == 1)
        _ = try Acceptor(store: store, repos: loaded.repos).accept(first.id)
        let built = try [report("pass 2"), report("bar")]
        let second = try #require(built.first { $0.package == foo })
        #expect(second.pass == 2)
        let set = try store.openSet(built.map { ($0.id, .pass) }, reason: "test")
        for build in built { try store.approveSetMember(build.id) }
        let publication = try SetPublisher(store: store, repos: loaded.repos).publishWhole(set.id)
        #expect(Set(publication.published.map(\.id)) == Set(built.map(\.id)))
        let entries = try SyncDatabase.read(at: fixture.database).entries
        #expect(entries.first { $0.name == "foo" }?.sha256sum == shas[second.id], "pass 2's file replaced pass 1's")
        #expect(entries.map(\.name).sorted() == ["bar", "foo"])
    }
}
