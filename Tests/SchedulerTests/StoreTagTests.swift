import Foundation
import Graph
import Testing
@testable import Scheduler

/// Required tags (schema 5) on both backends: a worker claims a build only if it has
/// every tag the build requires; otherwise claims keep their priority order.
@Suite struct StoreTagTests {
    static func id(_ name: String) -> PackageBaseID { PackageBaseID(repo: "extra", pkgbase: name) }

    /// chromium (big-memory) first by priority, then zlib, then a build needing two tags.
    static let queue = [
        PlannedBuild(id("chromium"), version: "120-1", priority: 9, requiredTags: ["big-memory"]),
        PlannedBuild(id("zlib"), version: "1.3-1", priority: 5),
        PlannedBuild(id("cuda"), version: "12-1", priority: 3, requiredTags: ["gpu", "big-memory"]),
        PlannedBuild(id("less"), version: "643-1", priority: 1),
    ]

    @Test(arguments: StoreBackend.allCases)
    func anUntaggedWorkerSkipsTaggedBuildsForTheNextUntaggedOne(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        _ = try store.enqueue(Self.queue)
        #expect(try store.claim(worker: "small", arches: [], tags: [])?.package.pkgbase == "zlib")
        #expect(try store.claim(worker: "small", arches: [], tags: [])?.package.pkgbase == "less")
        #expect(try store.claim(worker: "small", arches: [], tags: []) == nil, "chromium and cuda need tags")
        // a tag that merely starts like the required one is not it
        #expect(try store.claim(worker: "big", arches: [], tags: ["big", "memory", "big-memory-x"]) == nil)
        let chromium = try #require(try store.claim(worker: "big", arches: [], tags: ["big-memory"]))
        #expect(chromium.package.pkgbase == "chromium" && chromium.requiredTags == ["big-memory"])
        #expect(try store.claim(worker: "big", arches: [], tags: ["big-memory"]) == nil, "cuda also needs gpu")
        let cuda = try #require(try store.claim(worker: "gpu", arches: [], tags: ["zen4", "gpu", "big-memory"]))
        #expect(cuda.package.pkgbase == "cuda" && cuda.requiredTags == ["big-memory", "gpu"])
    }

    @Test(arguments: StoreBackend.allCases)
    func aWorkerWithASupersetOfTagsClaimsInPriorityOrder(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        _ = try store.enqueue(Self.queue)
        let order = try (0 ..< 5).map { _ in try store.claim(worker: "w", arches: [], tags: ["gpu", "big-memory", "ssd"])?.package.pkgbase }
        #expect(order == ["chromium", "zlib", "cuda", "less", nil])
    }

    @Test(arguments: StoreBackend.allCases)
    func queueingTheSameVersionWithNewTagsRetagsItForItsRetry(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue([PlannedBuild(Self.id("llvm"), version: "17-1"), PlannedBuild(Self.id("rust"), version: "1.75-1")]).enqueued
        let llvm = try #require(try store.claim(worker: "small", arches: [], tags: []))
        #expect(llvm.id == ids[0])
        _ = try store.report(llvm.id, worker: "small", result: .failed(.build, reason: "out of memory", log: nil))

        let again = try store.enqueue([PlannedBuild(Self.id("llvm"), version: "17-1", requiredTags: ["big-memory"]),
                                       PlannedBuild(Self.id("rust"), version: "1.75-1", requiredTags: ["big-memory"])])
        #expect(again.enqueued.isEmpty && again.existing == ids)
        #expect(again.retagged == ids, "the failed build and the ready one take the new tags")
        #expect(try store.build(ids[0]).requiredTags == ["big-memory"])
        #expect(try store.enqueue([PlannedBuild(Self.id("llvm"), version: "17-1", requiredTags: ["big-memory"])]).retagged.isEmpty,
                "unchanged tags change nothing")
        try store.retry(ids[0])
        #expect(try store.claim(worker: "small", arches: [], tags: []) == nil)
        let retried = try #require(try store.claim(worker: "big", arches: [], tags: ["big-memory"]))
        #expect(retried.id == ids[0])
        // a building build keeps the tags it was claimed under
        #expect(try store.enqueue([PlannedBuild(Self.id("llvm"), version: "17-1")]).retagged.isEmpty)
        #expect(try store.build(ids[0]).requiredTags == ["big-memory"])
    }

    @Test(arguments: StoreBackend.allCases)
    func tagDemandCountsReadyBuildsBySetOfTags(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        _ = try store.enqueue(Self.queue + [PlannedBuild(Self.id("firefox"), version: "121-1", requiredTags: ["big-memory"])])
        let demand = try store.tagDemand(state: .ready)
        #expect(demand == [TagDemand(tags: ["big-memory"], count: 2), TagDemand(tags: ["big-memory", "gpu"], count: 1)])
        let workers = [WorkerInfo(name: "a", host: "h", arches: [], tags: ["big-memory"]),
                       WorkerInfo(name: "b", host: "h", arches: [], tags: ["gpu"])]
        #expect(demand[0].isServed(by: workers))
        #expect(!demand[1].isServed(by: workers) && demand[1].absent(from: workers).isEmpty, "each tag is on some worker, not both on one")
        #expect(demand[1].absent(from: [workers[0]]) == ["gpu"])
        #expect(try store.tagDemand(state: .building).isEmpty)
    }

    @Test(arguments: StoreBackend.allCases)
    func buildsQueuedInASchema4StoreRequireNoTags(_ backend: StoreBackend) throws {
        let url = try backend.freshURL()
        let old = try backend.open(url, schema: 4)
        let id = try StoreSchemaTests.insertReadyBuild(Self.id("zlib"), version: "1.3-1", into: old)
        let migrated = try backend.open(url)
        #expect(try migrated.schemaVersion == Schema.latest)
        #expect(try migrated.build(id).requiredTags == [])
        #expect(try migrated.claim(worker: "w", arches: [], tags: [])?.id == id)
    }
}
