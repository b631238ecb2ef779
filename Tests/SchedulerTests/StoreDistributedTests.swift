import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// What a waka without a shared filesystem relies on (docs/distributed.md): the PKGBUILD
/// directory recorded in the store at catchup, and a remote waka's packages fetched from
/// the store at accept.
@Suite struct StoreDistributedTests {
    @Test(arguments: StoreBackend.allCases)
    func aPkgbaseDirectoryGoesInAndComesBackWithoutWorkDirectories(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let id = try #require(try store.enqueue([PlannedBuild(PackageBaseID(repo: "r", pkgbase: "p"), version: "1-1")]).enqueued.first)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("source-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/p/src", withIntermediateDirectories: true)
        try Data("pkgname=p\n".utf8).write(to: URL(fileURLWithPath: dir + "/p/PKGBUILD"))
        try Data("--- a fix\n".utf8).write(to: URL(fileURLWithPath: dir + "/p/fix.patch"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/p/src/extracted"))
        #expect(try store.fetchSource(id, into: dir + "/none") == false)
        try store.putSource(id, directory: dir + "/p")
        #expect(try store.fetchSource(id, into: dir + "/out"))
        #expect(try String(contentsOfFile: dir + "/out/PKGBUILD", encoding: .utf8) == "pkgname=p\n")
        #expect(try String(contentsOfFile: dir + "/out/fix.patch", encoding: .utf8) == "--- a fix\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/src"), "makepkg's src/ is left out")
    }

    /// A remote waka reported paths of its own machine and uploaded the package; accept
    /// on the master fetches it into the state directory, checks it and publishes it.
    @Test func acceptFetchesARemoteWakasPackageFromTheStore() throws {
        let config = try ConfigFixture()
        defer { config.remove() }
        try config.writeRepo("tiny")
        let loaded = config.load()
        let store = try StoreBackend.postgres.fresh()
        let libc = PackageBaseID(repo: "tiny", pkgbase: "tiny-libc")
        let id = try #require(try store.enqueue([PlannedBuild(libc, version: "2.0-1")]).enqueued.first)
        _ = try store.claim(worker: "remote", arches: [], tags: [])
        let name = (StoreReviewTests.libc as NSString).lastPathComponent
        try store.putFile(id, kind: .package, name: name, from: StoreReviewTests.libc)
        let remotePath = "/srv/remote-waka/state/artifacts/\(id.rawValue)/\(name)"
        _ = try store.report(id, worker: "remote", result: .built(log: nil, artifacts: [remotePath]))

        let state = config.root + "/master-state"
        #expect(throws: (any Error).self, "without fetching, the package is not here") {
            try Acceptor(store: store, repos: loaded.repos).accept(id)
        }
        let acceptor = Acceptor(store: store, repos: loaded.repos,
                                localArtifacts: Acceptor.fetchingArtifacts(from: store, stateDirectory: state))
        let outcome = try acceptor.accept(id)
        #expect(outcome.build.state == .accepted && outcome.publish.added.count == 1)
        #expect(FileManager.default.fileExists(atPath: state + "/artifacts/\(id.rawValue)/\(name)"))
        #expect(try PublisherTests.pacmanList(config.root + "/repo/tiny.db.tar.gz", scratch: config.root) == "tiny tiny-libc 2.0-1\n")
    }
}
