/// A package description as `.SRCINFO` holds it: the pkgbase section and one section
/// per package of a (split) PKGBUILD, each an ordered list of attributes.
///
/// A package section lists only what its `package_NAME()` function overrides; everything
/// else is inherited from the pkgbase section (`values(_:for:)` resolves that).
public struct SrcInfo: Sendable, Equatable, Codable {
    public var pkgbase: String
    public var base: Section
    public var packages: [Package]

    public init(pkgbase: String, base: Section = Section(), packages: [Package] = []) {
        self.pkgbase = pkgbase
        self.base = base
        self.packages = packages
    }

    /// A `pkgname = NAME` section.
    public struct Package: Sendable, Equatable, Codable {
        public var name: String
        public var section: Section
        public init(name: String, section: Section = Section()) {
            self.name = name
            self.section = section
        }
    }

    /// An ordered list of `key = value` attributes; a key appears once with all its values.
    public struct Section: Sendable, Equatable, Codable {
        public var attributes: [Attribute]
        public init(attributes: [Attribute] = []) { self.attributes = attributes }

        /// The values of `key`, nil when the section does not set it.
        public subscript(key: String) -> [String]? {
            attributes.first { $0.key == key }?.values
        }

        /// Adds values to `key`, creating it at the end when new.
        public mutating func append(_ key: String, _ values: [String]) {
            if let i = attributes.firstIndex(where: { $0.key == key }) {
                attributes[i].values += values
            } else {
                attributes.append(Attribute(key: key, values: values))
            }
        }
    }

    public struct Attribute: Sendable, Equatable, Codable {
        public var key: String
        /// Empty for an override to nothing (`depends = ` in the file).
        public var values: [String]
        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    /// The package names, in PKGBUILD order.
    public var pkgnames: [String] { packages.map(\.name) }

    /// `key` for package `name`: its own override, else the pkgbase value.
    public func values(_ key: String, for name: String) -> [String] {
        if let package = packages.first(where: { $0.name == name }), let own = package.section[key] {
            return own.filter { !$0.isEmpty }
        }
        return (base[key] ?? []).filter { !$0.isEmpty }
    }

    /// The full version, `[epoch:]pkgver-pkgrel`, as makepkg's `get_full_version` gives it.
    public var fullVersion: String {
        let pkgver = base["pkgver"]?.first ?? ""
        let pkgrel = base["pkgrel"]?.first ?? ""
        if let epoch = base["epoch"]?.first, let n = Int(epoch), n > 0 {
            return "\(epoch):\(pkgver)-\(pkgrel)"
        }
        return "\(pkgver)-\(pkgrel)"
    }

    public var version: Version { Version(fullVersion) }
}

extension SrcInfo {
    /// The attribute order of makepkg's `srcinfo_write_global` (pacman 6.0.2).
    static let baseSingleValued = ["pkgdesc", "pkgver", "pkgrel", "epoch", "url", "install", "changelog"]
    static let hashArrays = ["cksums", "md5sums", "sha1sums", "sha224sums", "sha256sums", "sha384sums", "sha512sums", "b2sums"]
    static let baseMultiValued = ["arch", "groups", "license", "checkdepends", "makedepends", "depends",
                                  "optdepends", "provides", "conflicts", "replaces", "noextract", "options",
                                  "backup", "source", "validpgpkeys"] + hashArrays
    /// `srcinfo_write_package`
    static let packageSingleValued = ["pkgdesc", "url", "install", "changelog"]
    static let packageMultiValued = ["arch", "groups", "license", "checkdepends", "depends", "optdepends",
                                     "provides", "conflicts", "replaces", "options", "backup"]
    /// `multivalued_arch_attrs`: written as `NAME_ARCH` for every arch but `any`.
    static let archSpecific = ["source", "provides", "conflicts", "depends", "replaces", "optdepends",
                               "makedepends", "checkdepends"] + hashArrays
}
