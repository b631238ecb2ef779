import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild status`: the queue at a glance.
    struct StatusCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Counts per state and repo, running builds with worker and elapsed time, the next ready builds, workers.")

        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Flag(help: "Print as JSON.") var json = false
        @Option(help: "How many ready builds to list.") var next = 10

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let buildStore = try loaded.openStore(url: store.url)
            let status = try StatusReport.read(from: buildStore, next: next)
            if json { print(try jsonText(status)); return }
            var out = ""
            let repos = Array(Set(status.counts.map(\.repo))).sorted()
            if repos.isEmpty { out += "the store holds no builds; run pacbuild catchup\n" }
            for repo in repos {
                let counts = status.counts.filter { $0.repo == repo && $0.count > 0 }.map { "\($0.count) \($0.state.rawValue)" }
                out += "\(repo): \(counts.joined(separator: ", "))\n"
            }
            for demand in status.unserved {
                let builds = demand.count == 1 ? "1 ready build needs" : "\(demand.count) ready builds need"
                let absent = demand.absent(from: status.workers)
                out += absent.isEmpty
                    ? "\(builds) tags no registered waka has all of: \(demand.tags.joined(separator: ", "))\n"
                    : "\(builds) tags no registered waka has: \(absent.joined(separator: ", "))\n"
            }
            if !status.sets.isEmpty { out += "\nrebuild sets:\n" + status.sets.flatMap(\.lines).map { "  \($0)\n" }.joined() }
            if !status.running.isEmpty { out += "\nrunning:\n" }
            for build in status.running {
                let elapsed = build.startedAt.map { Int(Date().timeIntervalSince($0)) }.map { "\($0 / 60)m\(String(format: "%02d", $0 % 60))s" } ?? "?"
                out += "  \(build.label) on \(build.worker ?? "?") for \(elapsed)\n"
            }
            if !status.ready.isEmpty { out += "\nnext ready:\n" }
            for build in status.ready {
                let tags = build.requiredTags.isEmpty ? "" : ", requires \(build.requiredTags.joined(separator: ", "))"
                out += "  \(build.label) priority \(Int(build.priority))\(tags)\n"
            }
            if !status.workers.isEmpty { out += "\nworkers:\n" }
            for worker in status.workers {
                let seen = worker.lastHeartbeat.map { "last seen \(Int(Date().timeIntervalSince($0)))s ago" } ?? "never seen"
                let tags = worker.tags.isEmpty ? "" : ", tags \(worker.tags.joined(separator: ", "))"
                out += "  \(worker.name) on \(worker.host) (\(worker.arches.joined(separator: " "))), \(worker.slots) slot(s)\(tags), \(seen)\n"
            }
            print(out, terminator: "")
        }
    }
}
