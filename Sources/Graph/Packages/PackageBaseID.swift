/// A node of the package graph: one pkgbase in one repo, written `repo/pkgbase`.
///
/// The same pkgbase can live in several repos (a port's `current` and its `testing`),
/// and each is built separately, so the repo is part of the identity.
public struct PackageBaseID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let repo: String
    public let pkgbase: String

    public init(repo: String, pkgbase: String) {
        self.repo = repo
        self.pkgbase = pkgbase
    }

    public var description: String { "\(repo)/\(pkgbase)" }

    /// The pkgbase alone: the graph algorithms hash ids at every edge, and one pkgbase in
    /// two repos (the only ids this leaves equal) is rare.
    public func hash(into hasher: inout Hasher) { hasher.combine(pkgbase) }

    /// By repo name, then pkgbase: a stable order for reports, not the build order.
    public static func < (lhs: PackageBaseID, rhs: PackageBaseID) -> Bool {
        (lhs.repo, lhs.pkgbase) < (rhs.repo, rhs.pkgbase)
    }
}
