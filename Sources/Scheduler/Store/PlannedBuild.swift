import Graph

/// One build the plan wants: the unit `enqueue` takes. Dependencies name pkgbases, not
/// builds, because the plan does not know the store's ids; the store resolves each to
/// the same batch's build (its last pass) or the newest live build of that pkgbase, and
/// drops an edge to a pkgbase it has never queued (the repo already has it).
public struct PlannedBuild: Sendable, Hashable {
    public var package: PackageBaseID
    public var version: String
    public var arch: String
    public var priority: Double
    public var dependencies: [PackageBaseID]
    /// Tags the claiming worker must all have (sorted, each once; empty: any worker).
    public var requiredTags: [String]
    /// 1, or 2 for a dependency cycle's member built again once pass 1 of every member
    /// is published (schema 9).
    public var pass: Int
    /// Pkgbases whose pass-1 build this one waits for, whatever later pass they have:
    /// a cycle member's pass 1 waits for the members before it, its pass 2 for pass 1 of
    /// every member (its own included). A plain dependency names the pkgbase's last
    /// pass, so a build outside the cycle waits for pass 2.
    public var firstPassDependencies: [PackageBaseID]

    public init(_ package: PackageBaseID, version: String, arch: String = "any", priority: Double = 0,
                dependencies: [PackageBaseID] = [], requiredTags: [String] = [], pass: Int = 1,
                firstPassDependencies: [PackageBaseID] = []) {
        self.package = package
        self.version = version
        self.arch = arch
        self.priority = priority
        self.dependencies = dependencies
        self.requiredTags = BuildTags.normalized(requiredTags)
        self.pass = pass
        self.firstPassDependencies = firstPassDependencies
    }

    /// `ex-a 1.0-1`, with `(pass N of a cycle)` for a second pass.
    public var title: String { "\(package) \(version)\(passNote)" }

    /// ` (pass 2 of a cycle)` after a second pass's version, empty for pass 1.
    public var passNote: String { pass > 1 ? " (pass \(pass) of a cycle)" : "" }
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
