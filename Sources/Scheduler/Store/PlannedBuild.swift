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
    /// Tags the claiming worker must all have (sorted, each once; empty: any worker).
    public var requiredTags: [String]

    public init(_ package: PackageBaseID, version: String, arch: String = "any", priority: Double = 0,
                dependencies: [PackageBaseID] = [], requiredTags: [String] = []) {
        self.package = package
        self.version = version
        self.arch = arch
        self.priority = priority
        self.dependencies = dependencies
        self.requiredTags = BuildTags.normalized(requiredTags)
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
    /// Builds already queued whose required tags changed to the planned ones (a tag
    /// added after a build ran out of memory applies to its retry).
    public var retagged: [BuildID] = []

    public init() {}
}
