import Foundation

/// Builds published together (schema 16, docs/review.md#rebuild-sets): a library whose
/// build drops a soname and the rebuilds of the packages linked against it; the builds
/// of `--rebuild PKG --reverse`; both passes of a dependency cycle. No member
/// reaches a repo until every member that is not dropped is built and approved; then
/// every database involved is updated at once (``SetPublisher``).
public struct RebuildSet: Sendable, Hashable, Codable {
    public var id: Int64
    /// Why it exists, in words (`ex-libbase 1.3.0-1 drops libexbase.so.1-32`).
    public var reason: String
    public var state: State
    public var createdAt: Date
    /// When the last member was published.
    public var closedAt: Date?
    public var members: [Member]

    public enum State: String, Sendable, Hashable, Codable {
        /// Some member is not published yet.
        case open
        /// Every member is published or dropped.
        case published
    }

    public enum Role: String, Sendable, Hashable, Codable {
        /// The build whose packages dropped a soname.
        case library
        /// A consumer queued as a rebuild (rebuild number on pkgrel).
        case rebuild
        /// A build queued before the set that joined it (a consumer's newer version).
        case member
        /// A pkgbase `--rebuild PKG --reverse` named.
        case requested
        /// A pkgbase rebuilt because it depends on a requested one (`--reverse`).
        case reverse
        /// A pass of a dependency cycle's member: both passes are published together.
        case pass
    }

    public struct Member: Sendable, Hashable, Codable {
        public var build: BuildID
        public var role: Role
        public var approvedAt: Date?
        public var droppedAt: Date?
        public var publishedAt: Date?

        public init(build: BuildID, role: Role, approvedAt: Date? = nil, droppedAt: Date? = nil, publishedAt: Date? = nil) {
            self.build = build
            self.role = role
            self.approvedAt = approvedAt
            self.droppedAt = droppedAt
            self.publishedAt = publishedAt
        }

        /// Still to be published with the set.
        public var isLive: Bool { droppedAt == nil && publishedAt == nil }
    }

    /// `set 3`: how output names it.
    public var label: String { "set \(id)" }

    /// The members still to be published.
    public var live: [Member] { members.filter(\.isLive) }
}
