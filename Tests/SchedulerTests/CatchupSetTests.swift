import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// Rebuild sets beyond sonames (docs/review.md#rebuild-sets): the plan's `--rebuild PKG
/// --reverse` closure and each cycle are sets (``PlanSet``), and catchup opens them over
/// the queued builds, a cycle member's two passes included, on both store backends.
struct CatchupSetTests {
    /// core: libc <- zlib <- curl, other alone; all current.
    static let current = (
        pkgbuilds: [PlanTests.pkgbuild("libc", "2-1"), PlanTests.pkgbuild("zlib", "1.3-1", "depends=(libc)"),
                    PlanTests.pkgbuild("curl", "8-1", "depends=(zlib)"), PlanTests.pkgbuild("other", "1-1")],
        database: [PlanTests.package("libc", "2-1"), PlanTests.package("zlib", "1.3-1.1"),
                   PlanTests.package("curl", "8-1"), PlanTests.package("other", "1-1")])

    static let cycle = (
        pkgbuilds: [PlanTests.pkgbuild("gcc", "14-1", "depends=(glibc)"), PlanTests.pkgbuild("glibc", "2.40-1", "makedepends=(gcc)"),
                    PlanTests.pkgbuild("binutils", "2.43-1", "depends=(glibc)")],
        database: [PlanTests.package("gcc", "13-1"), PlanTests.package("glibc", "2.39-1"), PlanTests.package("binutils", "2.43-1")])

    static func plan(_ repo: (pkgbuilds: [PKGBUILDReader.Result], database: [DatabaseEntry]), _ options: PlanOptions = PlanOptions()) throws -> Plan {
        try Plan.make(repos: [PlanRepo(name: "core", carch: "i586", pkgbuilds: repo.pkgbuilds, database: repo.database)], options: options)
    }

    @Test func theReverseClosureIsOneSetAtTheNextRebuildNumber() throws {
        let plan = try Self.plan(Self.current, PlanOptions(rebuild: ["zlib"], reverse: true))
        #expect(plan.sets == [PlanSet(kind: "rebuild", members: ["core/zlib", "core/curl"], requested: ["core/zlib"],
                                      reason: "rebuild of core/zlib and 1 pkgbase that depends on it")])
        // pacman must take the rebuilds as upgrades: the next rebuild number on pkgrel
        #expect(plan.entry(named: "zlib")?.newVersion == "1.3-1.2", "the database holds 1.3-1.1")
        #expect(plan.entry(named: "curl")?.newVersion == "8-1.1")
        #expect(plan.entry(named: "other")?.status == .current)
        #expect(try Self.plan(Self.current, PlanOptions(rebuild: ["zlib"])).sets == nil, "one pkgbase, no --reverse: no set")
        #expect(try Self.plan(Self.current).sets == nil)
        #expect(try Self.plan(Self.current, PlanOptions(rebuild: ["curl"], reverse: true)).sets == nil, "nothing depends on curl")
    }

    @Test func aCycleIsASetAndTheClosureThatReachesItTakesItIn() throws {
        let plan = try Self.plan(Self.cycle)
        #expect(plan.sets == [PlanSet(kind: "cycle", members: ["core/glibc", "core/gcc"], reason: "both passes of the cycle core/glibc, core/gcc")])
        let reverse = try Self.plan(Self.cycle, PlanOptions(rebuild: ["binutils", "gcc"], reverse: true))
        let sets = try #require(reverse.sets)
        #expect(sets.count == 1 && sets[0].kind == "rebuild", "\(sets)")
        #expect(Set(sets[0].members) == ["core/glibc", "core/gcc", "core/binutils"] && sets[0].requested.sorted() == ["core/binutils", "core/gcc"])
        #expect(reverse.jsonText == (try PlanJSONTests.encoded(reverse)))
        var previewed = reverse
        previewed.sets?[0].preview = try RebuildSetPreview(plan: reverse, members: Set(sets[0].members), arches: ["core": "i586"], workers: 2,
                                                           expectedTime: { _ in 60 })
        #expect(previewed.sets?[0].preview?.builds == 5, "glibc and gcc twice, binutils once")
        #expect(previewed.jsonText == (try PlanJSONTests.encoded(previewed)))
    }

    @Test(arguments: StoreBackend.allCases)
    func catchupOpensEachSetOnce(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let reverse = Catchup(plan: try Self.plan(Self.current, PlanOptions(rebuild: ["zlib"], reverse: true)), arches: ["core": "i586"])
        let first = try reverse.run(store: store)
        try #require(first.sets.count == 1)
        let set = first.sets[0]
        let members = try set.members.map { try store.build($0.build) }
        #expect(members.map { "\($0.package.pkgbase) \($0.version)" } == ["zlib 1.3-1.2", "curl 8-1.1"])
        #expect(set.members.map(\.role) == [.requested, .reverse])
        #expect(set.reason == "rebuild of core/zlib and 1 pkgbase that depends on it")
        #expect(try reverse.run(store: store).sets.isEmpty, "every build is in an open set already")

        let cycle = Catchup(plan: try Self.plan(Self.cycle), arches: ["core": "i586"])
        let opened = try cycle.run(store: store).sets
        try #require(opened.count == 1)
        let passes = try opened[0].members.map { try store.build($0.build) }
        #expect(passes.map { "\($0.package.pkgbase)/\($0.pass)" }.sorted() == ["gcc/1", "gcc/2", "glibc/1", "glibc/2"])
        #expect(opened[0].members.allSatisfy { $0.role == .pass })
        #expect(try store.rebuildSets(openOnly: true).count == 2)
    }

    @Test(arguments: StoreBackend.allCases)
    func openSetTakesQueuedBuildsWithTheirRoles(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let ids = try store.enqueue([PlannedBuild(PackageBaseID(repo: "core", pkgbase: "a"), version: "1-1.1"),
                                     PlannedBuild(PackageBaseID(repo: "core", pkgbase: "b"), version: "1-1.1",
                                                  dependencies: [PackageBaseID(repo: "core", pkgbase: "a")])]).enqueued
        let set = try store.openSet([(ids[0], .requested), (ids[1], .reverse), (ids[1], .pass)], reason: "test")
        #expect(set.state == .open && set.reason == "test")
        #expect(set.members.map(\.build) == ids && set.members.map(\.role) == [.requested, .reverse])
        #expect(try store.rebuildSet(of: ids[1])?.id == set.id)
        #expect(throws: (any Error).self) { try store.openSet([(BuildID(999), .pass)], reason: "no such build") }
        #expect(try store.rebuildSets(openOnly: false).count == 1, "nothing of the refused set was kept")
    }
}
