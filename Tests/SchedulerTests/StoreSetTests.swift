import Foundation
import Graph
import Testing
@testable import Scheduler

/// Rebuild sets in the store (schema 15) on both backends: a set is queued with its
/// rebuilds in one transaction, members are approved, dropped and published, and the set
/// closes when no member is left.
@Suite struct StoreSetTests {
    static func id(_ name: String, _ repo: String = "core") -> PackageBaseID { PackageBaseID(repo: repo, pkgbase: name) }

    /// libfoo built; its consumers app (core) and tool (extra, on app) queued as a set.
    func opened(_ store: some BuildStore) throws -> (library: BuildID, set: RebuildSet) {
        let library = try #require(try store.enqueue([PlannedBuild(Self.id("libfoo"), version: "2.0-1")]).enqueued.first)
        let claimed = try #require(try store.claim(worker: "w1", arches: ["x86_64"], tags: []))
        _ = try store.report(claimed.id, worker: "w1", result: .built(log: nil, artifacts: ["libfoo-2.0-1-x86_64.pkg.tar.zst"]))
        let (set, _) = try store.enqueueSet([
            PlannedBuild(Self.id("app"), version: "1.0-2.1", dependencies: [Self.id("libfoo")]),
            PlannedBuild(Self.id("tool", "extra"), version: "3-1.1", dependencies: [Self.id("libfoo"), Self.id("app")]),
        ], root: library, joining: [], reason: "core/libfoo 2.0-1 drops libfoo.so.1-64")
        return (library, set)
    }

    @Test(arguments: StoreBackend.allCases)
    func aSetHoldsItsMembersUntilPublished(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let (library, set) = try opened(store)
        #expect(set.state == .open && set.reason.contains("libfoo.so.1-64"))
        #expect(set.members.map(\.role) == [.library, .rebuild, .rebuild])
        let app = set.members[1].build, tool = set.members[2].build
        #expect(try store.build(app).version == "1.0-2.1")
        #expect(try store.dependencies(of: app) == [library])
        #expect(Set(try store.dependencies(of: tool)) == [library, app])
        #expect(try store.build(app).state == .waiting, "the library is built, not held yet")
        try store.stage(library)
        #expect(try store.build(app).state == .ready)
        #expect(try store.rebuildSet(of: app)?.id == set.id)

        try store.approveSetMember(library)
        #expect(try store.rebuildSet(set.id).members[0].approvedAt != nil)
        try store.publishSetMembers(set.id, [library])
        #expect(try store.build(library).state == .accepted)
        #expect(try store.rebuildSet(of: library) == nil, "published members leave the open set")
        #expect(try store.rebuildSet(set.id).state == .open)
        try store.dropSetMember(app)
        #expect(try store.rebuildSet(set.id).state == .open, "tool is still live")
        #expect(throws: StoreError.notInSet(app)) { try store.dropSetMember(app) }
        try store.dropSetMember(tool)
        let closed = try store.rebuildSet(set.id)
        #expect(closed.state == .published && closed.closedAt != nil && closed.live.isEmpty)
        #expect(try store.rebuildSets(openOnly: true).isEmpty)
        #expect(try store.rebuildSets(openOnly: false).map(\.id) == [set.id])
        #expect(throws: StoreError.noSuchSet(99)) { try store.rebuildSet(99) }
    }

    @Test(arguments: StoreBackend.allCases)
    func publishingAcceptsEveryMemberAtOnce(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let (library, set) = try opened(store)
        try store.stage(library)
        for member in set.members.dropFirst() {
            let claimed = try #require(try store.claim(worker: "w1", arches: ["x86_64"], tags: []))
            #expect(claimed.id == member.build)
            _ = try store.report(claimed.id, worker: "w1", result: .built(log: nil, artifacts: ["x.pkg.tar.zst"]))
            try store.stage(claimed.id)
        }
        try store.publishSetMembers(set.id, set.members.map(\.build))
        #expect(try set.members.allSatisfy { try store.build($0.build).state == .accepted })
        #expect(try store.rebuildSet(set.id).state == .published)
        #expect(try store.rebuildSet(set.id).members.allSatisfy { $0.publishedAt != nil && $0.approvedAt != nil })
    }
}
