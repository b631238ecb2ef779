import Graph

/// The part of a rebuild set that can be published on its own (`set publish --closed`):
/// the largest subset of the live members in which every member is built and approved,
/// every dependency among the set's members is in it too, and no soname a member's
/// build drops is still needed by a package left behind, as archlinux32's
/// `calculate_maximal_moveable_set` refuses to move a library whose old soname a
/// package staying behind links against.
///
/// Pure: the members' holds, dependencies and soname facts are given (``SetPublisher``
/// reads them from the store, the repos' databases and pools).
///
/// A cycle member's first pass goes only with its next pass. All the rules are
/// implications "if M is published, so is X" (a consumer outside the set
/// can never be), so the subsets that keep them are closed under union and the largest
/// one is unique: it is what is left after removing, until nothing changes, every
/// member that breaks a rule.
public enum SetClosure {
    /// A live member of the set.
    public struct Member: Sendable, Hashable {
        public var build: BuildID
        public var label: String
        public var package: PackageBaseID
        /// Why it cannot be published now (`failed (build)`, `awaits review`); nil when
        /// it is built and approved.
        public var hold: String?
        /// The set's members it depends on.
        public var dependencies: Set<BuildID>
        /// The sonames its repo's packages provide and its build's no longer do, each
        /// with the packages of the configured repos (respecting `depends_on`) that
        /// need it (``BuildReviewer/SonameBumpResult/consumerPackages``).
        public var drops: [String: [Consumer]]
        /// The sonames its build's packages need.
        public var needs: Set<String>
        /// A cycle member's later passes in the set (its pass 2): a first pass is never
        /// published without them.
        public var laterPasses: Set<BuildID> = []

        public init(build: BuildID, label: String, package: PackageBaseID, hold: String? = nil,
                    dependencies: Set<BuildID> = [], drops: [String: [Consumer]] = [:], needs: Set<String> = []) {
            self.build = build
            self.label = label
            self.package = package
            self.hold = hold
            self.dependencies = dependencies
            self.drops = drops
            self.needs = needs
        }
    }

    /// A package in a repo that needs a soname.
    public struct Consumer: Sendable, Hashable {
        public var package: PackageBaseID
        /// `extra/ex-hello`: the package (not pkgbase) as the repo lists it.
        public var name: String

        public init(package: PackageBaseID, name: String) {
            self.package = package
            self.name = name
        }
    }

    /// A member left out of the closed part, and why in words.
    public struct LeftOut: Sendable, Hashable {
        public var build: BuildID
        public var label: String
        public var reason: String
    }

    /// The largest publishable part of `members` (ids sorted), and every member left
    /// out with the first reason found, in the order they were left out.
    /// - Complexity: O(n² · d) for n members and d dropped sonames' consumers; a set
    ///   has tens of members.
    public static func closedPart(_ members: [Member]) -> (part: [BuildID], leftOut: [LeftOut]) {
        let sorted = members.sorted { $0.build < $1.build }
        var leftOut = sorted.compactMap { member in member.hold.map { LeftOut(build: member.build, label: member.label, reason: $0) } }
        var part = Set(sorted.filter { $0.hold == nil }.map(\.build))
        let labels = Dictionary(sorted.map { ($0.build, $0.label) }, uniquingKeysWith: { a, _ in a })
        var changed = true
        while changed {
            changed = false
            for member in sorted where part.contains(member.build) {
                guard let reason = broken(member, part: part, members: sorted, labels: labels) else { continue }
                part.remove(member.build)
                leftOut.append(LeftOut(build: member.build, label: member.label, reason: reason))
                changed = true
            }
        }
        return (part.sorted(), leftOut)
    }

    /// Why `member` cannot be published with `part`: a dependency left out, or a
    /// soname it drops that a package staying behind needs; nil when it can.
    static func broken(_ member: Member, part: Set<BuildID>, members: [Member], labels: [BuildID: String]) -> String? {
        let later = member.laterPasses.subtracting(part).sorted()
        if !later.isEmpty {
            return "its next pass " + later.map { labels[$0] ?? $0.description }.joined(separator: ", ")
                + " is left out, and a first pass is never published alone"
        }
        let waits = member.dependencies.subtracting(part).sorted()
        if !waits.isEmpty {
            return "depends on " + waits.map { labels[$0] ?? $0.description }.joined(separator: ", ") + ", left out"
        }
        let published = members.filter { part.contains($0.build) && $0.build != member.build }
        let replaced = Set(published.map(\.package))
        for soname in member.drops.keys.sorted() {
            // a package of a pkgbase published now is replaced by the member's build
            var behind = (member.drops[soname] ?? []).filter { !replaced.contains($0.package) }.map(\.name)
            // a published build that still links against the old soname breaks as well
            behind += published.filter { $0.needs.contains(soname) }.map(\.label)
            let names = Set(behind).sorted()
            if !names.isEmpty {
                return "drops \(soname), which \(names.joined(separator: ", ")) still need\(names.count == 1 ? "s" : ""), left out"
            }
        }
        return nil
    }
}
