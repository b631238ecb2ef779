import Foundation
import Graph
import Testing
@testable import Scheduler

/// What holds a set and its part closed under dependencies (`set publish --closed`),
/// over the store alone: lib <- app <- tool, lib <- other; app failed.
struct SetClosedPartTests {
    static func id(_ name: String) -> PackageBaseID { PackageBaseID(repo: "core", pkgbase: name) }

    @Test func aFailedMemberLeavesOutWhatDependsOnIt() throws {
        let store = try StoreBackend.sqlite.fresh()
        let lib = try #require(try store.enqueue([PlannedBuild(Self.id("lib"), version: "2-1")]).enqueued.first)
        func build(_ expected: BuildID, fail: Bool = false) throws {
            let claimed = try #require(try store.claim(worker: "w", arches: ["x86_64"], tags: []))
            #expect(claimed.id == expected)
            _ = try store.report(claimed.id, worker: "w", result: fail ? .failed(.build, reason: "no", log: nil)
                                 : .built(log: nil, artifacts: ["\(claimed.package.pkgbase).pkg.tar.zst"]))
        }
        try build(lib)
        let (set, _) = try store.enqueueSet([
            PlannedBuild(Self.id("app"), version: "1-1.1", priority: 3, dependencies: [Self.id("lib")]),
            PlannedBuild(Self.id("tool"), version: "1-1.1", priority: 2, dependencies: [Self.id("lib"), Self.id("app")]),
            PlannedBuild(Self.id("other"), version: "1-1.1", priority: 1, dependencies: [Self.id("lib")]),
        ], root: lib, joining: [], reason: "test")
        let app = set.members[1].build, tool = set.members[2].build, other = set.members[3].build
        try store.stage(lib)
        try build(app, fail: true)
        try build(other)
        let publisher = SetPublisher(store: store, repos: [])
        #expect(try publisher.holds(store.rebuildSet(set.id)).map(\.build) == [lib, app, tool, other], "nothing is approved yet")
        for member in [lib, other] { try store.approveSetMember(member) }
        let holds = try publisher.holds(store.rebuildSet(set.id))
        #expect(holds.map(\.build) == [app, tool])
        #expect(holds[0].reason.hasPrefix("failed (build)") && holds[1].reason.hasPrefix("blocked by \(app)"), "\(holds)")
        let part = try publisher.closedPart(store.rebuildSet(set.id))
        #expect(part.members == [lib, other])
        #expect(part.leftOut.count == 2)
        #expect(try publisher.publishIfComplete(set.id) == nil, "held")
        #expect(throws: SchedulerError.self) { try publisher.publishWhole(set.id) }
    }
}
