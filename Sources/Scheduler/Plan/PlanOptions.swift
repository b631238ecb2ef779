import Graph

/// What `pacbuild plan` was asked for beyond "everything outdated".
public struct PlanOptions: Sendable {
    /// Plan builds of this repo only; the others' builds are taken as done.
    public var repo: String?
    /// pkgbases (or pkgnames, or `repo/pkgbase`) rebuilt even if current.
    public var rebuild: [String]
    /// With `rebuild`: also every pkgbase that depends on them, transitively.
    public var reverse: Bool
    /// With `reverse`: the kinds of edge the closure follows (`--no-checkdepends`,
    /// `--no-makedepends` leave theirs out). The order of what is rebuilt still honours
    /// every edge.
    public var reverseKinds: Set<DependencyKind> = Set(DependencyKind.allCases)
    /// A build's expected duration in seconds (from history once the store has it).
    public var expectedTime: @Sendable (PackageBaseID) -> Double

    /// Used for a pkgbase without history: a guess at a typical small package.
    public static let defaultBuildSeconds: Double = 300

    public init(repo: String? = nil, rebuild: [String] = [], reverse: Bool = false,
                expectedTime: @escaping @Sendable (PackageBaseID) -> Double = { _ in PlanOptions.defaultBuildSeconds }) {
        self.repo = repo
        self.rebuild = rebuild
        self.reverse = reverse
        self.expectedTime = expectedTime
    }
}
