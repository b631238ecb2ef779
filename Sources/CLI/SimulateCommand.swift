import ArgumentParser
import Foundation
import Graph
import Scheduler

extension Pacbuild {
    /// `pacbuild simulate`: how good the queue's order is, without building anything.
    struct SimulateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Replay the plan through the real queue with a simulated clock and compare the makespan with its lower bound.",
            discussion: """
                Plans with the given durations as expected build times (so priorities are \
                critical paths), queues the plan into an in-memory store as catchup does, and \
                lets N simulated workers claim, report and accept until everything is built; \
                the clock jumps to the next finish, nothing is built or slept. Prints the \
                makespan, the lower bound max(critical path, total work / N), and the makespan \
                of plain FIFO in topological order (wave by wave, plan order, no priorities) \
                simulated the same way. Durations come from --durations (pkgbase<TAB>seconds, \
                default 300 s for a pkgbase it lacks) or are generated from --seed: log-normal, \
                median 120 s, log standard deviation 1.5, clamped to 10 s ... 12 h.
                """)

        @OptionGroup var config: ConfigOptions
        @Option(name: .customLong("workers"), help: ArgumentHelp("Simulated workers; repeat for several runs.", valueName: "n"))
        var workers: [Int] = []
        @Option(help: ArgumentHelp("Build durations, one pkgbase<TAB>seconds a line (pkgbase or repo/pkgbase).", valueName: "file"))
        var durations: String?
        @Option(help: "Seed of the generated durations (default 1).") var seed: UInt64?
        @Option(help: "Plan builds of this repo only.") var repo: String?

        func validate() throws {
            if workers.isEmpty { throw ValidationError("--workers N is required") }
            if workers.contains(where: { $0 < 1 }) { throw ValidationError("--workers must be at least 1") }
            if durations != nil && seed != nil { throw ValidationError("--seed generates durations; it does not go with --durations") }
        }

        func run() throws {
            let buildDurations = try loadDurations()
            let loaded = try loadValidConfiguration(config)
            let (plan, problems, _) = try loadPlan(loaded, options: PlanOptions(repo: repo, expectedTime: { buildDurations.seconds(of: $0) }))
            for problem in problems { printError("warning: \(problem)") }
            let simulation = Simulation(plan: plan, arches: Dictionary(uniqueKeysWithValues: loaded.repos.map { ($0.name, $0.arch) }),
                                        durations: buildDurations)
            let bounds = simulation.bounds
            let missing = durations == nil ? 0 : simulation.builds(.priority).count { !buildDurations.knows($0.package) }
            var text = SimulationText(bounds: bounds, source: durations.map { "from \($0)" } ?? "generated from seed \(seed ?? 1)",
                                      missing: missing)
            print(text.header, terminator: "")
            for n in workers {
                let started = Date()
                let priority = try simulation.run(workers: n, queue: .priority)
                let fifo = try simulation.run(workers: n, queue: .fifo)
                text.elapsed += Date().timeIntervalSince(started)
                print(text.row(priority: priority, fifo: fifo), terminator: "")
            }
            print(text.footer, terminator: "")
        }

        private func loadDurations() throws -> BuildDurations {
            guard let path = durations else { return BuildDurations(seed: seed ?? 1) }
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path): cannot read the durations") }
            do {
                return try BuildDurations(tsv: String(decoding: data, as: UTF8.self), file: path)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}

/// The simulation's report: the bounds, then one row per worker count.
struct SimulationText {
    let bounds: SimulationBounds
    /// Where the durations came from, in words.
    let source: String
    /// Builds the durations file did not name.
    let missing: Int
    /// Wall time of the runs so far.
    var elapsed: TimeInterval = 0

    var header: String {
        var out = "simulate: \(bounds.builds) builds, total work \(Self.seconds(bounds.totalWork)), "
            + "critical path \(Self.seconds(bounds.criticalPath)), durations \(source)\n"
        if missing > 0 { out += "note: \(missing) builds not in the durations file take \(Self.seconds(PlanOptions.defaultBuildSeconds))\n" }
        return out + "workers  makespan      lower bound   ratio   FIFO makespan  FIFO ratio\n"
    }

    func row(priority: SimulationRun, fifo: SimulationRun) -> String {
        let bound = bounds.lowerBound(workers: priority.workers)
        let columns = [
            String(priority.workers).padding(7), Self.seconds(priority.makespan).padding(12), Self.seconds(bound).padding(12),
            Self.ratio(priority.makespan / bound).padding(6), Self.seconds(fifo.makespan).padding(13), Self.ratio(fifo.makespan / bound),
        ]
        return columns.joined(separator: "  ") + "\n"
    }

    var footer: String { "simulated in \(String(format: "%.1f", elapsed)) s (each run: an in-memory store, a claim, report and accept per build)\n" }

    static func seconds(_ value: Double) -> String { "\(Int(value.rounded())) s" }
    static func ratio(_ value: Double) -> String { String(format: "%.4f", value) }
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
