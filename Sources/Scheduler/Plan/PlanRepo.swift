import Graph
import Repo
import Sandbox

/// What the planner needs of one configured repo: its configuration's planning keys,
/// the PKGBUILDs read from its trees and the packages of its database.
public struct PlanRepo: Sendable {
    public var name: String
    /// The CARCH builds for this repo use.
    public var carch: String
    /// Other repos searched for dependencies, in order.
    public var dependsOn: [String]
    /// pkgbases allowed to break a dependency cycle.
    public var bootstrap: [String]
    /// pkgbases never built for this repo.
    public var blacklist: Set<String>
    /// The `arch` values a PKGBUILD may list to be built here: the repo arch, `any`, and
    /// for a port the mapped arches (`x86_64`, `i686` for an i586 port).
    public var acceptedArches: Set<String>
    /// Every PKGBUILD of the repo's trees, read (with its diagnostics).
    public var pkgbuilds: [PKGBUILDReader.Result]
    /// The packages in the repo database now (empty before the first build).
    public var database: [DatabaseEntry]
    /// What the makepkg fallback said about PKGBUILDs the reader could not evaluate, by
    /// PKGBUILD path (``Configuration/readFallbacks(into:with:)``); empty without it.
    public var fallbacks: [String: SrcInfoFallbackResult] = [:]

    public init(name: String, carch: String, dependsOn: [String] = [], bootstrap: [String] = [],
                blacklist: Set<String> = [], acceptedArches: Set<String>? = nil,
                pkgbuilds: [PKGBUILDReader.Result] = [], database: [DatabaseEntry] = []) {
        self.name = name
        self.carch = carch
        self.dependsOn = dependsOn
        self.bootstrap = bootstrap
        self.blacklist = blacklist
        self.acceptedArches = acceptedArches ?? [carch, "any"]
        self.pkgbuilds = pkgbuilds
        self.database = database
    }
}
