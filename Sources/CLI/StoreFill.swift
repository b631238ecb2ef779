import ArgumentParser
import Graph
import Scheduler

extension Pacbuild {
    /// `pacbuild store-fill`: queues synthetic builds, for the claim and catch-up benchmarks.
    struct StoreFill: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store-fill",
            abstract: "Queue COUNT synthetic builds in one enqueue (for benchmarks).",
            shouldDisplay: false)

        @Option(help: "The store: a path, sqlite:PATH or postgresql://...") var store: String
        @Option(help: "How many builds.") var count: Int
        @Flag(help: "Each build depends on 0-4 earlier ones (a fixed pseudo-random plan), as a catch-up queues them.")
        var edges = false
        @Option(help: "Then claim COUNT of them as a waka would: builds of the last twelfth fail now and then (class build), the others are built and accepted; one more is left building (its id printed last), for the web benchmark.")
        var finish = 0

        func validate() throws {
            guard count >= 0 else { throw ValidationError("--count must be 0 or more") }
            guard finish >= 0, finish < count || finish == 0 else { throw ValidationError("--finish must be 0 or less than --count") }
        }

        func run() throws {
            var random = SplitMix64(seed: 2024)
            let builds = (0 ..< count).map { i in
                let dependencies = !edges || i == 0 ? [] : (0 ..< random.next(below: 5)).map { _ in
                    PackageBaseID(repo: "bench", pkgbase: "p\(random.next(below: i))")
                }
                return PlannedBuild(PackageBaseID(repo: "bench", pkgbase: "p\(i)"), version: "1-1", priority: Double(i % 97),
                                    dependencies: dependencies)
            }
            let opened = try Store.open(url: store)
            let result = try opened.enqueue(builds)
            print(result.enqueued.count)
            guard finish > 0 else { return }
            var finished = 0
            while finished < finish, let claimed = try opened.claim(worker: "bench-waka", arches: [], tags: []) {
                // failures among the last twelfth only, whose few dependents they block
                if let number = Int(claimed.package.pkgbase.dropFirst()), number >= count - count / 12, finished % 3 == 0 {
                    _ = try opened.report(claimed.id, worker: "bench-waka", result: .failed(.build, reason: "make: *** [all] Error 2", log: nil))
                } else {
                    _ = try opened.report(claimed.id, worker: "bench-waka", result: .built(log: nil, artifacts: []))
                    try opened.accept(claimed.id)
                }
                finished += 1
            }
            if let building = try opened.claim(worker: "bench-waka", arches: [], tags: []) { print(building.id.rawValue) }
        }
    }
}

/// A small deterministic generator (SplitMix64), so a benchmark queues the same plan
/// every run; `SystemRandomNumberGenerator` cannot be seeded.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
