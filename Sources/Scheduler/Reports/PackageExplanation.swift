import Foundation
import Graph

/// One package's place in the plan and in the store (`pacbuild why`, `/api/v1/why/PKG`):
/// its plan entry, what it blocks and what needs it first, and its builds and
/// rejection marks.
public struct PackageExplanation: Sendable, Encodable {
    public var entry: PlanEntry
    /// Entries whose blocking chain goes through this one.
    public var blocks: [String]
    /// Entries that wait for this one to be built first.
    public var neededFirstBy: [String]
    /// Every build the store holds of this pkgbase, oldest first (empty without a store).
    public var builds: [BuildRecord]
    public var marks: [RejectionMark]

    /// The explanations of every entry `name` names (a pkgbase, a pkgname or
    /// repo/pkgbase); `store` nil when there is none yet.
    /// - Throws: ``SchedulerError/unknownPackage(_:repos:)`` when nothing matches.
    public static func explain(_ name: String, in plan: Plan, store: (any BuildStore)?) throws -> [PackageExplanation] {
        let matches = plan.entries.filter { $0.id == name || $0.pkgbase == name || $0.pkgnames.contains(name) }
        guard !matches.isEmpty else {
            throw SchedulerError.unknownPackage(name, repos: Array(Set(plan.entries.map(\.repo))).sorted())
        }
        let marks = try store?.marks() ?? []
        return try matches.map { entry in
            let id = PackageBaseID(repo: entry.repo, pkgbase: entry.pkgbase)
            return PackageExplanation(
                entry: entry,
                blocks: plan.entries.filter { $0.blockedBy.contains(entry.id) }.map(\.id),
                neededFirstBy: plan.entries.filter { $0.needs.contains(entry.id) }.map(\.id),
                builds: try store?.builds(of: id) ?? [],
                marks: marks.filter { $0.package == id })
        }
    }
}
