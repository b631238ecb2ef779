import Foundation
import Graph

extension Configuration {
    /// Opens the configured store (or `url` instead), creating the SQLite file's
    /// directory on first use, with the lease and retry limit of `[workers]`.
    public func openStore(url: String? = nil) throws -> any BuildStore {
        let location = url ?? global.store.description
        if case .sqlite(let path) = global.store, url == nil {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        }
        let workers = global.workers
        return try Store.open(url: location, options: StoreOptions(
            leaseDuration: TimeInterval(workers.leaseSeconds), retryLimit: workers.maxAttempts))
    }

    /// A catch-up of `plan` into the store: builds claimed for their repo's arch, with
    /// the tags its `tags` and `[package_tags]` require, and every repo's build settings
    /// (for wakas without a configuration directory); throws when a repo's makepkg.conf
    /// cannot be read.
    public func catchup(_ plan: Plan) throws(SchedulerError) -> Catchup {
        Catchup(plan: plan, arches: Dictionary(uniqueKeysWithValues: repos.map { ($0.name, $0.arch) }),
                tags: Dictionary(uniqueKeysWithValues: repos.map { ($0.name, $0.tags) }),
                settings: try repos.map { (repo) throws(SchedulerError) in try RepoSettings(repo) })
    }

    /// Planning options whose expected build times come from the store's history (the
    /// mean of the last five builds), the default for pkgbases never built.
    public func historyTimes(from store: any BuildStore) -> @Sendable (Graph.PackageBaseID) -> Double {
        { id in ((try? store.averageDuration(of: id, window: 5)) ?? nil) ?? PlanOptions.defaultBuildSeconds }
    }
}
