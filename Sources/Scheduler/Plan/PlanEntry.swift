import Graph

/// One pkgbase of one repo in a plan: where it stands, and if it is built, when.
public struct PlanEntry: Sendable, Codable, Identifiable {
    /// `repo/pkgbase`.
    public var id: String { "\(repo)/\(pkgbase)" }
    public var repo: String
    public var pkgbase: String
    public var pkgnames: [String]
    public var status: PlanStatus
    /// The version in the repo database (the oldest of its split packages), if any.
    public var oldVersion: String?
    /// The PKGBUILD's full version, when the reader got that far.
    public var newVersion: String?
    /// Why the entry has its status, in a maintainer's words.
    public var reason: String
    /// The PKGBUILD this entry was read from.
    public var file: String
    /// Build wave (0 = needs nothing from the plan), for built entries.
    public var wave: Int?
    /// The longest expected chain from here to the end of the plan, this build included.
    public var priority: Double?
    /// The planned builds this one waits for (`repo/pkgbase`).
    public var needs: [String] = []
    /// For a blocked entry, the chain to what blocks it: the direct dependency first,
    /// the pkgbase that cannot be built last.
    public var blockedBy: [String] = []
    /// Dependencies without a provider, each with the reason.
    public var unresolved: [String] = []
    /// The reader's diagnostics (`needs-fallback`), as `file:line:column: message`.
    public var diagnostics: [String] = []
    /// Split packages missing from the database (`incomplete`).
    public var missingPackages: [String] = []
    /// What a maintainer should look at although the entry is planned as it is: a
    /// package name another pkgbase of the repo also builds.
    public var warnings: [String] = []
    /// Set on members of a dependency cycle: built once more after the cycle completes.
    public var cycle: Int?

    public init(repo: String, pkgbase: String, pkgnames: [String], status: PlanStatus, reason: String, file: String) {
        self.repo = repo
        self.pkgbase = pkgbase
        self.pkgnames = pkgnames
        self.status = status
        self.reason = reason
        self.file = file
    }
}

/// A dependency cycle among the planned builds and how it is broken.
public struct PlanCycle: Sendable, Codable {
    /// `repo/pkgbase` of every member, in first-pass order.
    public var members: [String]
    /// The edges that close the cycle, as `from -> to (kind: dependency)`.
    public var closingEdges: [String]
    /// Edges ignored for the first pass (bootstrap or served by an old package).
    public var droppedEdges: [String]
    /// `bootstrap`, `old-packages`, `old-depends` or `unbroken`.
    public var strategy: String
}

/// A rebuild request (`--rebuild NAME... [--reverse]`) as the plan made it.
public struct PlanRebuild: Sendable, Codable {
    /// The names given.
    public var requested: [String]
    public var reverse: Bool
    /// With `reverse`: the kinds of edge the closure followed (`depends`, `makedepends`,
    /// `checkdepends`), in that order.
    public var followed: [String]
    /// How many pkgbases the request reaches (the named ones and, with `reverse`, what
    /// needs them), whatever their status.
    public var pkgbases: Int
}
