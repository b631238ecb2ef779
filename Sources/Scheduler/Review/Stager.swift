import Foundation
import Graph
import Repo

/// Staging repos (`staging = true`): a built build is published to its repo's staging
/// database (pool, database under its lock, like an accept, without hooks) and marked
/// staged in the store, which makes its dependents ready; they install it from there.
/// The staging database holds only builds that are still `built`: ``reconcile(_:)``
/// removes the entries (and pool files) of builds accepted, rejected, cancelled or
/// blocked since, and runs after every accept and reject of a staging repo's build and
/// before every staging, so a crash between the store and the database is repaired by
/// the next one (or by `pacbuild recover`).
public struct Stager: Sendable {
    public var store: any BuildStore
    public var repos: [String: RepoConfig]
    public var localArtifacts: @Sendable (BuildRecord) throws -> [String]
    public var lockTimeout: TimeInterval = 300

    public init(store: any BuildStore, repos: [RepoConfig],
                localArtifacts: @escaping @Sendable (BuildRecord) throws -> [String] = { $0.artifacts }) {
        self.store = store
        self.repos = Dictionary(repos.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.localArtifacts = localArtifacts
    }

    /// Stages a built build of a staging repo; nil (nothing done) for other repos.
    public func stage(_ id: BuildID) throws -> PublishResult? {
        let build = try store.build(id)
        guard let repo = repos[build.package.repo], let target = repo.stagingTarget else { return nil }
        guard build.state == .built else { throw SchedulerError.notAcceptable(id: id.description, state: build.state.name.rawValue) }
        _ = try reconcile(repo)
        let packages = try BuildPackages.withChecksums(of: build, store: store, localArtifacts: localArtifacts)
        try removeReplacedPoolFiles(packages, pool: target.pool)
        let result = try Publisher(target: target, lockTimeout: lockTimeout).publish(packages)
        try store.stage(id)
        return result
    }

    /// Removes from `repo`'s staging database every package whose build (by pkgbase and
    /// version) is no longer `built`, and deletes its pool file; returns the files.
    public func reconcile(_ repo: RepoConfig) throws -> [String] {
        guard let target = repo.stagingTarget, FileManager.default.fileExists(atPath: target.database) else { return [] }
        let entries: [DatabaseEntry]
        do { entries = try SyncDatabase.read(at: target.database).entries } catch { throw SchedulerError.repo(error) }
        let built = Set(try store.builds(state: .built, repo: repo.name, limit: nil).map { "\($0.package.pkgbase) \($0.version)" })
        let stale = entries.filter { !built.contains("\($0.base ?? $0.name) \($0.version)") }
        guard !stale.isEmpty else { return [] }
        let writer: DatabaseWriter
        do { writer = try DatabaseWriter(path: target.database) } catch { throw SchedulerError.repo(error) }
        let report = try LockWait(timeout: lockTimeout).run { () throws(RepoError) in try writer.remove(stale.map(\.name)) }
        if let failure = report.failures.first, !report.written { throw SchedulerError.repo(failure) }
        // A FILENAME that is not one plain name is never followed out of the pool.
        let files = stale.filter { PackageFileName.problem($0.filename) == nil }.map { target.pool + "/" + $0.filename }
        for file in files { try? FileManager.default.removeItem(atPath: file); try? FileManager.default.removeItem(atPath: file + ".sig") }
        return files
    }

    /// Reconciles every staging repo (after a reject, which may block builds of others).
    public func reconcileAll() throws -> [String] {
        try repos.values.sorted { $0.name < $1.name }.flatMap(reconcile)
    }

    /// A staged file is not released: one of the same name left by an earlier build of
    /// the same version (built against a rejected dependency, rebuilt since) is replaced,
    /// where the real repo's pool would refuse it.
    private func removeReplacedPoolFiles(_ packages: [(path: String, sha256: String?)], pool: String) throws {
        for package in packages {
            let name = (package.path as NSString).lastPathComponent
            try PackageFileName.check(name, from: package.path)
            let pooled = pool + "/" + name
            guard FileManager.default.fileExists(atPath: pooled), pooled != package.path,
                  (try? FileChecksum.sha256(ofFileAt: pooled)) != (try? FileChecksum.sha256(ofFileAt: package.path)) else { continue }
            try? FileManager.default.removeItem(atPath: pooled)
            try? FileManager.default.removeItem(atPath: pooled + ".sig")
        }
    }
}
