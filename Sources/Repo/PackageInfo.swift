import Graph

/// A package's `.PKGINFO`: every `key = value` line in file order (repeated keys such
/// as `depend` or `xdata` repeat), with typed accessors for the keys repo-add reads.
///
/// Values are normalized the way repo-add reads them (see ``parseKeyValueLines(_:)``),
/// so a database entry made from them equals repo-add's.
public struct PackageInfo: Sendable, KeyValueFile, Codable {
    /// Every line, in order.
    public var fields: [KeyValueField]

    public init(fields: [KeyValueField]) { self.fields = fields }

    /// The keys makepkg writes into every `.PKGINFO` it builds.
    public static let makepkgKeys = ["pkgname", "pkgbase", "pkgver", "pkgdesc", "url", "builddate", "packager", "size", "arch"]

    /// The makepkg keys this file lacks. repo-add and pacman need only `pkgname` and
    /// `pkgver`, so a package missing others still reads; a build check can refuse it.
    public var missingKeys: [String] {
        Self.makepkgKeys.filter { key in !fields.contains { $0.key == key } }
    }

    /// `pkgname`.
    public var name: String? { value("pkgname") }
    /// `pkgbase`: the PKGBUILD's name for a split package.
    public var base: String? { value("pkgbase") }
    /// `pkgver`: the full `[epoch:]pkgver-pkgrel`.
    public var version: Version? { value("pkgver").map(Version.init) }
    /// `pkgdesc`.
    public var desc: String? { value("pkgdesc") }
    /// `url`.
    public var url: String? { value("url") }
    /// `arch`.
    public var arch: String? { value("arch") }
    /// `builddate`, seconds since the epoch.
    public var buildDate: Int64? { value("builddate").flatMap { Int64($0) } }
    /// `packager`.
    public var packager: String? { value("packager") }
    /// `size`: the installed size in bytes, as makepkg measured it.
    public var installedSize: Int64? { value("size").flatMap { Int64($0) } }
    /// `license`.
    public var licenses: [String] { values("license") }
    /// `group`.
    public var groups: [String] { values("group") }
    /// `backup`: configuration files pacman keeps on upgrade.
    public var backup: [String] { values("backup") }
    /// `xdata`: extension data such as `pkgtype=split`.
    public var xdata: [String] { values("xdata") }
    /// `replaces`.
    public var replaces: [Dependency] { values("replaces").map(Dependency.init) }
    /// `conflict`.
    public var conflicts: [Dependency] { values("conflict").map(Dependency.init) }
    /// `provides`.
    public var provides: [Dependency] { values("provides").map(Dependency.init) }
    /// `depend`.
    public var depends: [Dependency] { values("depend").map(Dependency.init) }
    /// `optdepend`.
    public var optDepends: [Dependency] { values("optdepend").map(Dependency.init) }
    /// `makedepend`.
    public var makeDepends: [Dependency] { values("makedepend").map(Dependency.init) }
    /// `checkdepend`.
    public var checkDepends: [Dependency] { values("checkdepend").map(Dependency.init) }
}

/// A package's `.BUILDINFO`: how it was built (`format`, `pkgbuild_sha256sum`,
/// `buildenv`, `options`, the `installed` packages), every line in file order.
public struct BuildInfo: Sendable, KeyValueFile, Codable {
    /// Every line, in order.
    public var fields: [KeyValueField]

    public init(fields: [KeyValueField]) { self.fields = fields }
}
