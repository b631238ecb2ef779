import Foundation
import Graph
import Sandbox

/// Something that happened to a build, as the store's event log keeps it (schema 15):
/// what notifications are made of. The log is written by the store itself, a trigger on
/// each change of a build's state, so no path that changes a build (a worker role's
/// functions included) can forget it, and the event commits or rolls back with the change.
///
/// An event carries the build as it was at that moment, so a notification delivered
/// later (a receiver down for an hour) still tells what happened, not what is now.
public struct StoreEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// The build failed; its failure class and reason are the event's.
        case buildFailed = "build.failed"
        /// The waka building it stopped renewing its lease: the build goes back to the
        /// queue (or fails as `lost` past its attempts). `worker` names the waka.
        case workerLost = "worker.lost"
        /// The build is built and waits for a maintainer: its repo's review is not
        /// `auto` (as catchup recorded it in the store, `repo_settings`).
        case reviewWaiting = "review.waiting"
        /// Published to its repo's staging database (`staging = true`).
        case buildStaged = "build.staged"
        /// Accepted: published into its repo.
        case buildAccepted = "build.accepted"
        case buildRejected = "build.rejected"
        /// A rebuild set was published: every member not dropped is in its repo
        /// (schema 17). The event's build is the set's library; ``StoreEvent/set`` has
        /// the set and its members.
        case setPublished = "set.published"

        /// What a notification of this kind is about, in words (`pacbuild notify` and the docs).
        public var summary: String {
            switch self {
            case .buildFailed: "a build failed"
            case .workerLost: "a waka lost a build (its lease ran out)"
            case .reviewWaiting: "a build waits for review"
            case .buildStaged: "a build was published to its staging repo"
            case .buildAccepted: "a build was accepted into its repo"
            case .buildRejected: "a build was rejected"
            case .setPublished: "a rebuild set was published"
            }
        }
    }

    /// Unique, in the order the events were written (not necessarily committed).
    public var id: Int64
    /// The delivery order: events are numbered as they become visible, so a target that
    /// has every event up to `sequence` N never gets one below N later (``BuildStore/events(after:limit:)``).
    public var sequence: Int64
    public var kind: Kind
    public var at: Date
    public var build: BuildID
    public var package: PackageBaseID
    public var version: String
    public var arch: String
    public var pass: Int
    /// The build's state right after the change (`failed`, `ready`, ...).
    public var state: BuildState.Name
    public var failure: FailureClass?
    public var reason: String?
    /// The waka that held the build (a lost lease's, a failure's), when one did.
    public var worker: String?
    /// `set.published`: the set as it was published.
    public var set: PublishedSet?

    /// A rebuild set as its `set.published` event tells it. A published set never
    /// changes (no member joins, leaves or changes version), so it is read with the event.
    public struct PublishedSet: Sendable, Hashable, Codable {
        public var id: Int64
        public var reason: String
        public var members: [Member]

        public struct Member: Sendable, Hashable, Codable {
            public var build: BuildID
            public var package: PackageBaseID
            public var version: String
            public var arch: String
            public var role: RebuildSet.Role
            /// Published with the set; false: dropped from it.
            public var published: Bool
        }

        /// The repos the set's published members went into, sorted.
        public var repos: [String] { Array(Set(members.filter(\.published).map(\.package.repo))).sorted() }
    }
}
