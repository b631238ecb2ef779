import ArgumentParser
import Graph
import Scheduler

extension Pacbuild {
    /// `pacbuild store-fill`: queues independent synthetic builds, for the claim benchmark.
    struct StoreFill: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store-fill",
            abstract: "Queue COUNT independent synthetic builds (for benchmarks).",
            shouldDisplay: false)

        @Option(help: "The store: a path, sqlite:PATH or postgresql://...") var store: String
        @Option(help: "How many builds.") var count: Int

        func run() throws {
            let builds = (0 ..< count).map { i in
                PlannedBuild(PackageBaseID(repo: "bench", pkgbase: "p\(i)"), version: "1-1", priority: Double(i % 97))
            }
            let result = try Store.open(url: store).enqueue(builds)
            print(result.enqueued.count)
        }
    }
}
