import Foundation
import Graph
import Testing
@testable import Scheduler

/// The parse cache: hits without reading, the hash catching a same-size edit in the
/// same second, another CARCH invalidating, a corrupt file rebuilt.
struct ParseCacheTests {
    static func pkgbuild(_ version: String) -> String {
        "pkgname=foo\npkgver=\(version)\npkgrel=1\npkgdesc=\"for $CARCH\"\narch=(any)\n"
    }

    /// Sets the file's mtime to `seconds` since the epoch, nanoseconds zero (`utimes`).
    static func setMtime(_ path: String, _ seconds: Int) {
        var times = [timeval(tv_sec: seconds, tv_usec: 0), timeval(tv_sec: seconds, tv_usec: 0)]
        #expect(utimes(path, &times) == 0)
    }

    static let environment = ParseCache.environment(carch: "i586", makepkgConf: nil)
    static let reader = PKGBUILDReader(environment: .debianDefault(carch: "i586"))

    /// A tree with one PKGBUILD, its directory, and a cache file path beside it.
    static func fixture() throws -> (ConfigFixture, dir: String, file: String, cache: String) {
        let fixture = try ConfigFixture()
        try fixture.write("abs/foo/PKGBUILD", pkgbuild("1.0"))
        return (fixture, fixture.root + "/abs/foo", fixture.root + "/abs/foo/PKGBUILD", fixture.root + "/state/cache.bin")
    }

    static func version(_ results: [PKGBUILDReader.Result]) -> String? { results.first?.srcinfo?.fullVersion }

    @Test func anUnchangedFileIsTakenFromTheSavedCache() throws {
        let (fixture, dir, file, path) = try Self.fixture()
        defer { fixture.remove() }
        Self.setMtime(file, Int(Date().timeIntervalSince1970) - 3600)
        var first = ParseCache.load(from: path)
        #expect(first.count == 0)
        let parsed = first.read(directories: [dir], with: Self.reader, environment: Self.environment)
        #expect(first.statistics == .init(unchanged: 0, confirmed: 0, parsed: 1))
        try first.save(to: path)

        var second = ParseCache.load(from: path)
        #expect(second.count == 1)
        let cached = second.read(directories: [dir], with: Self.reader, environment: Self.environment)
        #expect(second.statistics == .init(unchanged: 1, confirmed: 0, parsed: 0))
        #expect(!second.isModified)
        #expect(cached.first?.srcinfo == parsed.first?.srcinfo)
        #expect(cached.first?.srcinfo?.base["pkgdesc"] == ["for i586"])
        #expect(cached.first?.file == file)
    }

    /// A same-size edit whose mtime is the same whole second as the cached one (an edit
    /// within the second the cache was written, on a filesystem with 1 s timestamps):
    /// size and mtime agree, the entry is racy, and the hash sees the new content.
    @Test func aSameSizeEditInTheSameSecondIsCaughtByTheHash() throws {
        let (fixture, dir, file, path) = try Self.fixture()
        defer { fixture.remove() }
        let second = Int(Date().timeIntervalSince1970)
        Self.setMtime(file, second)
        var cache = ParseCache.load(from: path)
        #expect(Self.version(cache.read(directories: [dir], with: Self.reader, environment: Self.environment)) == "1.0-1")
        try cache.save(to: path)

        try fixture.write("abs/foo/PKGBUILD", Self.pkgbuild("2.0"))
        Self.setMtime(file, second)
        var again = ParseCache.load(from: path)
        let entry = try #require(again.entries.first?.value)
        #expect(ParseCache.status(of: file).map { [$0.size, $0.mtime] } == [entry.size, entry.mtime])
        #expect(Self.version(again.read(directories: [dir], with: Self.reader, environment: Self.environment)) == "2.0-1")
        #expect(again.statistics == .init(unchanged: 0, confirmed: 0, parsed: 1))
    }

    /// A new mtime on the same content (touch, a checkout) is confirmed by the hash
    /// without parsing; other content of the same size is parsed.
    @Test func aNewMtimeIsCheckedByTheHash() throws {
        let (fixture, dir, file, path) = try Self.fixture()
        defer { fixture.remove() }
        let old = Int(Date().timeIntervalSince1970) - 7200
        Self.setMtime(file, old)
        var cache = ParseCache()
        _ = cache.read(directories: [dir], with: Self.reader, environment: Self.environment)
        Self.setMtime(file, old + 60)
        _ = cache.read(directories: [dir], with: Self.reader, environment: Self.environment)
        #expect(cache.statistics.confirmed == 1)
        try fixture.write("abs/foo/PKGBUILD", Self.pkgbuild("3.0"))
        Self.setMtime(file, old + 120)
        #expect(Self.version(cache.read(directories: [dir], with: Self.reader, environment: Self.environment)) == "3.0-1")
        #expect(cache.statistics == .init(unchanged: 0, confirmed: 1, parsed: 2))
        _ = path
    }

    @Test func anotherCarchOrMakepkgConfIsAnotherEntry() throws {
        let (fixture, dir, file, _) = try Self.fixture()
        defer { fixture.remove() }
        Self.setMtime(file, Int(Date().timeIntervalSince1970) - 3600)
        let x86 = ParseCache.environment(carch: "x86_64", makepkgConf: nil)
        #expect(x86 != Self.environment)
        #expect(ParseCache.environment(carch: "i586", makepkgConf: Data("CARCH=i586\n".utf8)) != Self.environment)
        var cache = ParseCache()
        _ = cache.read(directories: [dir], with: Self.reader, environment: Self.environment)
        let other = cache.read(directories: [dir], with: PKGBUILDReader(environment: .debianDefault(carch: "x86_64")), environment: x86)
        #expect(cache.statistics.parsed == 2)
        #expect(other.first?.srcinfo?.base["pkgdesc"] == ["for x86_64"])
        #expect(Self.version(cache.read(directories: [dir], with: Self.reader, environment: Self.environment)) == "1.0-1")
        #expect(cache.statistics.unchanged == 1)
    }

    @Test func aCorruptTruncatedOrForeignCacheFileIsRebuilt() throws {
        let (fixture, dir, file, path) = try Self.fixture()
        defer { fixture.remove() }
        Self.setMtime(file, Int(Date().timeIntervalSince1970) - 3600)
        var cache = ParseCache()
        _ = cache.read(directories: [dir], with: Self.reader, environment: Self.environment)
        try cache.save(to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        for bad in [Data("garbage".utf8), good.prefix(good.count - 3), Data("PBPC".utf8) + Data([0x7f]) + good.dropFirst(5),
                    good + Data([0])] {
            try bad.write(to: URL(fileURLWithPath: path))
            var loaded = ParseCache.load(from: path)
            #expect(loaded.count == 0)
            #expect(Self.version(loaded.read(directories: [dir], with: Self.reader, environment: Self.environment)) == "1.0-1")
        }
    }

    /// `planRepos(cache:)` writes the cache in the state directory and gives the same
    /// repos from it; a corrupt file there is no problem.
    @Test func planReposUsesAndRewritesTheCache() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("core")
        try fixture.write("abs/core/foo/PKGBUILD", Self.pkgbuild("1.0"))
        let config = fixture.load()
        try #require(config.isValid)
        #expect(config.parseCacheFile == config.global.stateDir + "/cache/pkgbuild-cache.bin")
        try fixture.write(String(config.parseCacheFile.dropFirst(fixture.root.count + 1)), "not a cache")
        let (first, problems) = config.planRepos(cache: config.parseCacheFile)
        #expect(problems.isEmpty)
        #expect(ParseCache.load(from: config.parseCacheFile).count == 1)
        let (second, _) = config.planRepos(cache: config.parseCacheFile)
        #expect(second.map { $0.pkgbuilds.map(\.srcinfo) } == first.map { $0.pkgbuilds.map(\.srcinfo) })
        #expect(config.planRepos().repos.map { $0.pkgbuilds.map(\.srcinfo) } == first.map { $0.pkgbuilds.map(\.srcinfo) })
    }
}
