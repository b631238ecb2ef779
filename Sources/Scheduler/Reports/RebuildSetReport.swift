import Foundation

/// A rebuild set as `set show`, `why` and `status` print it: its members with their
/// builds' states, and what holds it (docs/review.md#rebuild-sets).
public struct RebuildSetReport: Sendable, Codable {
    public var id: Int64
    public var reason: String
    public var state: RebuildSet.State
    public var members: [Member]
    /// Live members not built and approved: nothing is published while there are any.
    public var holds: [SetPublisher.Hold]

    public struct Member: Sendable, Codable {
        public var build: BuildID
        public var label: String
        public var role: RebuildSet.Role
        public var state: String
        /// `held` (live), `dropped` or `published`.
        public var standing: String
        public var approved: Bool
    }

    public init(_ set: RebuildSet, store: any BuildStore) throws {
        id = set.id
        reason = set.reason
        state = set.state
        members = try set.members.map { member in
            let build = try store.build(member.build)
            return Member(build: build.id, label: build.label, role: member.role, state: build.state.description,
                          standing: member.droppedAt != nil ? "dropped" : member.publishedAt != nil ? "published" : "held",
                          approved: member.approvedAt != nil)
        }
        holds = try SetPublisher(store: store, repos: []).holds(set)
    }

    /// The open sets' reports, newest first.
    public static func open(in store: any BuildStore) throws -> [RebuildSetReport] {
        try store.rebuildSets(openOnly: true).map { try RebuildSetReport($0, store: store) }
    }

    /// Lines of text: the set, each member, and what holds it.
    public var lines: [String] {
        var lines = ["set \(id) (\(state.rawValue)): \(reason)"]
        lines += members.map { "  \($0.label) [\($0.role.rawValue)] \($0.state), \($0.standing)\($0.approved && $0.standing == "held" ? ", approved" : "")" }
        if state == .open {
            lines.append(holds.isEmpty ? "  nothing holds it: it is published with its last approval (`pacbuild set publish \(id)`)"
                         : "  held by: " + holds.map { "\($0.label): \($0.reason)" }.joined(separator: "; "))
        }
        return lines
    }
}
