import Sandbox

/// The fetch stage's limits, from `[sources]` in `pacbuild.toml` (docs/sources.md).
public struct SourceSettings: Sendable, Equatable {
    /// The largest source file one download may bring, in MiB.
    public var maxMB: Int = Int(SourceFetchSettings.defaultMaxBytes >> 20)
    /// Seconds one download may take.
    public var timeoutSeconds: Int = SourceFetchSettings.defaultTimeoutSeconds
    /// Hosts (`host` or `host:port`) a download may reach although they resolve to an
    /// internal address (loopback, private, link-local): a mirror on the farm's network.
    public var allowHosts: [String] = []

    public init() {}

    static let keys = ["max_mb", "timeout", "allow_hosts"]

    /// Reads `[sources]`, keeping the default of each key that is absent or wrong.
    static func parse(_ table: inout ConfigTable) -> SourceSettings {
        var settings = SourceSettings()
        guard var nested = table.table("sources", keys: keys) else { return settings }
        settings.maxMB = nested.integer("max_mb", in: 1...(1 << 24), expected: "MiB per source file, from 1 to 16777216") ?? settings.maxMB
        settings.timeoutSeconds = nested.integer("timeout", in: 1...86_400, expected: "seconds per download, from 1 to 86400")
            ?? settings.timeoutSeconds
        settings.allowHosts = nested.strings("allow_hosts", expected: "an array of host names or addresses, each optionally with :PORT")
            ?? settings.allowHosts
        table.absorb(nested)
        return settings
    }

    /// The fetch settings of a build on this machine: the cache in `STATE/sources`.
    public func fetchSettings(stateDirectory: String, shared: (any SharedSources)? = nil) -> SourceFetchSettings {
        SourceFetchSettings(cacheDirectory: stateDirectory + "/sources", maxBytes: UInt64(maxMB) << 20,
                            timeoutSeconds: timeoutSeconds, shared: shared, allowedHosts: allowHosts)
    }
}
