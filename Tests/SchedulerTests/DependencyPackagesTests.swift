import Foundation
import Graph
import Repo
import Sandbox
import TestSupport
import Testing
@testable import Scheduler

/// A waka installs what its dependency builds made without the repos' databases: the
/// packages come from the store (PostgreSQL: uploaded by the waka that built them,
/// cached here by sha256) or from this machine's artifacts (SQLite), as a throw-away
/// repository the real pacman reads.
@Suite struct DependencyPackagesTests {
    static let libc = PackageBaseID(repo: "tiny", pkgbase: "tiny-libc")
    static let zlib = PackageBaseID(repo: "tiny", pkgbase: "tiny-zlib")
    static let app = PackageBaseID(repo: "tiny", pkgbase: "tiny-app")
    static let files = [libc: PublisherTests.packages + "/tiny-libc-2.0-1-any.pkg.tar.zst",
                        zlib: PublisherTests.packages + "/tiny-zlib-1:1.3-2-any.pkg.tar.zst"]

    /// The chain libc <- zlib <- app, libc and zlib built and accepted one after the
    /// other; on PostgreSQL by a waka on another machine (reported paths that do not
    /// exist here, packages uploaded), on SQLite by one on this machine.
    static func chain(_ backend: StoreBackend) throws -> (store: SQLBackedStore, ids: [PackageBaseID: BuildID]) {
        let store = try backend.fresh()
        let queued = try store.enqueue([PlannedBuild(libc, version: "2.0-1"), PlannedBuild(zlib, version: "1:1.3-2", dependencies: [libc]),
                                        PlannedBuild(app, version: "0.9.r12.gabcdef0-1", dependencies: [zlib])]).enqueued
        let ids = Dictionary(uniqueKeysWithValues: zip([libc, zlib, app], queued))
        for package in [libc, zlib] {
            let claimed = try #require(try store.claim(worker: "elsewhere", arches: [], tags: []))
            #expect(claimed.id == ids[package])
            let file = files[package]!
            let name = (file as NSString).lastPathComponent
            var reported = file
            if backend == .postgres {
                try store.putFile(claimed.id, kind: .package, name: name, from: file)
                reported = "/srv/elsewhere/state/artifacts/\(claimed.id.rawValue)/\(name)"
            }
            _ = try store.report(claimed.id, worker: "elsewhere", result: .built(log: nil, artifacts: [reported]))
            try store.accept(claimed.id)
        }
        return (store, ids)
    }

    @Test(arguments: StoreBackend.allCases)
    func theDependencyBuildsPackagesAreARepositoryPacmanLists(_ backend: StoreBackend) throws {
        let (store, ids) = try Self.chain(backend)
        let dir = try PublisherTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let packages = DependencyPackages(store: store, cache: PackageCache(stateDirectory: dir + "/state"))
        #expect(try packages.dependencyBuilds(of: ids[Self.app]!) == [ids[Self.zlib]!, ids[Self.libc]!], "transitively, nearest first")
        #expect(try packages.repository(for: ids[Self.libc]!, in: dir + "/none") == nil, "no dependency builds, no repository")

        let prepared = try #require(try packages.repository(for: ids[Self.app]!, in: dir + "/deps"))
        #expect(prepared.repository == LocalRepository(name: "pacbuild-deps", database: dir + "/deps/pacbuild-deps.db.tar.gz"))
        #expect(prepared.fetched == (backend == .postgres ? ["tiny-zlib-1:1.3-2-any.pkg.tar.zst", "tiny-libc-2.0-1-any.pkg.tar.zst"] : []))
        let pacman = try ThrowAwayPacman(scratch: dir, repos: [("pacbuild-deps", dir + "/deps")])
        try pacman.sync()
        #expect(try pacman.list() == "pacbuild-deps tiny-libc 2.0-1\npacbuild-deps tiny-zlib 1:1.3-2\n")
        for path in prepared.packages {
            let original = Self.files.values.first { ($0 as NSString).lastPathComponent == (path as NSString).lastPathComponent }
            #expect(try FileChecksum.sha256(ofFileAt: path) == FileChecksum.sha256(ofFileAt: try #require(original)))
        }
    }

    /// Each package is fetched once per sha256; a cached copy that no longer has its
    /// checksum (damaged on disk) is fetched again, never installed.
    @Test func theCacheFetchesOnceAndReplacesADamagedCopy() throws {
        let (store, ids) = try Self.chain(.postgres)
        let dir = try PublisherTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = PackageCache(stateDirectory: dir + "/state")
        let packages = DependencyPackages(store: store, cache: cache)
        let app = ids[Self.app]!
        #expect(try packages.repository(for: app, in: dir + "/deps1")?.fetched.count == 2)
        #expect(try packages.repository(for: app, in: dir + "/deps2")?.fetched == [], "both are cached")

        let stored = try #require(try store.files(of: ids[Self.libc]!).first)
        let cached = try cache.path(of: stored)
        #expect(cached == dir + "/state/cache/packages/\(stored.sha256)/tiny-libc-2.0-1-any.pkg.tar.zst")
        let handle = try #require(FileHandle(forUpdatingAtPath: cached))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0x5a, count: 16))
        try handle.close()
        #expect(!PackageCache.holds(cached, sha256: stored.sha256))

        let again = try #require(try packages.repository(for: app, in: dir + "/deps3"))
        #expect(again.fetched == ["tiny-libc-2.0-1-any.pkg.tar.zst"])
        #expect(try FileChecksum.sha256(ofFileAt: cached) == stored.sha256)
        #expect(try FileChecksum.sha256(ofFileAt: dir + "/deps3/tiny-libc-2.0-1-any.pkg.tar.zst") == stored.sha256)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (cached as NSString).deletingLastPathComponent)
        #expect(leftovers == ["tiny-libc-2.0-1-any.pkg.tar.zst"], "no temporary files stay")
    }
}
