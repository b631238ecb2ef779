import Foundation
import Graph
import Repo
import TestSupport
import Testing
@testable import Scheduler

/// Package facts (schema 10): a waka's report records each package's `.PKGINFO` facts,
/// and review reads them instead of the package file, which for a remote waka's build
/// is on that waka's machine or only in the store.
@Suite struct StorePackageFactsTests {
    static let libc = StoreReviewTests.libc
    static let zlib = PublisherTests.packages + "/tiny-zlib-1:1.3-2-any.pkg.tar.zst"

    @Test(arguments: StoreBackend.allCases)
    func aReportsFactsRoundTripAndAReportAgainReplacesThem(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let id = try #require(try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "tiny-libc"), version: "2.0-1")])
            .enqueued.first)
        _ = try #require(try store.claim(worker: "w", arches: [], tags: []))
        let libc = try PackageFacts.read(at: Self.libc)
        #expect(libc.filename == "tiny-libc-2.0-1-any.pkg.tar.zst" && libc.name == "tiny-libc" && libc.version == "2.0-1")
        #expect(libc.provides.contains("libc.so=6-64") && libc.installedSize == 14)
        let file = try PackageFile.read(at: Self.libc)
        #expect(libc.sha256 == file.checksums.sha256sum)
        let zlib = try PackageFacts.read(at: Self.zlib)
        _ = try store.report(id, worker: "w", result: .built(log: nil, artifacts: ["/elsewhere/a", "/elsewhere/b"], facts: [zlib, libc]))
        #expect(try store.packageFacts(of: id) == [libc, zlib], "by file name, every field kept")

        // rejected, retried and built again: only the last build's facts remain
        try store.reject(id, reason: "again")
        try store.retry(id)
        _ = try #require(try store.claim(worker: "w", arches: [], tags: []))
        _ = try store.report(id, worker: "w", result: .built(log: nil, artifacts: ["/elsewhere/a"], facts: [libc]))
        #expect(try store.packageFacts(of: id) == [libc])
    }

    /// A store at schema 9 with a built build: after the migration the build has no
    /// facts, and review and `show` read its package file as before.
    @Test(arguments: StoreBackend.allCases)
    func aBuildReportedBeforeSchema10IsReviewedFromItsFile(_ backend: StoreBackend) throws {
        let dir = try PublisherTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let url = try backend.freshURL()
        let old = try backend.open(url, schema: 9)
        let id = try StoreSchemaTests.insertReadyBuild(PackageBaseID(repo: "tiny", pkgbase: "tiny-libc"), version: "2.0-1", into: old)
        try old.autocommit { db in
            try db.query("UPDATE builds SET state = 'built', artifacts = $1 WHERE id = $2", .text(Self.libc), .int(id.rawValue))
        }

        let store = try backend.open(url)
        #expect(try store.schemaVersion == Schema.latest)
        #expect(try store.packageFacts(of: id).isEmpty)
        let shown = try BuildFacts.of(try store.build(id), in: store)
        let read = try PackageFacts.read(at: Self.libc)
        #expect(shown.source == .files && shown.facts == [read])
        var reviewer = BuildReviewer(repos: [], store: store, stateDirectory: dir + "/state")
        let review = reviewer.review(try store.build(id))
        #expect(review.problems.isEmpty, "\(review.problems)")
        #expect(review.packages.map(\.name) == ["tiny-libc"] && review.packages.first?.installedSize == 14)
    }

    /// The repo holds tiny-libc 1.0-1; a remote waka built 2.0-1, recorded its facts and
    /// uploaded the package, whose reported path is not on this machine. The review is
    /// complete: versions, sizes, depends and provides from the facts, the file list from
    /// the package fetched from the store. A second build whose package was not uploaded
    /// is reviewed from its facts, with its file list said to be unavailable.
    @Test func aRemoteWakasBuildIsReviewedFromItsFactsAndUploadedPackage() throws {
        let config = try ConfigFixture()
        defer { config.remove() }
        try config.writeRepo("tiny")
        try config.makeDirectory("repo")
        let oldLibc = try Self.fakePackage(name: "tiny-libc", version: "1.0-1", file: "usr/share/tiny/old-file",
                                           provides: "libc.so=5-64", into: config.root + "/repo")
        #expect(try DatabaseWriter(path: config.root + "/repo/tiny.db.tar.gz").add([oldLibc]).written)
        let store = try StoreBackend.postgres.fresh()
        let ids = try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "tiny-libc"), version: "2.0-1", priority: 2),
                                     PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "tiny-libc"), version: "2.0-2", priority: 1)]).enqueued
        let facts = try PackageFacts.read(at: Self.libc)
        let remote = "/srv/remote-waka/state/artifacts"
        var built: [BuildRecord] = []
        for (index, id) in ids.enumerated() {
            _ = try #require(try store.claim(worker: "remote", arches: [], tags: []))
            if index == 0 { try store.putFile(id, kind: .package, name: facts.filename, from: Self.libc) }
            built.append(try store.report(id, worker: "remote", result: .built(
                log: nil, artifacts: ["\(remote)/\(id.rawValue)/\(facts.filename)"], facts: [facts])))
        }

        let loaded = config.load()
        var reviewer = BuildReviewer(repos: loaded.repos, store: store, stateDirectory: config.root + "/master-state")
        let review = reviewer.review(built[0])
        #expect(review.problems.isEmpty, "\(review.problems)")
        #expect(review.oldVersion == "1.0-1")
        let libc = try #require(review.packages.first)
        #expect(libc.name == "tiny-libc" && libc.oldVersion == "1.0-1" && libc.size == facts.fileSize)
        #expect(libc.installedSize == 14 && libc.installedSizeChange == 14 - 100)
        #expect(libc.filesAdded == ["usr/share/tiny/tiny-libc"] && libc.filesRemoved == ["usr/share/tiny/old-file"])
        #expect(libc.providesRemoved == ["libc.so=5-64"] && libc.providesAdded.contains("libc.so=6-64"))
        #expect(libc.filesUnavailable == nil)
        #expect(libc.file == built[0].artifacts[0], "the review names the reported path")
        #expect(FileManager.default.fileExists(atPath: config.root + "/master-state/artifacts/\(ids[0].rawValue)/\(facts.filename)"))

        let unuploaded = reviewer.review(built[1])
        #expect(unuploaded.problems.isEmpty, "\(unuploaded.problems)")
        let fromFacts = try #require(unuploaded.packages.first)
        #expect(fromFacts.providesRemoved == ["libc.so=5-64"] && fromFacts.installedSizeChange == 14 - 100)
        #expect(fromFacts.filesAdded.isEmpty && fromFacts.filesRemoved.isEmpty)
        #expect(fromFacts.filesUnavailable?.contains("\(built[1].artifacts[0]) is not on this machine and not uploaded to the store") == true,
                "\(fromFacts.filesUnavailable ?? "nil")")
    }

    /// A package of `name` at `version` with one file, made with bsdtar, as the repo held
    /// it before the build under review.
    static func fakePackage(name: String, version: String, file: String, provides: String, into directory: String) throws -> String {
        let work = directory + "/.fake-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: work + "/" + (file as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try "\(file)\n".write(toFile: work + "/" + file, atomically: true, encoding: .utf8)
        try """
            pkgname = \(name)\npkgbase = \(name)\npkgver = \(version)\npkgdesc = old\nurl = https://example.invalid
            builddate = 1600000000\npackager = test\nsize = 100\narch = any\nprovides = \(provides)\n
            """.write(toFile: work + "/.PKGINFO", atomically: true, encoding: .utf8)
        let path = directory + "/\(name)-\(version)-any.pkg.tar.zst"
        let top = String(file.split(separator: "/")[0])
        let result = try ProcessRunner.run("/usr/bin/bsdtar", ["-C", work, "--zstd", "-cf", path, ".PKGINFO", top])
        guard result.status == 0 else { throw TestSetupError("bsdtar: \(result.stderr)") }
        return path
    }
}
