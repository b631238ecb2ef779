import Graph

/// Builds of the plan that catchup queues as one rebuild set, published together
/// (docs/review.md#rebuild-sets): the pkgbases `--rebuild PKG --reverse` reaches, and a
/// dependency cycle's members, whose first passes are never published alone. Sets that
/// share a pkgbase are one.
public struct PlanSet: Sendable, Codable, Equatable {
    /// `rebuild` (the `--reverse` closure, cycles it reaches included) or `cycle`.
    public var kind: String
    /// `repo/pkgbase` of each member the plan builds, in build order.
    public var members: [String]
    /// The members named by `--rebuild`; empty for a cycle.
    public var requested: [String]
    /// In words, for the store's set (`rebuild of current/ex-libbase and 2 pkgbases that
    /// depend on it`, `both passes of the cycle core/glibc, core/gcc`).
    public var reason: String
    /// `plan --rebuild PKG --reverse`: what building the set costs on its own (the
    /// `simulate` machinery, `--workers`); nil for a cycle and outside `plan`.
    public var preview: RebuildSetPreview?

    public init(kind: String, members: [String], requested: [String] = [], reason: String) {
        self.kind = kind
        self.members = members
        self.requested = requested
        self.reason = reason
    }

    /// The sets of `groups` (each a kind, its members and requested pkgbases): groups
    /// sharing a member are merged (a cycle the closure reaches joins it), members keep
    /// `order`'s order, and a group of one pkgbase that is no cycle is no set.
    /// - Complexity: O(groups² · members).
    static func merge(_ groups: [(kind: String, members: Set<String>, requested: Set<String>)], order: [String]) -> [PlanSet] {
        var merged: [(kind: String, members: Set<String>, requested: Set<String>)] = []
        for group in groups where !group.members.isEmpty {
            var current = group
            for other in merged.indices.reversed() where !merged[other].members.isDisjoint(with: current.members) {
                let taken = merged.remove(at: other)
                current.members.formUnion(taken.members)
                current.requested.formUnion(taken.requested)
                if taken.kind == "rebuild" { current.kind = "rebuild" }
            }
            merged.append(current)
        }
        let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return merged.filter { $0.kind == "cycle" || $0.members.count > 1 }.map { group in
            let members = group.members.sorted { (position[$0] ?? .max, $0) < (position[$1] ?? .max, $1) }
            let requested = members.filter(group.requested.contains)
            let others = members.count - requested.count
            let reason = group.kind == "cycle" ? "both passes of the cycle " + members.joined(separator: ", ")
                : requested.isEmpty ? "rebuild of \(members.count) pkgbases together"
                : "rebuild of \(requested.joined(separator: ", ")) and \(others) pkgbase\(others == 1 ? " that depends" : "s that depend")"
                    + " on \(requested.count == 1 ? "it" : "them")"
            return PlanSet(kind: group.kind, members: members, requested: requested, reason: reason)
        }.sorted { (position[$0.members[0]] ?? .max) < (position[$1.members[0]] ?? .max) }
    }
}
