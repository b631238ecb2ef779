import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// What driving a whole distribution tree (issue 15) needs, over small trees written into
/// a temp directory: repos that depend on each other, a pkgbase given twice, a cycle
/// blocked from outside. Each PKGBUILD is read by the real reader from its file.
@Suite(.serialized) struct DistributionTreeTests {
    let fixture: ConfigFixture

    init() throws { fixture = try ConfigFixture() }

    /// Writes `abs/REPO/DIR/PKGBUILD`: pkgname, version, `any`, then `more`.
    func pkgbuild(_ repo: String, _ name: String, _ version: String, _ more: String = "", directory: String? = nil) throws {
        let (ver, rel) = (String(version.split(separator: "-")[0]), String(version.split(separator: "-")[1]))
        try fixture.write("abs/\(repo)/\(directory ?? name)/PKGBUILD",
                          "pkgname=\(name)\npkgver=\(ver)\npkgrel=\(rel)\narch=(any)\n\(more)\n")
    }

    /// Loads the configuration (which must be valid), reads its trees and plans with
    /// `database` as the repos' database entries.
    func plan(database: [String: [DatabaseEntry]] = [:], options: PlanOptions = PlanOptions()) throws -> Plan {
        let config = fixture.load()
        #expect(config.messages == [])
        var (repos, problems) = config.planRepos()
        #expect(problems.map(\.description) == [])
        for i in repos.indices { repos[i].database = database[repos[i].name] ?? [] }
        return try Plan.make(repos: repos, options: options)
    }

    /// Artix's system takes cmake from world, world's cmake needs system's gcc: the
    /// repos depend on each other, the packages make a cycle across them, and the
    /// package graph breaks it with the old cmake in world's database.
    @Test func reposThatDependOnEachOther() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("system", extra: "depends_on = [\"world\"]")
        try fixture.writeRepo("world", extra: "depends_on = [\"system\"]")
        try pkgbuild("system", "gcc", "14-1", "makedepends=(cmake)")
        try pkgbuild("world", "cmake", "3.30-1", "depends=(gcc)")
        try pkgbuild("world", "ninja", "1.12-1", "makedepends=(cmake)")
        let plan = try plan(database: [
            "system": [PlanTests.package("gcc", "13-1")],
            "world": [PlanTests.package("cmake", "3.29-1"), PlanTests.package("ninja", "1.11-1")],
        ])
        #expect(plan.entries.map(\.status) == [.outdated, .outdated, .outdated])
        #expect(plan.cycles.count == 1)
        let cycle = try #require(plan.cycles.first)
        #expect(cycle.members == ["system/gcc", "world/cmake"])
        #expect(cycle.strategy == "old-packages")
        #expect(cycle.droppedEdges == ["system/gcc -> world/cmake (makedepends: cmake)"])
        #expect(plan.buildOrder == ["system/gcc", "world/cmake", "world/ninja"])
        #expect(plan.entry(named: "ninja")?.needs == ["world/cmake"])
    }
}

extension DistributionTreeTests {
    /// Two PKGBUILDs with one pkgbase: the newer version is planned, the other is a
    /// `duplicate` naming both files, and catchup and the simulation queue the plan
    /// (they crashed on the two entries with one id).
    @Test func aDuplicatePkgbaseKeepsTheNewerVersion() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("world")
        try pkgbuild("world", "samba", "4.20-1", directory: "samba")
        try pkgbuild("world", "samba", "4.21-1", directory: "samba-new")
        try pkgbuild("world", "cifs", "7-1", "depends=(samba)")
        let plan = try plan()
        let samba = plan.entries.filter { $0.pkgbase == "samba" }
        #expect(samba.map(\.status) == [.new, .duplicate])
        #expect(samba.map(\.newVersion) == ["4.21-1", "4.20-1"])
        let root = fixture.root
        #expect(samba[1].reason == "pkgbase samba is also in \(root)/abs/world/samba-new/PKGBUILD (4.21-1, the newer version), "
            + "which is planned; this one is \(root)/abs/world/samba/PKGBUILD")
        #expect(plan.entriesByID["world/samba"]?.newVersion == "4.21-1")
        #expect(plan.buildOrder == ["world/samba", "world/cifs"])

        let store = try StoreBackend.sqlite.fresh()
        let report = try Catchup(plan: plan, arches: ["world": "any"], recordSources: false).run(store: store)
        #expect(report.enqueued.map { "\($0.package) \($0.version)" } == ["world/samba 4.21-1", "world/cifs 7-1"])
        let simulation = try Simulation(plan: plan, arches: ["world": "any"], durations: BuildDurations(seed: 1)).run(workers: 2, queue: .priority)
        #expect(simulation.makespan > 0)
    }

    /// Equal versions: the one whose path sorts first is planned.
    @Test func aDuplicateOfTheSameVersionKeepsTheFirstPath() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("world")
        try pkgbuild("world", "zstd", "1.5-1", directory: "b-zstd")
        try pkgbuild("world", "zstd", "1.5-1", directory: "a-zstd")
        let plan = try plan()
        #expect(plan.entries.map(\.file) == ["\(fixture.root)/abs/world/a-zstd/PKGBUILD", "\(fixture.root)/abs/world/b-zstd/PKGBUILD"])
        #expect(plan.entries.map(\.status) == [.new, .duplicate])
        #expect(plan.entries[1].reason.contains("(1.5-1, the same version, first by path)"))
    }

    /// `ldb` built alone and by `samba`: both are planned, each warned about the other;
    /// and the database's `ldb`, whose `%BASE%` is `ldb`, is not samba's package, so
    /// samba is current, not outdated.
    @Test func aPackageNameOfTwoPkgbasesAndBaseMatching() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("world")
        try fixture.write("abs/world/samba/PKGBUILD", """
            pkgbase=samba
            pkgname=(samba ldb)
            pkgver=4.21
            pkgrel=1
            arch=(any)
            package_samba() { :; }
            package_ldb() { :; }
            """)
        try pkgbuild("world", "ldb", "2.9-1")
        let plan = try plan(database: ["world": [
            PlanTests.package("samba", "4.21-1", base: "samba"), PlanTests.package("ldb", "2.8-1", base: "ldb"),
        ]])
        let samba = try #require(plan.entriesByID["world/samba"])
        #expect(samba.status == .incomplete)
        #expect(samba.missingPackages == ["ldb"])
        #expect(samba.reason == "split packages missing from the database: ldb (the database's ldb is from pkgbase ldb)")
        #expect(samba.oldVersion == "4.21-1")
        #expect(plan.entriesByID["world/ldb"]?.status == .outdated)
        let root = fixture.root
        #expect(plan.entriesByID["world/ldb"]?.warnings == [
            "package ldb is also built by world/samba (\(root)/abs/world/samba/PKGBUILD); dependencies on it resolve to world/ldb"])
        #expect(samba.warnings == [
            "package ldb is also built by world/ldb (\(root)/abs/world/ldb/PKGBUILD); dependencies on it resolve to world/ldb"])
    }
}

extension DistributionTreeTests {
    /// a needs b; b needs a and c; c is unresolvable: the whole cycle is blocked, a
    /// through its edge to b, whatever order the members are visited in.
    @Test func aCycleBlockedFromOutsideIsBlockedWhole() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("core")
        try pkgbuild("core", "a", "1-1", "depends=(b)")
        try pkgbuild("core", "b", "1-1", "depends=(a c)")
        try pkgbuild("core", "c", "1-1", "depends=(libmissing)")
        try pkgbuild("core", "d", "1-1", "makedepends=(a)")
        let plan = try plan()
        #expect(plan.buildOrder == [])
        #expect(plan.cycles.isEmpty)
        #expect(plan.entriesByID["core/c"]?.status == .unresolvable)
        let b = try #require(plan.entriesByID["core/b"])
        #expect(b.status == .blocked)
        #expect(b.blockedBy == ["core/c"])
        #expect(b.reason == "needs core/c first (depends c), which cannot be built (core/c is unresolvable)")
        let a = try #require(plan.entriesByID["core/a"])
        #expect(a.status == .blocked)
        #expect(a.blockedBy == ["core/b", "core/c"])
        #expect(a.reason == "needs core/b first (depends b; they are in a dependency cycle), which cannot be built (core/c is unresolvable)")
        #expect(plan.entriesByID["core/d"]?.blockedBy == ["core/a", "core/b", "core/c"])
        #expect(plan.entriesByID["core/d"]?.reason.hasPrefix("needs core/a first (makedepends a), ") == true)
    }

    /// A member that cannot be built itself blocks the rest of its cycle: x needs y,
    /// y needs z, z needs x and cannot be read.
    @Test func aCycleWithAnUnbuildableMemberIsBlockedWhole() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("core")
        try pkgbuild("core", "x", "1-1", "depends=(y)")
        try pkgbuild("core", "y", "1-1", "depends=(z)")
        try pkgbuild("core", "z", "1-1", "depends=(x libmissing)")
        let plan = try plan()
        #expect(plan.buildOrder == [])
        #expect(plan.entriesByID["core/y"]?.blockedBy == ["core/z"])
        #expect(plan.entriesByID["core/x"]?.blockedBy == ["core/y", "core/z"])
        #expect(plan.entriesByID["core/x"]?.reason.contains("they are in a dependency cycle") == true)
    }
}

extension DistributionTreeTests {
    /// `--rebuild zlib --reverse` with and without checkdepends: a package that only
    /// tests against zlib is rebuilt only when checkdepends are followed; the plan says
    /// which kinds were. The whole current tree rebuilt is a cycle of depends served by
    /// the old packages, not `unbroken`.
    @Test func aRebuildClosureWithAndWithoutCheckdepends() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("core")
        try pkgbuild("core", "zlib", "1.3-1")
        try pkgbuild("core", "curl", "8-1", "depends=(zlib)")
        try pkgbuild("core", "minizip", "1-1", "checkdepends=(zlib)")
        try pkgbuild("core", "git", "2-1", "makedepends=(curl)\ndepends=(perl)")
        try pkgbuild("core", "perl", "5-1", "depends=(git)")
        let database = ["core": [PlanTests.package("zlib", "1.3-1"), PlanTests.package("curl", "8-1"), PlanTests.package("minizip", "1-1"),
                                 PlanTests.package("git", "2-1"), PlanTests.package("perl", "5-1")]]
        let all = try plan(database: database, options: PlanOptions(rebuild: ["zlib"], reverse: true))
        #expect(Set(all.buildOrder) == ["core/zlib", "core/curl", "core/minizip", "core/git", "core/perl"])
        #expect(all.rebuild?.followed == ["depends", "makedepends", "checkdepends"])
        #expect(all.entriesByID["core/minizip"]?.reason == "rebuild: depends on core/zlib (checkdepends)")
        #expect(all.cycles.map(\.strategy) == ["old-depends"])

        var options = PlanOptions(rebuild: ["zlib"], reverse: true)
        options.reverseKinds.remove(.checkdepends)
        let noCheck = try plan(database: database, options: options)
        #expect(Set(noCheck.buildOrder) == ["core/zlib", "core/curl", "core/git", "core/perl"])
        #expect(noCheck.entriesByID["core/minizip"]?.status == .current)
        #expect(noCheck.rebuild?.followed == ["depends", "makedepends"])
        #expect(noCheck.rebuild?.pkgbases == 4)
        #expect(noCheck.jsonText.contains("\"followed\" : [\n      \"depends\",\n      \"makedepends\"\n    ]"))
    }
}
