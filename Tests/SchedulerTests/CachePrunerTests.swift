import Foundation
import Graph
import Testing
@testable import Scheduler

/// A waka's package caches stay under `[workers] cache_max_mb`: the least recently used
/// files go first, never one used in the last minutes (a slot of the same waka may be
/// about to link it into its build), and never a lock or an unfinished download.
@Suite struct CachePrunerTests {
    /// Writes `size` bytes to `path` and dates its last use `age` seconds back.
    static func file(_ path: String, size: Int, age: TimeInterval) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 7, count: size).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: path)
    }

    @Test func theLeastRecentlyUsedIdleFilesGoUntilTheCachesFit() throws {
        let dir = try PublisherTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let packages = PackageCache(stateDirectory: dir).directory, served = ServerPackages(stateDirectory: dir).cacheDirectory
        let oldest = packages + "/aaaa/a-1-1-any.pkg.tar.zst", old = served + "/b-1-1-any.pkg.tar.zst"
        let used = packages + "/cccc/c-1-1-any.pkg.tar.zst", recent = served + "/d-1-1-any.pkg.tar.zst"
        try Self.file(oldest, size: 4000, age: 7200)
        try Self.file(old, size: 3000, age: 3600)
        try Self.file(used, size: 2000, age: 1800)
        try Self.file(recent, size: 5000, age: 60)
        try Self.file(served + "/.lock", size: 0, age: 99999)
        try Self.file(served + "/e-1-1-any.pkg.tar.zst.part", size: 9000, age: 99999)
        try Self.file(packages + "/ffff/.fetch-1234", size: 9000, age: 99999)

        let pruner = CachePruner(stateDirectory: dir, maxBytes: 8000)
        #expect(pruner.directories == [packages, served])
        let report = pruner.prune()
        #expect(report == CachePruner.Report(removedFiles: 2, removedBytes: 7000, keptBytes: 7000))
        #expect(!FileManager.default.fileExists(atPath: oldest) && !FileManager.default.fileExists(atPath: old))
        #expect(!FileManager.default.fileExists(atPath: packages + "/aaaa"), "an emptied sha256 directory goes too")
        for kept in [used, recent, served + "/.lock", served + "/e-1-1-any.pkg.tar.zst.part", packages + "/ffff/.fetch-1234"] {
            #expect(FileManager.default.fileExists(atPath: kept), "\(kept)")
        }

        // Over the bound with only a recently used file left to delete: it stays.
        let tight = CachePruner(stateDirectory: dir, maxBytes: 1000).prune()
        #expect(tight == CachePruner.Report(removedFiles: 1, removedBytes: 2000, keptBytes: 5000))
        #expect(FileManager.default.fileExists(atPath: recent) && !FileManager.default.fileExists(atPath: used))
        #expect(CachePruner(stateDirectory: dir, maxBytes: 1 << 30).prune() == CachePruner.Report(keptBytes: 5000))
    }

    /// A cache hit counts as a use: the file a build just took from the cache is the last
    /// to go, the one nobody asked for since goes first.
    @Test func aCachedPackageIsTouchedWhenABuildTakesIt() throws {
        let dir = try PublisherTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StoreBackend.sqlite.fresh()
        let id = try #require(try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "tiny-libc"), version: "2.0-1")]).enqueued.first)
        let cache = PackageCache(stateDirectory: dir)
        let stored = try store.putFile(id, kind: .package, name: "tiny-libc-2.0-1-any.pkg.tar.zst",
                                       from: PublisherTests.packages + "/tiny-libc-2.0-1-any.pkg.tar.zst")
        let first = try cache.file(stored, from: store)
        #expect(first.fetched)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: first.path)
        let other = dir + "/cache/packages/0000/other-1-1-any.pkg.tar.zst"
        try Self.file(other, size: 100, age: 3600)

        let again = try cache.file(stored, from: store)
        #expect(!again.fetched && again.path == first.path)
        let report = CachePruner(stateDirectory: dir, maxBytes: Int64(stored.size)).prune()
        #expect(report.removedFiles == 1)
        #expect(FileManager.default.fileExists(atPath: first.path) && !FileManager.default.fileExists(atPath: other))
    }

    @Test func theBoundIsConfigured() throws {
        let fixture = try ConfigFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        try fixture.writeRepo("core")
        try fixture.write("pacbuild.toml", "[workers]\ncache_max_mb = 512\n")
        let config = Configuration.load(directory: fixture.root)
        #expect(config.errors.isEmpty)
        #expect(config.wakaSettings().cacheMaxBytes == 512 << 20)
        try fixture.write("pacbuild.toml", "[workers]\ncache_max_mb = -1\n")
        let wrong = Configuration.load(directory: fixture.root)
        #expect(wrong.errors.map(\.description) == ["pacbuild.toml:2: key 'workers.cache_max_mb': expected megabytes, from 0 to 16777216, found -1"])
        #expect(wrong.wakaSettings().cacheMaxBytes == 4096 << 20)
    }
}
