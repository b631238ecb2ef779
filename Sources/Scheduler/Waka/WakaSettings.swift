import Foundation

/// How one waka runs: who it says it is and how many builds it runs at once. Made from
/// `[workers]` and the command line (`--jobs`).
public struct WakaSettings: Sendable {
    /// The worker name leases are held under; unique among live wakas.
    public var name: String
    public var host: String
    /// Arches it claims builds of (`any` builds are always claimed).
    public var arches: [String]
    /// Tags it has: it claims only builds whose required tags are all among them.
    public var tags: [String]
    /// Builds at once.
    public var slots: Int
    /// Seconds between heartbeats (each also expires other wakas' lost leases).
    public var heartbeatSeconds: Double
    /// How long an idle slot waits before it looks for work again.
    public var pollSeconds: Double = 1
    /// Bytes the package caches may hold (``CachePruner``), pruned at start and after
    /// each build.
    public var cacheMaxBytes: Int64 = Int64(WorkerSettings().cacheMaxMB) << 20
    /// `pacbuild run`: stop once nothing is ready or building anywhere and no slot is
    /// busy. A daemon (`pacbuild waka`) keeps waiting for work instead.
    public var untilIdle: Bool = false

    public init(name: String, host: String = ProcessInfo.processInfo.hostName, arches: [String], tags: [String] = [],
                slots: Int, heartbeatSeconds: Double) {
        self.name = name
        self.host = host
        self.arches = arches
        self.tags = tags
        self.slots = slots
        self.heartbeatSeconds = heartbeatSeconds
    }
}

extension Configuration {
    /// The settings `[workers]` gives: its arches, or every configured repo's arch.
    public func wakaSettings(jobs: Int? = nil, name: String? = nil) -> WakaSettings {
        let workers = global.workers
        var arches = workers.arches
        if arches.isEmpty { arches = repos.map(\.arch).reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }
        var settings = WakaSettings(name: name ?? workers.name, arches: arches, tags: workers.tags, slots: jobs ?? workers.jobs,
                                    heartbeatSeconds: Double(workers.heartbeatSeconds))
        settings.cacheMaxBytes = Int64(workers.cacheMaxMB) << 20
        return settings
    }
}
