/// Everything the package graph needs to know about one configured repo: its settings
/// from `repos.d`, the package descriptions of its PKGBUILD tree and what its database
/// already holds. The configuration and Repo modules fill it; Graph does no I/O.
public struct RepoContents: Sendable {
    public var name: String
    /// The CARCH its builds use; selects the arch-specific keys such as `depends_i586`.
    public var carch: String
    /// The repos searched after this one for dependencies, in search order (like the
    /// order of repos in pacman.conf). Unknown names are ignored here: the configuration
    /// reports them.
    public var dependsOn: [String]
    /// Pkgbases allowed to break a dependency cycle by being built first.
    public var bootstrap: [String]
    /// One description per pkgbase of the repo's PKGBUILD tree(s).
    public var pkgbuilds: [SrcInfo]
    /// The packages already in the repo's database.
    public var database: [AvailablePackage]

    public init(name: String, carch: String, dependsOn: [String] = [], bootstrap: [String] = [],
                pkgbuilds: [SrcInfo] = [], database: [AvailablePackage] = []) {
        self.name = name
        self.carch = carch
        self.dependsOn = dependsOn
        self.bootstrap = bootstrap
        self.pkgbuilds = pkgbuilds
        self.database = database
    }
}
