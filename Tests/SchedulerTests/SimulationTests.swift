import Foundation
import Graph
import Testing
@testable import Scheduler

/// `Simulation` over tiny literal plans whose best schedules can be worked out by hand.
struct SimulationTests {
    /// One repo of new pkgbases, planned with `durations` as expected times.
    static func simulation(_ pkgbuilds: [(String, String)], durations: String) throws -> Simulation {
        let table = try BuildDurations(tsv: durations, file: "durations.tsv")
        let repo = PlanRepo(name: "core", carch: "x86_64", pkgbuilds: pkgbuilds.map { PlanTests.pkgbuild($0.0, "1-1", $0.1) })
        let plan = try Plan.make(repos: [repo], options: PlanOptions(expectedTime: { table.seconds(of: $0) }))
        return Simulation(plan: plan, arches: ["core": "x86_64"], durations: table)
    }

    /// a (10 s) before b (20 s) and c (30 s), both before d (5 s).
    static let diamond = [("a", ""), ("b", "depends=(a)"), ("c", "depends=(a)"), ("d", "depends=(b c)")]
    static let diamondDurations = "a\t10\nb\t20\nc\t30\n# a comment\n\ncore/d\t5\n"

    /// One worker builds everything in turn: 65 s. Two: a, then b and c side by side
    /// (c ends at 40), then d: 45 s, the critical path a-c-d.
    @Test(arguments: [(1, 65.0), (2, 45.0), (3, 45.0)])
    func diamondMakespanIsTheHandComputedOne(_ workers: Int, _ expected: Double) throws {
        let simulation = try Self.simulation(Self.diamond, durations: Self.diamondDurations)
        for queue in Simulation.Queue.allCases {
            let run = try simulation.run(workers: workers, queue: queue)
            #expect(run.makespan == expected, "\(queue)")
            #expect(run.builds == 4 && run.busySeconds == 65)
        }
        let bounds = simulation.bounds
        #expect(bounds.criticalPath == 45 && bounds.totalWork == 65)
        #expect(bounds.lowerBound(workers: 1) == 65 && bounds.lowerBound(workers: 2) == 45)
    }

    /// A chain x (7 s) -> y (11 s) -> z (13 s) takes 31 s however many workers there are.
    @Test func chainTakesItsLength() throws {
        let simulation = try Self.simulation([("x", ""), ("y", "depends=(x)"), ("z", "depends=(y)")], durations: "x\t7\ny\t11\nz\t13\n")
        #expect(try simulation.run(workers: 1, queue: .priority).makespan == 31)
        #expect(try simulation.run(workers: 2, queue: .priority).makespan == 31)
    }

    /// Two short builds come first by name, the chain zz -> zz2 -> zz3 last. FIFO starts
    /// the short ones and the chain waits: 40 s on 2 workers. By priority the chain
    /// starts at once beside them: 30 s, the critical path.
    @Test func priorityBeatsFIFOWhenTheLongChainIsQueuedLast() throws {
        let simulation = try Self.simulation(
            [("aa", ""), ("ab", ""), ("zz", ""), ("zz2", "depends=(zz)"), ("zz3", "depends=(zz2)")],
            durations: "aa\t10\nab\t10\nzz\t10\nzz2\t10\nzz3\t10\n")
        #expect(simulation.builds(.fifo).map(\.package.pkgbase) == ["aa", "ab", "zz", "zz2", "zz3"])
        #expect(simulation.builds(.fifo).allSatisfy { $0.priority == 0 })
        #expect(try simulation.run(workers: 2, queue: .fifo).makespan == 40)
        #expect(try simulation.run(workers: 2, queue: .priority).makespan == 30)
        #expect(simulation.bounds.lowerBound(workers: 2) == 30)
    }

    /// gcc and glibc need each other: glibc's pass 1, gcc's pass 1, then both pass 2
    /// side by side, then app (which needs gcc's pass 2): 40 s on two workers, 50 s on
    /// one, the bounds counting all five builds.
    @Test func aCycleIsBuiltTwiceInItsFirstPassOrder() throws {
        let plan = try Plan.make(repos: [PlanRepo(
            name: "core", carch: "x86_64",
            pkgbuilds: [PlanTests.pkgbuild("gcc", "14-1", "depends=(glibc)"), PlanTests.pkgbuild("glibc", "2.40-1", "makedepends=(gcc)"),
                        PlanTests.pkgbuild("app", "1-1", "depends=(gcc)")],
            database: [PlanTests.package("gcc", "13-1"), PlanTests.package("glibc", "2.39-1")])])
        let simulation = Simulation(plan: plan, arches: ["core": "x86_64"], durations: try BuildDurations(tsv: "", file: "-", fallback: 10))
        #expect(simulation.builds(.fifo).map { "\($0.package.pkgbase)/\($0.pass)" } == ["glibc/1", "gcc/1", "glibc/2", "gcc/2", "app/1"])
        for queue in Simulation.Queue.allCases {
            #expect(try simulation.run(workers: 2, queue: queue).makespan == 40, "\(queue)")
            #expect(try simulation.run(workers: 1, queue: queue).makespan == 50, "\(queue)")
            #expect(try simulation.run(workers: 2, queue: queue).builds == 5)
        }
        let bounds = simulation.bounds
        #expect(bounds.builds == 5 && bounds.totalWork == 50 && bounds.criticalPath == 40)
        #expect(bounds.lowerBound(workers: 2) == 40 && bounds.lowerBound(workers: 1) == 50)
    }

    @Test func generatedDurationsAreStableAndSpread() {
        let durations = BuildDurations(seed: 1)
        let ids = (0 ..< 4000).map { PackageBaseID(repo: "extra", pkgbase: "pkg\($0)") }
        let seconds = ids.map(durations.seconds(of:)).sorted()
        #expect(ids.map(durations.seconds(of:)) == ids.map(BuildDurations(seed: 1).seconds(of:)))
        #expect(ids.map(durations.seconds(of:)) != ids.map(BuildDurations(seed: 2).seconds(of:)))
        #expect(seconds.first! >= BuildDurations.shortest && seconds.last! <= BuildDurations.longest)
        #expect((90 ... 160).contains(seconds[seconds.count / 2]), "median near 120 s")
        #expect(seconds.last! > 3600 * 4, "a few very long builds")
        #expect(seconds.filter { $0 > 3600 }.count < 100, "but few")
        // pinned: a change to the generator changes every benchmark number, so it is deliberate
        #expect(["glibc", "chromium", "zlib"].map { durations.seconds(of: PackageBaseID(repo: "core", pkgbase: $0)) } == [59, 35, 645])
    }

    @Test func aDurationsFileLineThatIsNotPkgbaseTabSecondsIsNamed() {
        #expect(throws: SchedulerError.badDurations(file: "d.tsv", line: 2, reason: "'soon' is not a number of seconds")) {
            try BuildDurations(tsv: "a\t1\nb\tsoon\n", file: "d.tsv")
        }
        #expect(throws: SchedulerError.badDurations(file: "d.tsv", line: 1, reason: "expected pkgbase<TAB>seconds")) {
            try BuildDurations(tsv: "a 1\n", file: "d.tsv")
        }
        let table = try? BuildDurations(tsv: "a\t1\n", file: "d.tsv", fallback: 42)
        #expect(table?.seconds(of: PackageBaseID(repo: "core", pkgbase: "b")) == 42)
        #expect(table?.knows(PackageBaseID(repo: "core", pkgbase: "b")) == false)
    }
}
