/// Which array of a PKGBUILD a build dependency came from. It matters when a cycle has
/// to be broken: a `makedepends` or `checkdepends` edge can be served by an old package
/// for the first pass, a `depends` edge should not be.
public enum DependencyKind: String, Sendable, Hashable, Codable, CaseIterable {
    case depends, makedepends, checkdepends
}

/// One entry a pkgbase needs to be built, with the array it came from.
public struct BuildDependency: Sendable, Hashable, Codable {
    public var kind: DependencyKind
    public var dependency: Dependency

    public init(_ kind: DependencyKind, _ dependency: Dependency) {
        self.kind = kind
        self.dependency = dependency
    }
}

/// A pkgbase of a repo's PKGBUILD tree as the graph sees it.
public struct PackageNode: Sendable {
    public let id: PackageBaseID
    /// The split packages, in PKGBUILD order.
    public let pkgnames: [String]
    public let version: Version
    /// `version` as text, made once: every dependency of the node compares against it.
    public let versionText: String
    public let arch: [String]
    /// What each package provides, including `provides_CARCH`, keyed by pkgname.
    public let provides: [String: [Dependency]]
    /// `depends`, `makedepends` and `checkdepends` with their `_CARCH` variants, of the
    /// pkgbase and of every package (a package's override counts too: all split
    /// packages must be installable from the repo once built), without duplicates.
    public let buildDependencies: [BuildDependency]
    public let srcinfo: SrcInfo
    /// The pkgnames and every name they provide: a dependency on any other name is not
    /// met by the node itself, which most are not (one lookup instead of one per package).
    private let ownNames: Set<String>

    /// Reads the node from a package description for a repo building for `carch`.
    public init(_ srcinfo: SrcInfo, repo: String, carch: String) {
        id = PackageBaseID(repo: repo, pkgbase: srcinfo.pkgbase)
        pkgnames = srcinfo.pkgnames
        version = srcinfo.version
        versionText = version.description
        arch = srcinfo.base["arch"] ?? []
        let keysFor = { (key: String) in [key, key + "_" + carch] }
        provides = Dictionary(srcinfo.pkgnames.map { name in
            (name, keysFor("provides").flatMap { srcinfo.values($0, for: name) }.map(Dependency.init))
        }, uniquingKeysWith: { first, _ in first })
        var dependencies: [BuildDependency] = []
        for kind in DependencyKind.allCases {
            // one text is one dependency (its parts are consecutive pieces of the text):
            // duplicates are found by the text, before it is parsed
            var seen = Set<String>()
            for key in keysFor(kind.rawValue) {
                // a package that does not override the key inherits the base's values,
                // already taken: only overrides can add entries
                let base = srcinfo.base[key] ?? []
                let overrides = srcinfo.packages.flatMap { $0.section[key] ?? [] }
                for value in base + overrides where !value.isEmpty && seen.insert(value).inserted {
                    dependencies.append(BuildDependency(kind, Dependency(value)))
                }
            }
        }
        buildDependencies = dependencies
        self.srcinfo = srcinfo
        ownNames = Set(pkgnames + provides.values.flatMap { $0.map(\.name) })
    }

    /// Whether one of this pkgbase's own packages satisfies `dependency`: such a
    /// dependency is met by building the pkgbase itself and creates no edge.
    public func satisfiesItself(_ dependency: Dependency) -> Bool {
        guard ownNames.contains(dependency.name) else { return false }
        return pkgnames.contains { name in
            dependency.isSatisfied(by: name, version: versionText, provides: provides[name] ?? [])
        }
    }
}
