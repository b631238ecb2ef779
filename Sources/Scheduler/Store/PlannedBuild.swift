import Graph

/// One build the plan wants: the unit `enqueue` takes. Dependencies name pkgbases, not
/// builds, because the plan does not know the store's ids; the store resolves each to
/// the same batch's build or the newest live build of that pkgbase, and drops an edge
/// to a pkgbase it has never queued (the repo already has it).
public struct PlannedBuild: Sendable, Hashable {
    public var package: PackageBaseID
    public var version: String
    public var arch: String
    public var priority: Double
    public var dependencies: [PackageBaseID]

    public init(_ package: PackageBaseID, version: String, arch: String = "any", priority: Double = 0,
                dependencies: [PackageBaseID] = []) {
        self.package = package
        self.version = version
        self.arch = arch
        self.priority = priority
        self.dependencies = dependencies
    }
}

/// What `enqueue` changed, for `catchup` to print and to prove idempotence (the second
/// run enqueues and supersedes nothing).
public struct EnqueueResult: Sendable, Hashable {
    /// Builds created, in the order given.
    public var enqueued: [BuildID] = []
    /// Builds that were already queued for the same repo, pkgbase and version.
    public var existing: [BuildID] = []
    /// Older queued versions dropped in favour of the new ones.
    public var superseded: [BuildID] = []
    /// Versions left out because a maintainer marked them rejected.
    public var markedRejected: [PlannedBuild] = []

    public init() {}
}
