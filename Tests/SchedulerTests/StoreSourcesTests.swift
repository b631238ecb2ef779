import Foundation
import Graph
import Sandbox
import TestSupport
import Testing
@testable import Scheduler

/// The store as the farm's source cache (schema 13, docs/sources.md): a source one waka
/// downloaded reaches another waka, with an empty cache of its own, through the store and
/// not through the network (the loopback server counts every request), on both backends.
@Suite(.serialized) struct StoreSourcesTests {
    /// A directory with `hello-1.0.tar.gz` served by a new server; its sha256.
    static func served() throws -> (directory: String, server: SourceServer, sha256: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-sources-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory + "/served", withIntermediateDirectories: true)
        let file = directory + "/served/hello-1.0.tar.gz"
        try Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 13) }).write(to: URL(fileURLWithPath: file))
        let sha256 = String(try Subprocess.run(["sha256sum", file]).prefix(64))
        return (directory, try SourceServer(directory: directory + "/served"), sha256)
    }

    /// The fetch stage of one waka (its own cache directory) for a build it holds.
    static func fetch(_ url: String, sums: [String: [String]], cache: String, store: any BuildStore, build: BuildID) -> SourceFetch.Outcome {
        let srcinfo = SrcInfo(pkgbase: "hello", base: SrcInfo.Section(attributes: [SrcInfo.Attribute(key: "source", values: [url])]
            + sums.sorted { $0.key < $1.key }.map { SrcInfo.Attribute(key: $0.key, values: $0.value) }))
        var sources = SourceSettings()
        sources.allowHosts = ["127.0.0.1"]  // the test's source server is on the loopback
        let settings = sources.fetchSettings(stateDirectory: cache, shared: StoreSources(store: store, build: build))
        return SourceFetch(settings: settings, pkgbuild: "/abs/hello/PKGBUILD").run(SourceList(srcinfo: srcinfo, carch: "x86_64", pkgbuild: "/abs/hello/PKGBUILD"))
    }

    @Test(arguments: StoreBackend.allCases)
    func aSecondWakaGetsTheSourceFromTheStore(_ backend: StoreBackend) throws {
        let (directory, server, sha256) = try Self.served()
        let store = try backend.fresh()
        let ids = try store.enqueue([PlannedBuild(PackageBaseID(repo: "r", pkgbase: "hello"), version: "1-1"),
                                     PlannedBuild(PackageBaseID(repo: "s", pkgbase: "hello"), version: "1-1")]).enqueued
        try #require(ids.count == 2)
        let url = server.url("hello-1.0.tar.gz")
        let b2 = String(try Subprocess.run(["b2sum", directory + "/served/hello-1.0.tar.gz"]).prefix(128))

        let first = Self.fetch(url, sums: ["sha256sums": [sha256], "b2sums": [b2]], cache: directory + "/waka-a", store: store, build: ids[0])
        #expect(first.failure == nil && first.sources.map(\.origin) == [.network], "\(first.notes)")
        let kept = try store.files(of: ids[0]).filter { $0.kind == .download }
        #expect(kept.map(\.name) == ["b2-" + b2] && kept.map(\.sha256) == [sha256], "kept under its strongest sum: \(kept)")

        // another machine: an empty cache, the same store
        let second = Self.fetch(url, sums: ["sha256sums": [sha256]], cache: directory + "/waka-b", store: store, build: ids[1])
        #expect(second.failure == nil && second.sources.map(\.origin) == [.store], "\(second.notes)")
        #expect(FileManager.default.contents(atPath: second.sources.first?.path ?? "")
                == FileManager.default.contents(atPath: directory + "/served/hello-1.0.tar.gz"))
        // found by the b2 name alone as well, and then from waka b's own cache
        let third = Self.fetch(url, sums: ["b2sums": [b2]], cache: directory + "/waka-c", store: store, build: ids[1])
        #expect(third.sources.map(\.origin) == [.store], "\(third.notes)")
        let fourth = Self.fetch(url, sums: ["sha256sums": [sha256]], cache: directory + "/waka-b", store: store, build: ids[1])
        #expect(fourth.sources.map(\.origin) == [.cache])
        #expect(try server.requests()["/hello-1.0.tar.gz"] == 1, "only the first waka downloaded it")
        #expect(try store.files(of: ids[1]).filter { $0.kind == .download }.isEmpty, "uploaded once per sha256")

        // a store copy that does not match the PKGBUILD is not used: the mismatch is the download's
        let wrong = String(repeating: "a", count: 64)
        let mismatch = Self.fetch(url, sums: ["sha256sums": [wrong]], cache: directory + "/waka-d", store: store, build: ids[1])
        #expect(mismatch.failure?.failureClass == .source && mismatch.failure?.reason.contains(sha256) == true)
    }

    /// A remote waka's worker role may upload the sources of a build it holds (migration 12).
    @Test func aWorkerRoleUploadsAndFetchesSources() throws {
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        let ids = try owner.enqueue([PlannedBuild(PackageBaseID(repo: "r", pkgbase: "hello"), version: "1-1", priority: 2),
                                     PlannedBuild(PackageBaseID(repo: "r", pkgbase: "other"), version: "1-1", priority: 1)]).enqueued
        let role = StoreWorkerRoleTests.newRole()
        try owner.grantWorker(role: role)
        let worker = try PostgresStore(url: try StoreWorkerRoleTests.url(url, as: role))
        try worker.register(StoreWorkerRoleTests.worker("remote-1"))
        let claimed = try #require(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []))
        #expect(claimed.id == ids[0])
        let (directory, server, sha256) = try Self.served()
        let first = Self.fetch(server.url("hello-1.0.tar.gz"), sums: ["sha256sums": [sha256]], cache: directory + "/a", store: worker, build: claimed.id)
        #expect(first.failure == nil && first.sources.map(\.origin) == [.network], "\(first.notes)")
        #expect(try owner.files(of: claimed.id).map(\.kind) == [.download], "\(first.notes)")
        let second = Self.fetch(server.url("hello-1.0.tar.gz"), sums: ["sha256sums": [sha256]], cache: directory + "/b", store: worker, build: claimed.id)
        #expect(second.sources.map(\.origin) == [.store])
        // not to a build it does not hold
        let fetched = try #require(first.sources.first).path
        #expect(throws: (any Error).self) { try worker.putFile(ids[1], kind: .download, name: "sha256-" + sha256, from: fetched) }
    }
}
