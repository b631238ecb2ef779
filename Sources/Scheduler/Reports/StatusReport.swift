import Foundation

/// The queue at a glance (`pacbuild status`, the web overview, `/api/v1/status`).
public struct StatusReport: Sendable, Encodable {
    public var counts: [StateCount]
    public var running: [BuildRecord]
    /// The next ready builds, highest priority first.
    public var ready: [BuildRecord]
    public var workers: [WorkerInfo]
    /// Ready builds whose tags no registered worker has.
    public var unserved: [TagDemand]
    /// Open rebuild sets and what holds each (schema 16).
    public var sets: [RebuildSetReport] = []

    /// Reads the report; `next` caps the ready builds listed.
    public static func read(from store: any BuildStore, next: Int?) throws -> StatusReport {
        let workers = try store.workers()
        return StatusReport(
            counts: try store.counts(),
            running: try store.builds(state: .building, repo: nil, limit: nil),
            ready: try store.builds(state: .ready, repo: nil, limit: next),
            workers: workers,
            unserved: try store.tagDemand(state: .ready).filter { !$0.isServed(by: workers) },
            sets: try RebuildSetReport.open(in: store))
    }
}
