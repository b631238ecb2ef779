import Foundation

/// How a waka (a build worker) runs, from `[workers]` in `pacbuild.toml`.
public struct WorkerSettings: Sendable, Equatable {
    /// Builds run at once on this machine. One by default: a build may use every core.
    public var jobs: Int = 1
    /// The name the waka reports to the store (default: the host name).
    public var name: String = ProcessInfo.processInfo.hostName
    /// Arches this waka builds (empty: every repo arch).
    public var arches: [String] = []
    /// Tags a build may require of its waka (e.g. `big-memory`).
    public var tags: [String] = []
    /// Seconds a claimed build stays leased without a heartbeat before another waka may
    /// take it over.
    public var leaseSeconds: Int = 300
    /// Seconds between heartbeats; below the lease so that a live waka never loses one.
    public var heartbeatSeconds: Int = 30
    /// Attempts per build before a failure is final (sandbox crashes, lost leases).
    public var maxAttempts: Int = 3
    /// Megabytes the waka's package caches (`STATE/cache/packages/`,
    /// `STATE/cache/server-packages/`) may hold before the least recently used files go.
    public var cacheMaxMB: Int = 4096

    public init() {}

    static let keys = ["jobs", "name", "arches", "tags", "lease_seconds", "heartbeat_seconds", "max_attempts", "cache_max_mb"]

    /// Reads `[workers]`, keeping the default of each key that is absent or wrong.
    static func parse(_ table: inout ConfigTable) -> WorkerSettings {
        var settings = WorkerSettings()
        guard var nested = table.table("workers", keys: keys) else { return settings }
        settings.jobs = nested.integer("jobs", in: 1...1024, expected: "a number of builds, from 1 to 1024") ?? settings.jobs
        settings.name = nested.string("name") ?? settings.name
        settings.arches = nested.strings("arches", expected: "an array of arches") ?? settings.arches
        let tags = nested.strings("tags", expected: "an array of tags") ?? settings.tags
        for tag in tags where !BuildTags.valid(tag) {
            nested.fail("tags", .invalidValue(expected: "tags of \(BuildTags.rule)", found: "'\(tag)'"))
        }
        settings.tags = tags.filter(BuildTags.valid)
        let day = 86_400
        settings.leaseSeconds = nested.integer("lease_seconds", in: 10...day, expected: "seconds, from 10 to 86400")
            ?? settings.leaseSeconds
        settings.heartbeatSeconds = nested.integer("heartbeat_seconds", in: 1...day, expected: "seconds, from 1 to 86400")
            ?? settings.heartbeatSeconds
        settings.maxAttempts = nested.integer("max_attempts", in: 1...100, expected: "a number of attempts, from 1 to 100")
            ?? settings.maxAttempts
        settings.cacheMaxMB = nested.integer("cache_max_mb", in: 0...16_777_216, expected: "megabytes, from 0 to 16777216")
            ?? settings.cacheMaxMB
        if settings.heartbeatSeconds >= settings.leaseSeconds {
            nested.fail("heartbeat_seconds", .invalidValue(
                expected: "fewer seconds than lease_seconds (\(settings.leaseSeconds))", found: String(settings.heartbeatSeconds)))
            settings.heartbeatSeconds = min(WorkerSettings().heartbeatSeconds, settings.leaseSeconds / 2)
        }
        table.absorb(nested)
        return settings
    }
}
