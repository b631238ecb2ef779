import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// `Catchup` over literal plans into both store backends: queue with edges, once.
struct CatchupTests {
    static func plan(_ pkgbuilds: [PKGBUILDReader.Result], database: [DatabaseEntry] = []) throws -> Plan {
        try Plan.make(repos: [PlanRepo(name: "core", carch: "i586", pkgbuilds: pkgbuilds, database: database)])
    }

    static let chain = [
        PlanTests.pkgbuild("libc", "2-1"),
        PlanTests.pkgbuild("zlib", "1.3-1", "depends=(libc)"),
        PlanTests.pkgbuild("curl", "8-1", "depends=(zlib libc)"),
    ]

    @Test(arguments: StoreBackend.allCases)
    func queuesOnceWithEdges(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        let catchup = Catchup(plan: try Self.plan(Self.chain), arches: ["core": "i586"])
        let first = try catchup.run(store: store)
        #expect(first.enqueued.map(\.package.pkgbase) == ["libc", "zlib", "curl"])
        #expect(first.enqueued.map(\.state.name) == [.ready, .waiting, .waiting])
        #expect(first.enqueued.allSatisfy { $0.arch == "i586" })
        let curl = try #require(first.enqueued.last)
        #expect(Set(try store.dependencies(of: curl.id)) == Set(first.enqueued.prefix(2).map(\.id)))
        #expect(curl.priority < first.enqueued[0].priority, "the chain's head goes first")

        let second = try catchup.run(store: store)
        #expect(second.changedNothing)
        #expect(second.existingIDs.count == 3)
        let dry = try catchup.run(store: store, dryRun: true)
        #expect(dry.wouldEnqueue.isEmpty && dry.existing.count == 3)
    }

    @Test(arguments: StoreBackend.allCases)
    func aNewVersionSupersedesAndARejectedOneIsSkipped(_ backend: StoreBackend) throws {
        let store = try backend.fresh()
        _ = try Catchup(plan: try Self.plan(Self.chain), arches: ["core": "i586"]).run(store: store)
        var bumped = Self.chain
        bumped[2] = PlanTests.pkgbuild("curl", "8.1-1", "depends=(zlib libc)")
        let dry = try Catchup(plan: try Self.plan(bumped), arches: ["core": "i586"]).run(store: store, dryRun: true)
        #expect(dry.wouldEnqueue.map(\.version) == ["8.1-1"])
        let report = try Catchup(plan: try Self.plan(bumped), arches: ["core": "i586"]).run(store: store)
        #expect(report.enqueued.map(\.version) == ["8.1-1"])
        #expect(report.superseded.map(\.version) == ["8-1"])

        try store.mark(RejectionMark(package: PackageBaseID(repo: "core", pkgbase: "curl"), version: "8.2-1", reason: "broken TLS"))
        bumped[2] = PlanTests.pkgbuild("curl", "8.2-1", "depends=(zlib libc)")
        let rejected = try Catchup(plan: try Self.plan(bumped), arches: ["core": "i586"])
        #expect(try rejected.run(store: store, dryRun: true).wouldEnqueue.isEmpty)
        let skipped = try rejected.run(store: store)
        #expect(skipped.enqueued.isEmpty)
        #expect(skipped.markedRejected.map(\.version) == ["8.2-1"])
    }

    @Test func cycleMembersWaitOnlyForEarlierMembersThenAreBuiltAgain() throws {
        let plan = try Self.plan([
            PlanTests.pkgbuild("gcc", "14-1", "depends=(glibc)"),
            PlanTests.pkgbuild("glibc", "2.40-1", "makedepends=(gcc)"),
        ], database: [PlanTests.package("gcc", "13-1"), PlanTests.package("glibc", "2.39-1")])
        let builds = Catchup(plan: plan, arches: [:]).plannedBuilds
        #expect(builds.map { "\($0.package.pkgbase)/\($0.pass)" } == ["glibc/1", "gcc/1", "glibc/2", "gcc/2"])
        #expect(builds.allSatisfy { $0.dependencies.isEmpty }, "inside the cycle, builds wait for passes")
        #expect(builds[0].firstPassDependencies.isEmpty)
        #expect(builds[1].firstPassDependencies.map(\.pkgbase) == ["glibc"])
        #expect(builds[2].firstPassDependencies.map(\.pkgbase) == ["glibc", "gcc"])
        #expect(builds[3].firstPassDependencies.map(\.pkgbase) == ["glibc", "gcc"])
        #expect(builds[2].title == "core/glibc 2.40-1 (pass 2 of a cycle)")
        #expect(builds.allSatisfy { $0.arch == "any" })
    }
}

/// The tags of the repo configuration travel with the planned builds into the store.
struct CatchupTagTests {
    @Test(arguments: StoreBackend.allCases)
    func catchupCarriesTheConfiguredTagsIntoTheStore(_ backend: StoreBackend) throws {
        let config = try ConfigFixture()
        defer { config.remove() }
        try config.writeRepo("core", extra: """
            tags = ["i586-port"]

            [package_tags]
            curl = ["big-memory"]
            """)
        let loaded = config.load()
        #expect(loaded.errors.isEmpty)
        let store = try backend.fresh()
        let report = try loaded.catchup(try CatchupTests.plan(CatchupTests.chain)).run(store: store)
        let tags = Dictionary(uniqueKeysWithValues: report.enqueued.map { ($0.package.pkgbase, $0.requiredTags) })
        #expect(tags == ["libc": ["i586-port"], "zlib": ["i586-port"], "curl": ["big-memory", "i586-port"]])
        #expect(try store.claim(worker: "w", arches: ["i586"], tags: []) == nil)
        #expect(try store.claim(worker: "w", arches: ["i586"], tags: ["i586-port"])?.package.pkgbase == "libc")
    }
}
