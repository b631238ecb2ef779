import Graph

/// Where a pkgbase stands against its repo database, as `pacbuild plan` reports it.
/// The raw values are the names the report and the JSON schema use.
public enum PlanStatus: String, Sendable, Codable, CaseIterable {
    /// No package of the pkgbase is in the repo database.
    case new
    /// The database holds an older version: it is rebuilt.
    case outdated
    /// The database holds this version.
    case current
    /// The database holds a newer version than the PKGBUILD: a maintainer should look.
    case repoAhead = "repo-ahead"
    /// Some split packages are in the database and some are missing.
    case incomplete
    /// Not for this repo: its arch policy or blacklist leaves it out.
    case excluded
    /// Another PKGBUILD of the repo's trees has the same pkgbase and a newer version (or
    /// the same, and comes first by path): that one is planned, this one never.
    case duplicate
    /// A build dependency has no provider in the repo or its `depends_on` repos.
    case unresolvable
    /// The native reader could not evaluate the PKGBUILD; the sandboxed makepkg must.
    case needsFallback = "needs-fallback"
    /// makepkg refuses the PKGBUILD (its `lint_pkgbuild` stage: pkgname, pkgver, pkgrel,
    /// arch, dependencies, package functions, ...; a top-level `exit`; CRLF line ends; a
    /// symlink out of its tree): never queued; the entry's reason is makepkg's sentence.
    case invalid
    /// Would be built, but a dependency cannot be (see the entry's `blockedBy`).
    case blocked
    /// Not outdated, but named by `--rebuild` or depending on what was.
    case rebuild

    /// Whether the plan builds a pkgbase in this state.
    public var isBuilt: Bool {
        switch self {
        case .new, .outdated, .incomplete, .rebuild: true
        default: false
        }
    }
}
