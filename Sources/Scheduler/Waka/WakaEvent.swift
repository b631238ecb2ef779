/// What a waka reports as it works, for the CLI to show (the library never prints).
/// Sent from the slot and heartbeat threads: the receiver serializes.
public enum WakaEvent: Sendable {
    /// Registered in the store; `returned` are builds this name still held from an
    /// earlier life (a crash), given back at once instead of waiting for their leases.
    case started(WorkerInfo, returned: [BuildID])
    /// Configured repos whose database is not on this machine (a remote waka, or before
    /// their first publish): builds leave them out of pacman.conf and install what
    /// their dependency builds made from the store instead. Said once, at start.
    case repositoriesMissing([String])
    /// What a dead earlier run left under `STATE/work` and `STATE/tmp`, removed at start.
    case swept([String])
    /// Repos with a `server` that has no database yet (not published before): builds
    /// leave them out of pacman.conf, as a missing local database. Said once per repo.
    case repositoriesUnpublished([String])
    case claimed(BuildRecord, slot: Int)
    /// Reported: the record is `built` or `failed`.
    case finished(BuildRecord, slot: Int)
    /// A build of a `staging = true` repo, published to its staging repo: its
    /// dependents may build against it.
    case staged(BuildRecord)
    /// Staging failed; the build stays `built`, and its dependents wait for its accept.
    case stageFailed(BuildRecord, reason: String)
    /// A `review = "auto"` build, published into its repo.
    case accepted(BuildRecord)
    /// A build dropped a soname other packages need (`soname_rebuilds = "auto"`): a
    /// rebuild set is open with these members besides the build; `problems` are
    /// consumers that could not be queued.
    case setOpened(RebuildSet, members: [BuildRecord], problems: [String])
    /// Approved (auto review) but held by its rebuild set until every member is built
    /// and approved.
    case heldBySet(BuildRecord, set: RebuildSet)
    /// A rebuild set's members published into every repo at once.
    case setPublished(SetPublisher.Publication)
    /// Opening a rebuild set failed; the build stays `built` and is published alone.
    case setFailed(BuildRecord, reason: String)
    /// Auto-acceptance failed; the build stays `built`, awaiting a maintainer.
    case acceptFailed(BuildRecord, reason: String)
    /// The store refuses this waka's publishing (it connects as a worker role): it
    /// stages and accepts nothing more; builds of staging and `review = "auto"` repos
    /// wait as `built` for a waka or `pacbuild accept` of the store's owner.
    case publishingRefused(String)
    /// Stopped unfinished at shutdown and given back (`ready`, attempts unchanged).
    case gaveBack(BuildRecord, slot: Int)
    /// Other wakas' builds whose leases ran out, back to `ready` (or failed as lost).
    case expired([BuildID])
    /// The package caches were over `[workers] cache_max_mb`: `files` least recently
    /// used ones (`bytes` together) were deleted; `kept` bytes remain.
    case cachePruned(files: Int, bytes: Int64, kept: Int64)
    /// A store call failed; the waka goes on and tries again.
    case storeError(String)
    /// A stop was asked for: no more claims; running builds get `graceSeconds`.
    case stopping(graceSeconds: Double)
}

extension WakaEvent {
    /// The event that says what an auto-accept did: accepted, held by its set, or the
    /// publication of the set it completed.
    static func accept(_ outcome: Acceptor.Outcome) -> WakaEvent {
        if let publication = outcome.publication { return .setPublished(publication) }
        if let set = outcome.heldBy { return .heldBySet(outcome.build, set: set) }
        return .accepted(outcome.build)
    }
}
