import Foundation
import Graph

/// pacbuild's memory of every build it planned, ran, accepted or rejected, and the queue
/// wakas claim from. Two conformers share one schema and one set of rules (the rules are
/// ``BuildLifecycle``'s): ``SQLiteStore`` for one machine, ``PostgresStore`` for many.
///
/// Every method blocks on the database, so call them from a thread of your own (or a
/// synchronous command), never from a task on Swift's cooperative pool. Each method is
/// one transaction: a crash leaves the store as before or as after, never between.
public protocol BuildStore: AnyObject, Sendable {
    /// The schema version the store is at after its migrations.
    var schemaVersion: Int { get throws }

    // MARK: Queue

    /// Queues the planned builds with their edges. Idempotent per repo, pkgbase and
    /// version; a new version supersedes the queued, not yet started, older ones (their
    /// dependents' edges move to it); a version marked rejected is left out.
    func enqueue(_ builds: [PlannedBuild]) throws -> EnqueueResult
    /// Drops queued builds of `package` other than `version` that have not started.
    func supersede(_ package: PackageBaseID, keeping version: String) throws -> [BuildID]
    /// Atomically takes the highest-priority `ready` build of one of `arches` (or `any`)
    /// whose required tags are all among `tags`, and leases it to `worker`; nil when
    /// nothing such is ready.
    func claim(worker: String, arches: [String], tags: [String]) throws -> BuildRecord?
    /// Extends the lease on one build `worker` holds.
    func renewLease(_ build: BuildID, worker: String) throws
    /// Records that `worker` is alive and renews every lease it holds; returns how many.
    func heartbeat(worker: String) throws -> Int
    /// Puts builds whose lease ran out back to `ready` (or `failed(lost)` past the retry
    /// limit); returns them.
    func expireLeases() throws -> [BuildID]
    /// Gives a build `worker` holds back unfinished: `ready` again, attempts unchanged (a
    /// waka stopping, or one restarted under the same name returning what it held).
    func release(_ build: BuildID, worker: String) throws
    /// A worker's result for a build it holds; a built build's duration goes to history.
    /// A build reported built while a staged dependency it built against was rejected is
    /// `blocked` by it instead.
    func report(_ build: BuildID, worker: String, result: BuildResult) throws -> BuildRecord
    /// Records that a built build was published to its repo's staging database (schema
    /// 6); its dependents whose dependencies are all accepted or staged become `ready`.
    /// Refused unless the build is `built`.
    func stage(_ build: BuildID) throws

    // MARK: Review and maintenance

    /// Accepts a built build; dependents whose dependencies are all accepted (or staged)
    /// become `ready`.
    func accept(_ build: BuildID) throws
    /// Rejects a built build and marks its version; dependents become `blocked` by it,
    /// including those a staged build made ready or that were built against it.
    func reject(_ build: BuildID, reason: String) throws
    func cancel(_ build: BuildID) throws
    /// Queues a failed, rejected, cancelled or blocked build again (removing the mark of
    /// a rejected one).
    func retry(_ build: BuildID) throws
    func setPriority(_ build: BuildID, _ priority: Double) throws
    func mark(_ mark: RejectionMark) throws
    func unmark(_ package: PackageBaseID, version: String) throws
    func marks() throws -> [RejectionMark]
    /// Adds an action to the audit log.
    func recordAudit(_ entry: AuditEntry) throws
    /// The audit log, newest first: of one build, or of all (`nil`); at most `limit` entries.
    func auditEntries(of build: BuildID?, limit: Int?) throws -> [AuditEntry]

    // MARK: Notifications (schema 15)

    /// The event log after `sequence` in delivery order, at most `limit` events. Events
    /// committed since the last call are numbered first, under a lock, in the order they
    /// became visible: an event never gets a number below one already read, so a cursor
    /// that has passed N misses nothing by skipping everything up to N.
    func events(after sequence: Int64, limit: Int) throws -> [StoreEvent]
    /// Takes `target` for `holder` until `until` (renewing the caller's own hold), its
    /// cursor created at the newest event when the target is new: a new target gets what
    /// happens from now on, not the history. Refused while another holder's hold runs.
    func holdNotifyTarget(_ target: String, holder: String, until: Date) throws -> NotifyHold
    /// Moves the cursor of a target `holder` holds to `sequence`, renewing the hold until
    /// `until`; false (nothing changed) when it holds the target no longer.
    func advanceNotifyCursor(_ target: String, to sequence: Int64, holder: String, until: Date) throws -> Bool
    /// Gives up a hold, keeping the cursor.
    func releaseNotifyTarget(_ target: String, holder: String) throws
    /// Every target's cursor, by target.
    func notifyCursors() throws -> [NotifyCursor]
    /// Deletes the numbered events that happened before `date`, delivered or not, but
    /// the newest (the numbering goes on from it); returns how many.
    @discardableResult
    func pruneEvents(before date: Date) throws -> Int

    // MARK: Reading

    func build(_ id: BuildID) throws -> BuildRecord
    /// Builds in `state` (all when nil) of `repo` (all when nil), by priority then id.
    func builds(state: BuildState.Name?, repo: String?, limit: Int?) throws -> [BuildRecord]
    /// Every build ever queued for `package`, oldest first.
    func builds(of package: PackageBaseID) throws -> [BuildRecord]
    /// The sha256 of each package file of a built build, by path, recorded when it was
    /// reported; files the store could not read then (a remote waka's) are missing.
    func artifactChecksums(of build: BuildID) throws -> [String: String]
    /// The `.PKGINFO` facts of each package file of a built build, by file name, as its
    /// waka recorded them with the report (schema 10); empty for a build reported
    /// without them (before schema 10, or by a worker that read none).
    func packageFacts(of build: BuildID) throws -> [PackageFacts]
    /// The builds `build` waits for.
    func dependencies(of build: BuildID) throws -> [BuildID]
    /// For each of `builds`, the builds it waits for that are not accepted yet, in two
    /// queries however many builds (the queue page's rows).
    func pendingDependencies(of builds: [BuildID]) throws -> [BuildID: [BuildRecord]]
    /// How many builds each repo has in each state.
    func counts() throws -> [StateCount]
    /// How many builds in `state` require each set of tags (builds requiring none are
    /// left out), by tags.
    func tagDemand(state: BuildState.Name) throws -> [TagDemand]

    // MARK: Workers and history

    func register(_ worker: WorkerInfo) throws
    func workers() throws -> [WorkerInfo]
    /// Records a build's duration in seconds, for the planner's priorities.
    func appendHistory(_ package: PackageBaseID, version: String, seconds: Double) throws
    /// The mean of the last `window` durations of `package`, nil when it never built.
    func averageDuration(of package: PackageBaseID, window: Int) throws -> Double?

    // MARK: Files (schema 4)

    /// Keeps the file at `path` with `build` as `kind`/`name` (replacing one of that
    /// name), in chunks, with its size and sha256.
    @discardableResult
    func putFile(_ build: BuildID, kind: StoredFile.Kind, name: String, from path: String) throws -> StoredFile
    /// The files kept with `build`, by kind then name.
    func files(of build: BuildID) throws -> [StoredFile]
    /// Writes a kept file to `path` (through a temporary file renamed into place) after
    /// checking its size and sha256; throws ``StoreError/noSuchFile(_:kind:name:)``.
    @discardableResult
    func fetchFile(_ build: BuildID, kind: StoredFile.Kind, name: String, to path: String) throws -> StoredFile
    /// The first kept file of `kind` (lowest build id) named one of `names`, or with this
    /// sha256; nil when there is none (schema 13: downloaded sources, by checksum).
    func findFile(kind: StoredFile.Kind, names: [String], sha256: String?) throws -> StoredFile?

    // MARK: Rebuild sets (schema 16)

    /// Queues `builds` (as ``enqueue(_:)``) and, in the same transaction, opens a set of
    /// `root` (role `library`), the builds queued or already queued for them (role
    /// `rebuild`) and `joining` (builds queued before, role `member`).
    func enqueueSet(_ builds: [PlannedBuild], root: BuildID, joining: [BuildID], reason: String) throws -> (set: RebuildSet, result: EnqueueResult)
    /// Opens a set of builds already queued (catchup's `--rebuild --reverse` closure, a
    /// cycle's passes), each with its role, in one transaction.
    func openSet(_ members: [(build: BuildID, role: RebuildSet.Role)], reason: String) throws -> RebuildSet
    /// Every set (open ones only when `openOnly`), newest first.
    func rebuildSets(openOnly: Bool) throws -> [RebuildSet]
    func rebuildSet(_ id: Int64) throws -> RebuildSet
    /// The open set `build` is a member of, not dropped and not published; nil if none.
    func rebuildSet(of build: BuildID) throws -> RebuildSet?
    /// Records that a member's packages were approved (accepted while held by its set).
    func approveSetMember(_ build: BuildID) throws
    /// Takes a member out of its open set: the set is published without it.
    func dropSetMember(_ build: BuildID) throws
    /// Accepts the built `builds` of set `set` in one transaction, marking them
    /// published (the set is closed once no member is left): called once their
    /// packages are in every repo database.
    func publishSetMembers(_ set: Int64, _ builds: [BuildID]) throws

    // MARK: Repo settings (schema 7)

    /// Records (replaces) the build settings of these repos; catchup's, for wakas
    /// without a configuration directory.
    func recordRepoSettings(_ settings: [RepoSettings]) throws
    /// Every repo's recorded settings, by name.
    func repoSettings() throws -> [RepoSettings]
}
