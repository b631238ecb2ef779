/// `from` must be built after `to`, because of one entry of `from`'s PKGBUILD. The kind
/// and the entry are kept so that reports can say why, and so that a cycle can be
/// broken at a `makedepends` edge rather than a `depends` one.
public struct BuildEdge: Sendable, Hashable {
    public let from: PackageBaseID
    public let to: PackageBaseID
    public let kind: DependencyKind
    /// The entry that created the edge, as written (`libfoo.so>=2`).
    public let dependency: Dependency
    /// The package of `to` that satisfies it (a split package's name, or the package
    /// whose `provides` matched).
    public let pkgname: String

    public init(from: PackageBaseID, to: PackageBaseID, kind: DependencyKind, dependency: Dependency, pkgname: String) {
        self.from = from
        self.to = to
        self.kind = kind
        self.dependency = dependency
        self.pkgname = pkgname
    }
}

/// A build dependency no searched repo can satisfy. Its pkgbase stays in the graph,
/// marked unresolvable, so that the plan can say why it is not built.
public struct UnresolvedDependency: Sendable, Hashable {
    public let node: PackageBaseID
    public let kind: DependencyKind
    public let dependency: Dependency
    /// `no package or provides 'libfoo.so=2' in current, extra`
    public let reason: String
}
