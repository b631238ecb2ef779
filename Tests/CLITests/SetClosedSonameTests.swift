import Foundation
import Graph
import Repo
import Scheduler
import Testing
import TestSupport

/// `set publish --closed` never publishes a library whose new version drops a soname a
/// package left behind still needs: the store's set, the recorded facts and the real
/// repos (ELF files compiled by gcc, databases by repo-add; ``SonameBumpTests``' tiny,
/// extra on tiny, alone).
@Suite struct SetClosedSonameTests {
    @Test func theClosedPartLeavesNoConsumerOfADroppedSonameBehind() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let work = try SonameBumpTests.compileLibfoo(in: fixture)
        try SonameBumpTests.publishLibfooRepos(fixture, work: work)
        // app rebuilt against libfoo.so.2
        try SonameBumpTests.run(["gcc", "-o", work + "/app2", work + "/main.c", work + "/libfoo.so.2"])

        let store = try fixture.openStore()
        func report(_ name: String, _ version: String, files: [String: String]) throws -> BuildID {
            let claimed = try #require(try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []))
            #expect(claimed.package.pkgbase == name)
            let out = fixture.root + "/out/\(claimed.id.rawValue)"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let built = try SonameBumpTests.package(name, version, files: files, in: out)
            _ = try store.report(claimed.id, worker: "test-waka", result: .built(log: nil, artifacts: [built], facts: [try PackageFacts.read(at: built)]))
            return claimed.id
        }
        _ = try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "libfoo"), version: "2-1")])
        let library = try report("libfoo", "2-1", files: ["usr/lib/libfoo.so.2": work + "/libfoo.so.2"])
        let (set, _) = try store.enqueueSet([
            PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "app"), version: "1-1.1", priority: 2, dependencies: [PackageBaseID(repo: "tiny", pkgbase: "libfoo")]),
            PlannedBuild(PackageBaseID(repo: "extra", pkgbase: "app-extra"), version: "1-1.1", priority: 1,
                         dependencies: [PackageBaseID(repo: "tiny", pkgbase: "libfoo")]),
        ], root: library, joining: [], reason: "tiny/libfoo 2-1 drops libfoo.so.1-64")
        try store.stage(library)
        let app = try report("app", "1-1.1", files: ["usr/bin/app": work + "/app2"])
        let appExtra = try report("app-extra", "1-1.1", files: ["usr/bin/app": work + "/app2"])
        try store.approveSetMember(library)
        try store.approveSetMember(app)

        // app-extra awaits review: its repo's app-extra 1-1 still needs libfoo.so.1
        let loaded = Configuration.load(directory: fixture.root)
        var publisher = SetPublisher(store: store, repos: loaded.repos)
        publisher.stateDirectory = loaded.global.stateDir
        let part = try publisher.closedPart(try store.rebuildSet(set.id))
        #expect(part.members.isEmpty, "\(part)")
        let labels = try [library, app, appExtra].map { try store.build($0).label }
        #expect(part.leftOut == ["\(labels[2]): awaits review",
                                 "\(labels[0]): drops libfoo.so.1-64, which extra/app-extra still needs, left out",
                                 "\(labels[1]): depends on \(labels[0]), left out"], "\(part.leftOut)")
        let before = try SyncDatabase.read(at: fixture.database).entries.map { "\($0.name) \($0.version)" }.sorted()
        let refused = try fixture.pacbuild(["set", "publish", "--closed", String(set.id)])
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(refused.stderr.contains("drops libfoo.so.1-64, which extra/app-extra still needs"), "\(refused.stderr)")
        #expect(try SyncDatabase.read(at: fixture.database).entries.map { "\($0.name) \($0.version)" }.sorted() == before)
        #expect(try store.rebuildSet(set.id).live.count == 3)

        // approved, app-extra is published with the rest: every consumer is rebuilt now
        try store.approveSetMember(appExtra)
        let published = try fixture.pacbuild(["set", "publish", "--closed", String(set.id)])
        #expect(published.status == 0, "\(published.stdout) \(published.stderr)")
        #expect(!published.stdout.contains("left in the set"), "\(published.stdout)")
        #expect(try SyncDatabase.read(at: fixture.database).entries.map { "\($0.name) \($0.version)" }.sorted() == ["app 1-1.1", "libfoo 2-1"])
        #expect(try SyncDatabase.read(at: fixture.root + "/repo-extra/extra.db.tar.gz").entries.map { "\($0.name) \($0.version)" } == ["app-extra 1-1.1"])
        #expect(try store.rebuildSet(set.id).state == .published)
    }
}
