import Foundation
import Hummingbird
import Scheduler

/// `/metrics`: the store's state in Prometheus's text format, read afresh on each
/// scrape (the store, not this process, knows what every waka did). Counts that a
/// retry can lower are gauges.
enum StoreMetrics {
    /// Build duration buckets in seconds: half a minute to half a day.
    static let durationBounds: [Double] = [30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 43200]

    /// The states a build ends in (until a retry queues it again).
    static let finishedStates: [BuildState.Name] = [.built, .accepted, .rejected, .failed]

    static func text(store: any BuildStore, now: Date = Date()) throws -> String {
        let counts = try store.counts()
        let finished = try finishedStates.flatMap { try store.builds(state: $0, repo: nil, limit: nil) }
        let workers = try store.workers()
        let repos = Array(Set(counts.map(\.repo))).sorted()
        var out = MetricsText()
        out.family("pacbuild_builds", .gauge, help: "Builds in the store by repo and state.") { out in
            for repo in repos {
                for state in BuildState.Name.allCases {
                    out.sample("pacbuild_builds", [("repo", repo), ("state", state.rawValue)],
                               Double(counts.first { $0.repo == repo && $0.state == state }?.count ?? 0))
                }
            }
        }
        out.family("pacbuild_queue_depth", .gauge, help: "Builds queued and not started (ready or waiting) by repo.") { out in
            for repo in repos {
                let queued = counts.filter { $0.repo == repo && ($0.state == .ready || $0.state == .waiting) }.map(\.count).reduce(0, +)
                out.sample("pacbuild_queue_depth", [("repo", repo)], Double(queued))
            }
        }
        out.family("pacbuild_builds_finished", .gauge, help: "Builds that ran to an end (built, accepted, rejected or failed) by repo.") { out in
            for repo in repos {
                out.sample("pacbuild_builds_finished", [("repo", repo)], Double(finished.filter { $0.package.repo == repo }.count))
            }
        }
        out.family("pacbuild_builds_failed", .gauge, help: "Failed builds by repo and failure class.") { out in
            let failed = Dictionary(grouping: finished.compactMap { b in b.state.failureClass.map { (b.package.repo, $0.rawValue) } }) { "\($0.0)\u{0}\($0.1)" }
            for key in failed.keys.sorted() {
                let (repo, failure) = failed[key]![0]
                out.sample("pacbuild_builds_failed", [("repo", repo), ("class", failure)], Double(failed[key]!.count))
            }
        }
        out.family("pacbuild_build_duration_seconds", .histogram, help: "How long finished builds ran, from claim to report, by repo.") { out in
            for repo in repos {
                let seconds = finished.filter { $0.package.repo == repo }.compactMap { b in
                    b.startedAt.flatMap { start in b.finishedAt.map { $0.timeIntervalSince(start) } }
                }
                out.histogram("pacbuild_build_duration_seconds", [("repo", repo)], bounds: durationBounds, seconds)
            }
        }
        out.family("pacbuild_waka_last_heartbeat_seconds", .gauge, help: "When each registered waka was last heard from (Unix time).") { out in
            for worker in workers {
                guard let seen = worker.lastHeartbeat else { continue }
                out.sample("pacbuild_waka_last_heartbeat_seconds", [("waka", worker.name), ("host", worker.host)], seen.timeIntervalSince1970.rounded())
            }
        }
        out.family("pacbuild_waka_slots", .gauge, help: "Builds each registered waka runs at once.") { out in
            for worker in workers { out.sample("pacbuild_waka_slots", [("waka", worker.name), ("host", worker.host)], Double(worker.slots)) }
        }
        out.family("pacbuild_builds_running", .gauge, help: "Builds each registered waka holds now.") { out in
            let running = try? store.builds(state: .building, repo: nil, limit: nil)
            for worker in workers {
                out.sample("pacbuild_builds_running", [("waka", worker.name)], Double(running?.filter { $0.worker == worker.name }.count ?? 0))
            }
        }
        return out.text
    }
}

extension WebSite {
    func metricsResponse() async throws -> Response {
        let store = self.store
        let text = try await blocking { try StoreMetrics.text(store: store) }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
