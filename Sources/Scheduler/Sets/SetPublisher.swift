import Foundation
import Graph
import Repo

/// Publishes a rebuild set: every member's packages into every repo involved in one
/// step, all repos or none.
///
/// 1. Each member's packages are checked as accept checks them and copied into their
///    pools (idempotent; files no database lists yet, which `recover` keeps as a built
///    build's).
/// 2. Every involved database's lock is taken (in path order, waiting for live holders),
///    and each database's new archives are prepared beside it
///    (``DatabaseWriter/prepareAdd(_:holding:)``).
/// 3. The decision, a ``SetJournal``, is written; then each database's prepared archives
///    are renamed into place, the members are accepted in one store transaction, and the
///    journal is removed.
/// 4. Replaced pool files are deleted, staging databases reconciled and each repo's
///    hooks run.
///
/// A crash before 3 leaves every database old (prepared files, removed by `recover`);
/// after the journal, `recover` completes every rename and the store: every database new.
public struct SetPublisher: Sendable {
    public var store: any BuildStore
    public var repos: [String: RepoConfig]
    public var localArtifacts: @Sendable (BuildRecord) throws -> [String]
    public var lockTimeout: TimeInterval = 300
    /// Where the sonames of pool files are cached (`STATE/sonames`, ``SonameCache``);
    /// nil: read again at every closed part.
    public var stateDirectory: String?

    public init(store: any BuildStore, repos: [RepoConfig],
                localArtifacts: @escaping @Sendable (BuildRecord) throws -> [String] = { $0.artifacts }) {
        self.store = store
        self.repos = Dictionary(repos.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.localArtifacts = localArtifacts
    }

    /// What a publication did.
    public struct Publication: Sendable {
        public var set: RebuildSet
        /// The members published, by id.
        public var published: [BuildRecord]
        /// Per repo, as an accept's.
        public var results: [String: PublishResult]
        /// Live members left out (`--closed`), each with why.
        public var leftOut: [String] = []
    }

    /// One live member that keeps its set from being published whole.
    public struct Hold: Sendable, Codable, Hashable {
        public var build: BuildID
        public var label: String
        /// `not built yet (ready)`, `failed (build)`, `awaits review`, ...
        public var reason: String
    }

    /// The live members that hold `set`: every one not built and approved.
    public func holds(_ set: RebuildSet) throws -> [Hold] {
        try set.live.compactMap { member in
            let build = try store.build(member.build)
            let reason: String? = switch build.state {
            case .built: member.approvedAt == nil ? "awaits review" : nil
            case .accepted: nil
            case .waiting, .ready, .building: "not built yet (\(build.state.name.rawValue))"
            case .failed(let failure): "failed (\(failure.rawValue))" + (build.reason.map { ": \($0)" } ?? "")
            case .blocked(let by): "blocked by \(by)"
            case .rejected: "rejected" + (build.reason.map { ": \($0)" } ?? "")
            case .cancelled: "cancelled"
            case .superseded: "superseded by a newer version"
            }
            return reason.map { Hold(build: build.id, label: build.label, reason: $0) }
        }
    }

    /// Publishes the set when nothing holds it; nil (nothing done) otherwise.
    public func publishIfComplete(_ id: Int64) throws -> Publication? {
        let set = try store.rebuildSet(id)
        guard set.state == .open, try holds(set).isEmpty else { return nil }
        return try publish(set, members: set.live.map(\.build))
    }

    /// Publishes the whole set; throws ``SchedulerError/setHeld(set:holds:)`` naming
    /// what holds it.
    public func publishWhole(_ id: Int64) throws -> Publication {
        let set = try store.rebuildSet(id)
        let holds = try holds(set)
        guard holds.isEmpty else { throw SchedulerError.setHeld(set: id, holds: holds.map { "\($0.label): \($0.reason)" }) }
        return try publish(set, members: set.live.map(\.build))
    }

    /// `set publish --closed`: the largest part of the set whose members are built and
    /// approved, whose dependencies among the set's live members are in it too, and
    /// whose dropped sonames no package left behind still needs (``SetClosure``: a left-out
    /// member's current packages, or any package of a repo that can see the member's,
    /// not rebuilt in this publication). The rest stays in the set, each with why.
    public func closedPart(_ set: RebuildSet) throws -> (members: [BuildID], leftOut: [String]) {
        let members = try closureMembers(set)
        let (part, leftOut) = SetClosure.closedPart(members)
        return (part, leftOut.map { "\($0.label): \($0.reason)" })
    }

    /// The set's live members as ``SetClosure`` weighs them: holds and dependencies from
    /// the store; each built member's dropped sonames and their consumers from its
    /// recorded facts against the repos' databases and pools (as `checkbuilds` finds a
    /// bump). A member whose sonames cannot be compared is held, naming why: publishing
    /// it could break what it cannot see.
    func closureMembers(_ set: RebuildSet) throws -> [SetClosure.Member] {
        let holds = Dictionary(try holds(set).map { ($0.build, $0.reason) }, uniquingKeysWith: { a, _ in a })
        let live = Set(set.live.map(\.build))
        var reviewer = stateDirectory.map { BuildReviewer(repos: Array(repos.values), store: store, stateDirectory: $0) }
            ?? BuildReviewer(repos: Array(repos.values))
        let records = try live.sorted().map(store.build)
        return try records.map { build in
            let id = build.id
            var member = SetClosure.Member(build: id, label: build.label, package: build.package, hold: holds[id],
                                           dependencies: Set(try store.dependencies(of: id)).intersection(live))
            member.laterPasses = Set(records.filter { $0.package == build.package && $0.version == build.version && $0.pass > build.pass }.map(\.id))
            guard build.state == .built, member.hold == nil else { return member }
            let facts = try store.packageFacts(of: id)
            member.needs = Set(facts.flatMap { $0.sonamesNeeded ?? [] })
            let bump = reviewer.sonameBump(of: build, facts: facts)
            if !bump.problems.isEmpty {
                member.hold = "its sonames cannot be compared with the repo's: " + bump.problems.joined(separator: "; ")
            }
            for soname in bump.bumps.map(\.soname) { member.drops[soname] = bump.consumerPackages[soname] ?? [] }
            return member
        }
    }

    /// Publishes `members` of `set` (live members, built and approved or accepted).
    public func publish(_ set: RebuildSet, members: [BuildID]) throws -> Publication {
        let all = try members.map(store.build).sorted { $0.id < $1.id }
        // an accepted member (accepted before it joined) is only marked published
        let records = all.filter { $0.state == .built }
        // 1. check, and copy into the pools; a cycle's pass 1 whose pass 2 is published
        // too is only marked published: pass 2's packages (of its name and version) replace it
        var pooled: [String: [String]] = [:]
        let acceptor = Acceptor(store: store, repos: Array(repos.values), localArtifacts: localArtifacts)
        let replacedByLaterPass = { (build: BuildRecord) in
            records.contains { $0.package == build.package && $0.version == build.version && $0.pass > build.pass }
        }
        for build in records where !replacedByLaterPass(build) {
            guard let repo = repos[build.package.repo] else { throw SchedulerError.unknownPackage(build.package.repo, repos: repos.keys.sorted()) }
            // a pass 2 whose pass 1 was accepted before the set (a store from an older
            // pacbuild) replaces that pass's pool file, as accept does
            let placer = Publisher(target: PublishTarget(repo), replaceable: try acceptor.earlierPasses(of: build))
            for (path, expected) in try acceptor.checkedPackages(of: build, repo: repo) {
                let sha256: String
                do { sha256 = try PackageFile.read(at: path).checksums.sha256sum } catch { throw SchedulerError.repo(error) }
                if let expected, expected != sha256 { throw SchedulerError.checksumMismatch(file: path, expected: expected, actual: sha256) }
                pooled[repo.name, default: []].append(try placer.place(path, sha256: sha256))
            }
        }
        let involved = pooled.keys.compactMap { repos[$0] }.sorted { $0.db < $1.db }
        // 2. every lock, then every database prepared
        let writers: [(repo: RepoConfig, writer: DatabaseWriter)]
        do { writers = try involved.map { ($0, try DatabaseWriter(path: $0.db)) } } catch let error as RepoError { throw SchedulerError.repo(error) }
        var locks: [RepoLock] = []
        defer { for lock in locks { lock.release() } }
        for (_, writer) in writers {
            locks.append(try LockWait(timeout: lockTimeout).run { () throws(RepoError) in try RepoLock(path: writer.lockPath) })
        }
        var replaced: [String: [String]] = [:]
        var results: [String: PublishResult] = [:]
        do {
            for ((repo, writer), lock) in zip(writers, locks) {
                let (report, old) = try writer.prepareAdd(pooled[repo.name] ?? [], holding: lock)
                if let failure = report.failures.first { throw SchedulerError.repo(failure) }
                replaced[repo.name] = old
                results[repo.name] = PublishResult(added: pooled[repo.name] ?? [], warnings: report.warnings)
            }
        } catch {
            for (_, writer) in writers { writer.discardPrepared() }
            if let error = error as? RepoError { throw SchedulerError.repo(error) }
            throw error
        }
        // 3. the decision, then every database, then the store
        let journal = SetJournal(set: set.id, builds: all.filter { [.built, .accepted].contains($0.state) }.map(\.id),
                                 databases: writers.map(\.writer.path))
        let journalPath = SetJournal.path(set: set.id, directory: writers.first?.writer.directory ?? ".")
        if !writers.isEmpty { try journal.write(to: journalPath) }
        try Self.finish(journal, store: store)
        try? FileManager.default.removeItem(atPath: journalPath)
        for lock in locks { lock.release() }
        // 4. clean-up and hooks
        var warnings: [String] = []
        for repo in involved {
            var result = results[repo.name] ?? PublishResult()
            for file in replaced[repo.name] ?? [] {
                for victim in [file, file + ".sig"] where FileManager.default.fileExists(atPath: victim) {
                    if (try? FileManager.default.removeItem(atPath: victim)) != nil { result.removed.append(victim) }
                }
            }
            if repo.staging {
                var stager = Stager(store: store, repos: Array(repos.values))
                stager.lockTimeout = lockTimeout
                do { result.unstaged = try stager.reconcile(repo) } catch { warnings.append("staging: \(error)") }
            }
            let runner = HookRunner(timeoutSeconds: repo.hooks.timeout, workingDirectory: repo.hooks.workingDirectory)
            let event = HookEvent(repoName: repo.name, repoArch: repo.arch, database: repo.db, pool: repo.pool,
                                  added: result.added, removed: result.removed)
            result.hooks = runner.run(repo.hooks.postAccept + repo.hooks.postUpdate, event: event)
            result.warnings += warnings
            results[repo.name] = result
        }
        return Publication(set: try store.rebuildSet(set.id), published: try records.map { try store.build($0.id) }, results: results)
    }

    /// Puts every prepared database of `journal` in place and marks its builds published
    /// (what is done already is skipped): the second half of a publication, which
    /// `recover` repeats after a crash.
    static func finish(_ journal: SetJournal, store: any BuildStore) throws {
        for database in journal.databases {
            do { try DatabaseWriter(path: database).commitPrepared() } catch { throw SchedulerError.repo(error) }
        }
        let pending = try journal.builds.filter { try store.build($0).state != .accepted || store.rebuildSet(of: $0) != nil }
        if !pending.isEmpty { try store.publishSetMembers(journal.set, pending) }
    }
}
