import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// What review needs of the store, on both backends: package checksums recorded at
/// report time, and rejection marks a newer version clears.
@Suite struct StoreReviewTests {
    static let libc = PublisherTests.packages + "/tiny-libc-2.0-1-any.pkg.tar.zst"

    @Test(arguments: StoreBackend.allCases)
    func reportRecordsTheChecksumsOfReadablePackages(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let id = try #require(try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "tiny-libc"), version: "2.0-1")]).enqueued.first)
        _ = try store.claim(worker: "w", arches: [], tags: [])
        _ = try store.report(id, worker: "w", result: .built(log: nil, artifacts: [Self.libc, "/remote/waka/other.pkg.tar.zst"]))
        #expect(try store.artifactChecksums(of: id) == [Self.libc: try PackageFile.read(at: Self.libc).checksums.sha256sum],
                "a path this machine cannot read has no checksum")
        #expect(try store.artifactChecksums(of: BuildID(id.rawValue + 1)) == [:])
    }

    @Test(arguments: StoreBackend.allCases)
    func aNewerVersionClearsOlderMarks(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let meta = PackageBaseID(repo: "tiny", pkgbase: "tiny-meta")
        let id = try #require(try store.enqueue([PlannedBuild(meta, version: "1-1")]).enqueued.first)
        _ = try store.claim(worker: "w", arches: [], tags: [])
        _ = try store.report(id, worker: "w", result: .built(log: nil, artifacts: []))
        try store.reject(id, reason: "no")
        try store.mark(RejectionMark(package: meta, version: "2-1", reason: "a later one, also barred"))
        #expect(try store.enqueue([PlannedBuild(meta, version: "1-1")]).markedRejected.count == 1)
        let newer = try store.enqueue([PlannedBuild(meta, version: "1-2")])
        #expect(newer.enqueued.count == 1)
        #expect(try store.marks().map(\.version) == ["2-1"], "only the older mark goes")
    }
}

/// The Acceptor as the waka's auto-accept uses it: straight from a built build.
struct AcceptorTests {
    @Test func acceptsReleasesDependentsAndLeavesAcceptedBuildsAlone() throws {
        let config = try ConfigFixture()
        defer { config.remove() }
        try config.writeRepo("tiny", extra: "review = \"auto\"")
        let repos = config.load().repos
        let store = try StoreBackend.sqlite.fresh()
        let libc = PackageBaseID(repo: "tiny", pkgbase: "tiny-libc"), zlib = PackageBaseID(repo: "tiny", pkgbase: "tiny-zlib")
        let ids = try store.enqueue([PlannedBuild(libc, version: "2.0-1"), PlannedBuild(zlib, version: "1:1.3-2", dependencies: [libc])]).enqueued
        _ = try store.claim(worker: "w", arches: [], tags: [])
        _ = try store.report(ids[0], worker: "w", result: .built(log: nil, artifacts: [StoreReviewTests.libc]))
        let acceptor = Acceptor(store: store, repos: repos)
        let outcome = try acceptor.accept(ids[0])
        #expect(outcome.build.state == .accepted && outcome.publish.added.count == 1)
        #expect(try store.build(ids[1]).state == .ready, "the dependent is released")
        let again = try acceptor.accept(ids[0])
        #expect(again.alreadyAccepted && again.publish.added.isEmpty)
        #expect(try PublisherTests.pacmanList(config.root + "/repo/tiny.db.tar.gz", scratch: config.root) == "tiny tiny-libc 2.0-1\n")
    }
}
