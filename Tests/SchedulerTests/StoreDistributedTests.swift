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

    /// `pacbuild log` and `show` on the master: a remote waka's log path is not here, so
    /// the uploaded copy is fetched into the cache (again when the stored log changes);
    /// a build with neither is an error naming the build and the path tried.
    @Test func aRemoteWakasLogIsReadFromTheStore() throws {
        let store = try StoreBackend.postgres.fresh()
        let ids = try store.enqueue([PlannedBuild(PackageBaseID(repo: "r", pkgbase: "remote"), version: "1-1", priority: 3),
                                     PlannedBuild(PackageBaseID(repo: "r", pkgbase: "local"), version: "1-1", priority: 2),
                                     PlannedBuild(PackageBaseID(repo: "r", pkgbase: "lost"), version: "1-1", priority: 1)]).enqueued
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/waka", withIntermediateDirectories: true)
        let uploaded = dir + "/waka/build.log"
        try Data("==> Making package: remote 1-1\n".utf8).write(to: URL(fileURLWithPath: uploaded))
        for _ in ids { _ = try store.claim(worker: "remote", arches: [], tags: []) }
        try store.putFile(ids[0], kind: .log, name: BuildLogs.storedName, from: uploaded)
        let remotePath = "/srv/remote-waka/state/artifacts/\(ids[0].rawValue)/build.log"
        let remote = try store.report(ids[0], worker: "remote", result: .built(log: remotePath, artifacts: []))
        let local = try store.report(ids[1], worker: "remote", result: .failed(.build, reason: "r", log: uploaded))
        let lost = try store.report(ids[2], worker: "remote", result: .failed(.build, reason: "r", log: "/srv/remote-waka/lost.log"))

        let logs = BuildLogs(store: store, stateDirectory: dir + "/master-state")
        guard case .stored(let file) = try logs.location(of: remote) else { Issue.record("expected the stored log"); return }
        #expect(file.size == 31)
        let fetched = try logs.readablePath(of: remote)
        #expect(fetched == dir + "/master-state/cache/logs/\(ids[0].rawValue)/build.log")
        #expect(try String(contentsOfFile: fetched, encoding: .utf8) == "==> Making package: remote 1-1\n")

        // a retry uploads a new log under the same name: the cached copy is replaced
        try Data("==> Making package: remote 1-1 (again)\n".utf8).write(to: URL(fileURLWithPath: uploaded))
        try store.putFile(ids[0], kind: .log, name: BuildLogs.storedName, from: uploaded)
        #expect(try String(contentsOfFile: try logs.readablePath(of: remote), encoding: .utf8).hasSuffix("(again)\n"))

        #expect(try logs.location(of: local) == .local(uploaded))
        #expect(try logs.readablePath(of: local) == uploaded)
        #expect(try logs.location(of: lost) == .missing)
        let error = SchedulerError.logNotFound(build: "\(ids[2]) r/lost 1-1 (failed (build))", tried: "/srv/remote-waka/lost.log")
        #expect(throws: error) { try logs.readablePath(of: lost) }
        #expect(error.description.hasPrefix("no log of build \(ids[2]) r/lost 1-1"))
        #expect(error.description.contains("/srv/remote-waka/lost.log is not readable on this machine, and the store has no uploaded build.log"))
    }
}
