import Foundation
import Repo

/// `pacbuild recover`: after a crash (a killed accept, a power cut), brings every repo
/// and the store back to agreement.
///
/// 0. Rebuild sets (``SetRecovery``): a set publication cut short is finished in every
///    repo when its journal was written, undone in every repo otherwise.
/// 1. A repo lock whose holder is not running on this machine is removed (a killed
///    update left it; a lock of a live process is left alone).
/// 2. A `built` build whose package files are all in its repo's database was published
///    by an accept that died before marking it: it is accepted again through
///    ``Acceptor`` (the publish is idempotent, the hooks run, the store is marked).
/// 3. Under the repo lock: temporary database files, pool copies of dead processes
///    (`NAME.part-PID`), and package files (with their `.sig`) that no database of the
///    pool lists and no `built` build produced are removed. A built build's pool copy
///    stays: a re-run of its accept uses it.
///
/// 4. For a repo with `staging = true`, the staging database is brought in line with
///    the store (``Stager``): entries of builds no longer `built` are removed (a crash
///    between an accept or reject and the clean-up), and a `built` build that is not
///    marked staged (a crash between publishing to staging and the mark, or a staging
///    that failed) is staged again, which makes its dependents ready.
///
/// A build that cannot be finished or staged (a package name, version or file name the
/// checks refuse, from a store written before they existed) is a problem in the report
/// and skipped; the rest of the repo is recovered. A database entry no update writes
/// (`../x-1-1/desc`) is left out by the next update of that database (``DatabaseWriter``).
///
/// Run it when no other pacbuild on another machine updates the same repos: a pid in a
/// lock file means nothing across machines.
public struct Recovery {
    public var store: any BuildStore
    public var repos: [RepoConfig]
    public var acceptor: Acceptor

    public init(store: any BuildStore, repos: [RepoConfig], acceptor: Acceptor? = nil) {
        self.store = store
        self.repos = repos
        self.acceptor = acceptor ?? Acceptor(store: store, repos: repos)
    }

    public func run(repo only: String? = nil) throws -> RecoveryReport {
        var report = RecoveryReport()
        var publisher = SetPublisher(store: store, repos: repos, localArtifacts: acceptor.localArtifacts)
        publisher.lockTimeout = acceptor.lockTimeout
        SetRecovery(store: store, repos: repos.filter { only == nil || $0.name == only }, publisher: publisher)
            .run(into: &report)
        let built = try store.builds(state: .built, repo: nil, limit: nil)
        for repo in repos where only == nil || repo.name == only {
            do {
                try removeStaleLock(repo, into: &report)
                try finishPublished(built.filter { $0.package.repo == repo.name }, repo, into: &report)
                try sweep(repo, keeping: Set(try store.builds(state: .built, repo: nil, limit: nil).flatMap(\.artifacts).map(Self.baseName)),
                          into: &report)
                try recoverStaging(repo, into: &report)
            } catch {
                report.problems.append("\(repo.name): \(error)")
            }
        }
        return report
    }

    /// Step 4: the staging database's stale lock, its entries of builds no longer
    /// built, and built builds that are not staged.
    private func recoverStaging(_ repo: RepoConfig, into report: inout RecoveryReport) throws {
        guard let target = repo.stagingTarget else { return }
        try removeStaleLock(database: target.database, into: &report)
        let stager = Stager(store: store, repos: repos, localArtifacts: acceptor.localArtifacts)
        report.unstaged += try stager.reconcile(repo)
        // One build that cannot be staged (a package whose name a check refuses, recorded
        // before names were checked) is reported and skipped, not the end of recovery.
        for build in try store.builds(state: .built, repo: repo.name, limit: nil) where build.stagedAt == nil {
            do {
                _ = try stager.stage(build.id)
                report.restaged.append(build.id)
            } catch {
                report.problems.append("\(build.id) \(build.package): \(error)")
            }
        }
    }

    private func removeStaleLock(_ repo: RepoConfig, into report: inout RecoveryReport) throws {
        try removeStaleLock(database: repo.db, into: &report)
    }

    private func removeStaleLock(database: String, into report: inout RecoveryReport) throws {
        if let removed = try Self.removeStaleLock(database: database) { report.staleLocks.append(removed) }
    }

    /// Removes the database's lock when its holder is gone; returns it then.
    static func removeStaleLock(database: String) throws -> String? {
        let lock = try DatabaseWriter(path: database).lockPath
        guard FileManager.default.fileExists(atPath: lock) else { return nil }
        if let holder = RepoLock.holder(of: lock), LockWait.isRunning(holder) { return nil }
        if RepoLock.holder(of: lock) == nil, let age = Self.age(lock), age < 10 { return nil }  // being written right now
        unlink(lock)
        return lock
    }

    /// A cycle member's pass 2 has the file names of its accepted pass 1, so a name in
    /// the database proves it published only when the entry's sha256 is the one
    /// recorded for the build.
    private func finishPublished(_ built: [BuildRecord], _ repo: RepoConfig, into report: inout RecoveryReport) throws {
        let inDatabase = Dictionary(try Self.entries(repo).map { ($0.filename, $0.sha256sum) }, uniquingKeysWith: { a, _ in a })
        for build in built where !build.artifacts.isEmpty {
            let recorded = build.pass > 1 ? try store.artifactChecksums(of: build.id) : [:]
            guard build.artifacts.allSatisfy({ path in
                guard let entry = inDatabase[Self.baseName(path)] else { return false }
                return build.pass == 1 || (entry != nil && entry == recorded[path])
            }) else { continue }
            do {
                _ = try acceptor.accept(build.id)
                report.finished.append(build.id)
            } catch {
                report.problems.append("\(build.id) \(build.package): \(error)")
            }
        }
    }

    /// Removes what no database and no built build accounts for, holding the repo lock so
    /// no update changes the database meanwhile.
    private func sweep(_ repo: RepoConfig, keeping builtFiles: Set<String>, into report: inout RecoveryReport) throws {
        let writer = try DatabaseWriter(path: repo.db)
        guard FileManager.default.fileExists(atPath: repo.db) else { return }
        let lock = try LockWait(timeout: acceptor.lockTimeout).run { () throws(RepoError) in try RepoLock(path: writer.lockPath) }
        defer { lock.release() }
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: writer.directory)) ?? []
        where name.hasPrefix(".tmp.\(writer.name).db") || name.hasPrefix(".tmp.\(writer.name).files") {
            try? manager.removeItem(atPath: writer.directory + "/" + name)
            report.removedTemporaries.append(writer.directory + "/" + name)
        }
        var listed = Set<String>()
        for other in repos where Self.same(other.pool, repo.pool) && manager.fileExists(atPath: other.db) {
            listed.formUnion(try Self.entries(other).map(\.filename))
        }
        for name in ((try? manager.contentsOfDirectory(atPath: repo.pool)) ?? []).sorted() {
            let path = repo.pool + "/" + name
            if let range = name.range(of: Publisher.partSuffix), !LockWait.isRunning(String(name[range.upperBound...])) {
                try? manager.removeItem(atPath: path)
                report.removedTemporaries.append(path)
                continue
            }
            let package = name.hasSuffix(".sig") ? String(name.dropLast(4)) : name
            guard package.contains(".pkg.tar"), !package.contains(Publisher.partSuffix),
                  !listed.contains(package), !builtFiles.contains(package) else { continue }
            try? manager.removeItem(atPath: path)
            report.removedOrphans.append(path)
        }
    }

    static func entries(_ repo: RepoConfig) throws -> [DatabaseEntry] {
        guard FileManager.default.fileExists(atPath: repo.db) else { return [] }
        do { return try SyncDatabase.read(at: repo.db).entries } catch { throw SchedulerError.repo(error) }
    }

    static func baseName(_ path: String) -> String { (path as NSString).lastPathComponent }

    private static func same(_ a: String, _ b: String) -> Bool {
        (a as NSString).standardizingPath == (b as NSString).standardizingPath
    }

    private static func age(_ path: String) -> TimeInterval? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date).map { Date().timeIntervalSince($0) }
    }
}

/// What `pacbuild recover` did.
public struct RecoveryReport: Sendable, Codable {
    /// Lock files of processes that are gone, removed.
    public var staleLocks: [String] = []
    /// Builds found published but not marked, now accepted.
    public var finished: [BuildID] = []
    /// Temporary database files and dead processes' pool copies, removed.
    public var removedTemporaries: [String] = []
    /// Package files no database lists and no built build made, removed.
    public var removedOrphans: [String] = []
    /// Pool files of staging database entries whose builds are no longer built, removed
    /// with their entries.
    public var unstaged: [String] = []
    /// Built builds of staging repos that were not staged, staged now.
    public var restaged: [BuildID] = []
    /// Work and scratch directories of dead processes (``WorkSweeper``), removed.
    public var removedWork: [String] = []
    /// Rebuild sets whose publication a crash cut short after its decision, finished
    /// in every repo (docs/review.md#rebuild-sets).
    public var setsFinished: [Int64] = []
    /// Prepared set databases of a publication a crash cut short before its decision,
    /// removed (those repos stay as they were).
    public var setsRolledBack: [String] = []
    /// Open sets that nothing held any more, published.
    public var setsPublished: [Int64] = []
    public var problems: [String] = []

    public var changedNothing: Bool {
        staleLocks.isEmpty && finished.isEmpty && removedTemporaries.isEmpty && removedOrphans.isEmpty
            && unstaged.isEmpty && restaged.isEmpty && removedWork.isEmpty
            && setsFinished.isEmpty && setsRolledBack.isEmpty && setsPublished.isEmpty
    }
}
