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

    /// A cycle member's pass 2 has pass 1's version and file name: its accept replaces
    /// pass 1's pool file and database entry, and `recover` does not take pass 1's entry
    /// for pass 2's publish.
    @Test func aSecondPassReplacesItsFirstPassInPoolAndDatabase() throws {
        let config = try ConfigFixture()
        defer { config.remove() }
        try config.writeRepo("tiny", extra: "review = \"auto\"")
        let repos = config.load().repos
        let store = try StoreBackend.sqlite.fresh()
        let libc = PackageBaseID(repo: "tiny", pkgbase: "tiny-libc")
        // pass 1's package: the same package compressed otherwise, under pass 2's name
        try FileManager.default.createDirectory(atPath: config.root + "/pass1", withIntermediateDirectories: true)
        let first = config.root + "/pass1/tiny-libc-2.0-1-any.pkg.tar.zst"
        try FileManager.default.copyItem(atPath: PublisherTests.packages + "/../xz/tiny-libc-2.0-1-any.pkg.tar.xz", toPath: first)
        let ids = try store.enqueue([PlannedBuild(libc, version: "2.0-1"),
                                     PlannedBuild(libc, version: "2.0-1", pass: 2, firstPassDependencies: [libc])]).enqueued
        let acceptor = Acceptor(store: store, repos: repos)
        _ = try store.claim(worker: "w", arches: [], tags: [])
        _ = try store.report(ids[0], worker: "w", result: .built(log: nil, artifacts: [first]))
        _ = try acceptor.accept(ids[0])
        let pooled = config.root + "/repo/tiny-libc-2.0-1-any.pkg.tar.zst"
        let (firstSHA, secondSHA) = (try FileChecksum.sha256(ofFileAt: first), try FileChecksum.sha256(ofFileAt: StoreReviewTests.libc))
        #expect(try FileChecksum.sha256(ofFileAt: pooled) == firstSHA && firstSHA != secondSHA)

        #expect(try store.claim(worker: "w", arches: [], tags: [])?.id == ids[1])
        _ = try store.report(ids[1], worker: "w", result: .built(log: nil, artifacts: [StoreReviewTests.libc]))
        let recovered = try Recovery(store: store, repos: repos).run()
        #expect(recovered.finished.isEmpty && recovered.problems.isEmpty, "pass 1's entry does not publish pass 2")
        #expect(try store.build(ids[1]).state == .built)

        let outcome = try acceptor.accept(ids[1])
        #expect(outcome.build.state == .accepted && outcome.publish.removed.isEmpty)
        #expect(try FileChecksum.sha256(ofFileAt: pooled) == secondSHA)
        let entries = try SyncDatabase.read(at: config.root + "/repo/tiny.db.tar.gz").entries
        #expect(entries.map { "\($0.name) \($0.version) \($0.sha256sum ?? "")" } == ["tiny-libc 2.0-1 \(secondSHA)"])
        #expect(try PublisherTests.pacmanList(config.root + "/repo/tiny.db.tar.gz", scratch: config.root) == "tiny tiny-libc 2.0-1\n")
    }
}
