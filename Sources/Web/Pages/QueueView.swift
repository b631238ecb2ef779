import Foundation
import Scheduler

/// The queue page: ready builds by priority, waiting builds with what they wait on,
/// blocked builds with the chain down to the build that failed.
struct QueueView {
    struct Waiting {
        var build: BuildRow
        /// The dependencies not yet accepted.
        var on: [BuildRow]
    }

    struct Blocked {
        var build: BuildRow
        /// Nearest first, down to the failed, rejected or cancelled build.
        var chain: [BuildRow]
    }

    var title = "queue"
    var ready: [BuildRow]
    var waiting: [Waiting]
    var blocked: [Blocked]

    /// Reads it from the store (blocking: call through `blocking`).
    static func read(from store: any BuildStore, now: Date = Date()) throws -> QueueView {
        let waiting = try store.builds(state: .waiting, repo: nil, limit: nil).map { build in
            let pending = try store.dependencies(of: build.id).map { try store.build($0) }.filter { $0.state != .accepted }
            return Waiting(build: BuildRow(build, now: now), on: pending.map { BuildRow($0, now: now) })
        }
        let blocked = try store.builds(state: .blocked, repo: nil, limit: nil).map { build in
            Blocked(build: BuildRow(build, now: now), chain: try RunSummary.blockingChain(of: build, store: store).map { BuildRow($0, now: now) })
        }
        return QueueView(ready: try store.builds(state: .ready, repo: nil, limit: nil).map { BuildRow($0, now: now) },
                         waiting: waiting, blocked: blocked)
    }
}
