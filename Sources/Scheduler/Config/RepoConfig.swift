import Graph
import Sandbox

/// One repository pacbuild maintains, from one `repos.d/*.toml` file: where its
/// PKGBUILDs and its database are, what it builds against, and how builds are run and
/// published. Paths are absolute (resolved against the configuration directory).
public struct RepoConfig: Sendable, Equatable {
    /// The repo name, as pacman.conf sections and the database file name use it.
    public var name: String
    /// The CARCH builds use (`i586`).
    public var arch: String
    /// PKGBUILD tree roots, one directory per pkgbase below each.
    public var abs: [String]
    /// The sync database, `NAME.db.tar.EXT`; need not exist before the first publish.
    public var db: String
    /// Where the package files live (default: the database's directory).
    public var pool: String
    /// Repos whose packages satisfy this one's dependencies, in pacman.conf search order.
    public var dependsOn: [String]
    /// The makepkg.conf builds use (`nil`: the build root's own).
    public var makepkgConf: String?
    /// The build root its builds start from (`build_root`): a name under `STATE/roots`,
    /// or the path of a root's directory; nil: pacbuild.toml's `build_root`.
    public var buildRoot: String? = nil
    /// The architecture check of its packages (`isa`, `isa_check`); nil: none.
    public var architectureCheck: ArchitectureCheck? = nil
    /// The pacman.conf template for the build sandbox (`nil`: a generated one).
    public var pacmanConf: String?
    /// The sandbox backend builds of this repo run in.
    public var sandbox: SandboxBackendKind
    /// Whether builds may reach the network (off: sources must be fetched beforehand).
    public var network: Bool
    /// Whether successful builds wait for a maintainer.
    public var review: ReviewPolicy
    /// Whether built builds go to a staging repo first, which dependents build against.
    public var staging: Bool
    /// The staging repo's database (`staging_db`); nil unless `staging`.
    public var stagingDb: String?
    /// What a build that drops a soname the repo provides does (`soname_rebuilds`).
    public var sonameRebuilds: SonameRebuildPolicy = .plan
    /// Commands run after database changes.
    public var hooks: RepoHooks
    /// pkgbases never built.
    public var blacklist: [String]
    /// pkgbases allowed to break dependency cycles, in the order they are built.
    public var bootstrap: [String]
    /// Which `arch=()` arrays this repo builds.
    public var archPolicy: ArchPolicy
    /// The tags its builds require of a waka (`tags`, `[package_tags]`).
    public var tags: BuildTags
    /// Where the published repo is served for wakas on other machines (`server`): a
    /// pacman.conf `Server` URL, `$repo` and `$arch` expanded as pacman does; nil: nowhere.
    public var server: String? = nil
    /// Each build's resources: pacbuild.toml's `[limits]` with this repo's own on top.
    public var limits = SandboxLimits()
    /// The file it was read from, relative to the configuration directory.
    public var file: String

    /// Whether a PKGBUILD with this `arch=()` array is built for this repo.
    public func accepts(arch pkgbuildArch: [String]) -> Bool {
        archPolicy.accepts(pkgbuildArch, repoArch: arch)
    }
}
