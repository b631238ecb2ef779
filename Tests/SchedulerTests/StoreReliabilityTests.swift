import Foundation
import Graph
import TestSupport
import Testing
@testable import Scheduler

/// The reliability checks with real processes (`pacbuild store-claim-worker`)
/// on both backends: concurrent claimers, and a claimer killed while holding builds.
@Suite struct StoreReliabilityTests {
    /// The `pacbuild` built beside this test bundle.
    static let pacbuild: String = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("pacbuild").path

    /// `count` builds; each depends on up to three earlier ones (a fixed pseudo-random DAG).
    static func dag(_ count: Int) -> [PlannedBuild] {
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        return (0 ..< count).map { i in
            let deps = i == 0 ? [] : (0 ..< next(4)).map { _ in PackageBaseID(repo: "core", pkgbase: "p\(next(i))") }
            return PlannedBuild(PackageBaseID(repo: "core", pkgbase: "p\(i)"), version: "1-1", arch: i % 3 == 0 ? "any" : "x86_64",
                                priority: Double(next(100)), dependencies: deps)
        }
    }

    struct Events {
        var claimed: [Int64] = []
        var done: [Int64] = []
        var early: [String] = []

        init(_ outputs: [String]) {
            for line in outputs.flatMap({ $0.split(separator: "\n") }) {
                let words = line.split(separator: " ")
                switch words.first {
                case "claimed": claimed.append(Int64(words[1])!)
                case "done": done.append(Int64(words[1])!)
                case "early": early.append(String(line))
                default: break
                }
            }
        }
    }

    func workers(_ count: Int, _ url: String, extra: [String] = []) throws -> [Subprocess] {
        try (0 ..< count).map { i in
            try Subprocess([Self.pacbuild, "store-claim-worker", "--store", url, "--name", "w\(i)"] + extra)
        }
    }

    /// Every build's claim came after each dependency's acceptance, by the store's
    /// timestamps. SQLite reads the clock under its write lock, so the order is exact;
    /// a PostgreSQL claim reads it just before its statement, while another client's
    /// acceptance may still commit, and on two busy cores a process can be descheduled
    /// between the two (51 ms was seen), so a second of slack is allowed there; the
    /// workers' `early` check, which reads the dependencies after each claim, is the
    /// exact one for PostgreSQL.
    func expectOrdered(_ store: some BuildStore, _ builds: [BuildRecord], slack: TimeInterval) throws {
        let byID = Dictionary(uniqueKeysWithValues: builds.map { ($0.id, $0) })
        for build in builds {
            for dependency in try store.dependencies(of: build.id) {
                let accepted = try #require(byID[dependency]?.reviewedAt)
                let started = try #require(build.startedAt)
                #expect(started >= accepted - slack, "\(build.id) started \(accepted.timeIntervalSince(started)) s before \(dependency) was accepted")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func eightClaimerProcessesTakeEachBuildOnce(_ backend: StoreBackend) throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.pacbuild), "build the pacbuild product first")
        let url = try backend.freshURL()
        let store = try backend.open(url)
        let ids = try store.enqueue(Self.dag(2000)).enqueued.map(\.rawValue)
        #expect(ids.count == 2000)
        let claimers = try workers(8, url)
        let statuses = claimers.map { $0.wait() }
        #expect(statuses.allSatisfy { $0 == 0 }, "\(claimers.map(\.output))")
        let events = Events(claimers.map(\.output))
        #expect(events.claimed.sorted() == ids.sorted(), "every build claimed exactly once")
        #expect(events.done.sorted() == ids.sorted(), "every build finished exactly once")
        #expect(events.early.isEmpty)
        let builds = try store.builds(state: nil, repo: nil, limit: nil)
        #expect(builds.allSatisfy { $0.state == .accepted && $0.attempts == 0 })
        try expectOrdered(store, builds, slack: backend == .sqlite ? 0 : 1)
    }

    @Test(arguments: StoreBackend.allCases)
    func killedClaimerLosesItsBuildsToTheLease(_ backend: StoreBackend) throws {
        let url = try backend.freshURL()
        let store = try backend.open(url)
        let ids = try store.enqueue(Self.dag(200)).enqueued.map(\.rawValue)
        let holder = try Subprocess([Self.pacbuild, "store-claim-worker", "--store", url, "--name", "doomed",
                                     "--hold", "5", "--lease", "1"])
        let deadline = Date().addingTimeInterval(60)
        var held: [BuildRecord] = []
        while held.count < 5 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            held = try store.builds(state: .building, repo: nil, limit: nil).filter { $0.worker == "doomed" }
        }
        #expect(held.count == 5)
        holder.kill(SIGKILL)
        #expect(holder.wait() == 128 + SIGKILL)

        let claimers = try workers(3, url, extra: ["--lease", "1"])
        #expect(claimers.map { $0.wait() }.allSatisfy { $0 == 0 }, "\(claimers.map(\.output))")
        let events = Events(claimers.map(\.output))
        #expect(events.done.sorted() == ids.sorted(), "nothing lost, nothing finished twice")
        #expect(Set(events.claimed).isSuperset(of: held.map(\.id.rawValue)), "the held builds came back")
        #expect(events.early.isEmpty)
        let builds = try store.builds(state: nil, repo: nil, limit: nil)
        #expect(builds.allSatisfy { $0.state == .accepted })
        for build in held {
            let after = try store.build(build.id)
            #expect(after.attempts == 1 && after.worker != "doomed")
        }
        try expectOrdered(store, builds, slack: backend == .sqlite ? 0 : 1)
    }

    /// A server restart in the middle of a run: the store reconnects and goes on. On a
    /// server of its own, so the restart does not disturb the other tests.
    @Test func postgresRestartIsSurvived() throws {
        let server = try TestPostgres.start()
        defer { if let dir = server.directory { try? TestPostgres.stop(dir) } }
        let store = try PostgresStore(url: server.url)
        let ids = try store.enqueue(Self.dag(20)).enqueued
        let first = try #require(try store.claim(worker: "w", arches: ["x86_64"], tags: []))
        try TestPostgres.restart(server)
        _ = try store.report(first.id, worker: "w", result: .built(log: nil, artifacts: []))
        try store.accept(first.id)
        try TestPostgres.restart(server)
        var finished = 1
        while let build = try store.claim(worker: "w", arches: ["x86_64"], tags: []) {
            _ = try store.report(build.id, worker: "w", result: .built(log: nil, artifacts: []))
            try store.accept(build.id)
            finished += 1
        }
        #expect(finished == ids.count, "no build lost")
        #expect(try store.counts() == [StateCount(repo: "core", state: .accepted, count: ids.count)])
    }
}
