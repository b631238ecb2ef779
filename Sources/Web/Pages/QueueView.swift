import Foundation
import Scheduler

/// The queue page: ready builds by priority, waiting builds with what they wait on,
/// blocked builds with the chain down to the build that failed, and the rebuild sets
/// that hold their built members back.
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
    /// The open rebuild sets, newest first, with what holds each.
    var sets: [SetView]
    var setCount: Int
    /// How many builds each section holds in all.
    var readyCount: Int
    var waitingCount: Int
    var blockedCount: Int
    /// The rows shown start at this position of each section (`/queue?from=N`).
    var from: Int
    /// The position of the previous and the next page, when there is one.
    var previous: String?
    var next: String?
    var pageSize = QueueView.pageSize

    /// Rows per section and page: a farm's catch-up queues thousands, and a page (and
    /// the store queries behind each row) must stay fast.
    static let pageSize = 200

    /// Reads it from the store (blocking: call through `blocking`): each section in the
    /// store's order (priority, then id), only the rows of this page read, with their
    /// dependencies and chains; the totals from the store's counts.
    static func read(from store: any BuildStore, now: Date = Date(), from: Int = 0) throws -> QueueView {
        let start = max(0, from)
        func page(_ state: BuildState.Name) throws -> ArraySlice<BuildRecord> {
            try store.builds(state: state, repo: nil, limit: start + pageSize).dropFirst(start)
        }
        var totals: [BuildState.Name: Int] = [:]
        for count in try store.counts() { totals[count.state, default: 0] += count.count }
        let waitingPage = try page(.waiting)
        let pending = try store.pendingDependencies(of: waitingPage.map(\.id))
        let waitingRows = waitingPage.map { build in
            Waiting(build: BuildRow(build, now: now), on: (pending[build.id] ?? []).map { BuildRow($0, now: now) })
        }
        let blockedRows = try page(.blocked).map { build in
            Blocked(build: BuildRow(build, now: now), chain: try RunSummary.blockingChain(of: build, store: store).map { BuildRow($0, now: now) })
        }
        let ready = totals[.ready] ?? 0, waiting = totals[.waiting] ?? 0, blocked = totals[.blocked] ?? 0
        let sets = try RebuildSetReport.open(in: store).map { try SetView($0, store: store, now: now) }
        return QueueView(ready: try page(.ready).map { BuildRow($0, now: now) }, waiting: waitingRows, blocked: blockedRows,
                         sets: sets, setCount: sets.count,
                         readyCount: ready, waitingCount: waiting, blockedCount: blocked, from: start,
                         previous: start > 0 ? String(max(0, start - pageSize)) : nil,
                         next: start + pageSize < max(ready, waiting, blocked) ? String(start + pageSize) : nil)
    }
}
