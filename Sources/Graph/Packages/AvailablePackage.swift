/// A package already in a repo database: what the Repo module's sync-database entries
/// are mapped into (`%NAME%`, `%VERSION%`, `%PROVIDES%`, `%BASE%`).
///
/// These packages satisfy dependencies without a build: a dependency only they satisfy
/// creates no build edge, and an old one can serve the first pass of a cycle.
public struct AvailablePackage: Sendable, Hashable, Codable {
    public var name: String
    /// The full version as the database spells it (`[epoch:]pkgver-pkgrel`); a string
    /// because `Version` is deliberately not `Hashable`.
    public var version: String
    public var provides: [Dependency]
    /// The pkgbase it was built from (`%BASE%`), nil when the database does not say.
    public var base: String?

    public init(name: String, version: String, provides: [Dependency] = [], base: String? = nil) {
        self.name = name
        self.version = version
        self.provides = provides
        self.base = base
    }
}
