import Foundation
import Scheduler

/// The overview page: counts per repo (with its arch) and state, running builds with
/// elapsed time, wakas with last heartbeat and slots, ready builds no waka can take,
/// and the last failures.
struct OverviewView {
    struct Repo {
        var name: String
        var arch: String
        var total: Int
        var counts: [Count]
    }

    struct Count {
        var state: String
        var count: Int
    }

    struct Worker {
        var name: String
        var host: String
        var arches: String
        var tags: String
        var slots: Int
        var lastSeen: String
        var stale: Bool
    }

    struct Unserved {
        var count: Int
        var tags: String
    }

    var title = "overview"
    var repos: [Repo]
    var running: [BuildRow]
    var workers: [Worker]
    var unserved: [Unserved]
    var failures: [BuildRow]

    /// How many failures the page lists.
    static let failureCount = 10

    init(status: StatusReport, failed: [BuildRecord], configuration: Configuration, now: Date = Date()) {
        let names = Array(Set(status.counts.map(\.repo))).sorted()
        repos = names.map { name in
            let counts = status.counts.filter { $0.repo == name && $0.count > 0 }
            return Repo(name: name, arch: configuration.repo(named: name)?.arch ?? "",
                        total: counts.map(\.count).reduce(0, +),
                        counts: counts.map { Count(state: $0.state.rawValue, count: $0.count) })
        }
        running = status.running.map { BuildRow($0, now: now) }
        workers = status.workers.map { worker in
            let age = worker.lastHeartbeat.map { now.timeIntervalSince($0) }
            return Worker(name: worker.name, host: worker.host, arches: worker.arches.joined(separator: " "),
                          tags: worker.tags.joined(separator: ", "), slots: worker.slots,
                          lastSeen: age.map { "\(Formats.duration($0)) ago" } ?? "never",
                          stale: age.map { $0 > Double(configuration.global.workers.leaseSeconds) } ?? true)
        }
        unserved = status.unserved.map { Unserved(count: $0.count, tags: $0.tags.joined(separator: ", ")) }
        failures = failed.sorted { ($0.finishedAt ?? $0.updatedAt) > ($1.finishedAt ?? $1.updatedAt) }
            .prefix(Self.failureCount).map { BuildRow($0, now: now) }
    }
}
