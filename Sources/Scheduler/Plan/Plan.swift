import Graph
import Repo

/// The dry run of a catch-up: every pkgbase of every configured repo with its status
/// against the repo database, and the builds in dependency order with their priorities.
///
/// A plan is a value computed from PKGBUILDs and databases alone; `catchup` later turns
/// it into queued builds, and `plan`/`why` present it.
public struct Plan: Sendable, Codable {
    /// The version of the JSON form (`docs/plan-schema.md`); bumped on incompatible change.
    public static let schemaVersion = 1
    public var schema = "pacbuild.plan/\(Plan.schemaVersion)"
    /// Every pkgbase, repos in configuration order, each repo's pkgbases by name.
    public var entries: [PlanEntry]
    /// The built entries' ids in build order: by wave, then by priority, highest first.
    public var buildOrder: [String]
    public var cycles: [PlanCycle]
    /// Expected total build time in seconds of all planned builds, one after another.
    public var totalSeconds: Double
    /// Expected makespan in seconds on 1, 2, 4 and 8 workers.
    public var makespan: [String: Double]
    /// What `--rebuild` asked for, and which kinds of edge its closure followed.
    public var rebuild: PlanRebuild?
    /// What `--soname-bump` found and what rebuilding its set costs.
    public var sonameBump: PlanSonameBump?
    /// The builds catchup queues as rebuild sets, published together (`--rebuild
    /// --reverse`, cycles); nil when there are none.
    public var sets: [PlanSet]?

    /// The entry of `repo/pkgbase`, or of a pkgbase or pkgname in any repo.
    public func entry(named name: String) -> PlanEntry? {
        entries.first { $0.id == name } ?? entries.first { $0.pkgbase == name }
            ?? entries.first { $0.pkgnames.contains(name) }
    }

    /// Each entry by `repo/pkgbase`. Where two have one id (a pkgbase given twice, or two
    /// unreadable PKGBUILDs in directories of one name), the one that is not a
    /// `duplicate` and comes first.
    public var entriesByID: [String: PlanEntry] {
        Dictionary(entries.map { ($0.id, $0) }) { first, second in first.status == .duplicate && second.status != .duplicate ? second : first }
    }

    public func count(_ status: PlanStatus) -> Int { entries.count { $0.status == status } }
}

extension Plan {
    /// Plans the catch-up of `repos` (configuration order).
    /// - Throws: `SchedulerError.unknownPackage` for a `--rebuild` name no repo has.
    /// - Complexity: O(pkgbases + dependencies) plus the resolver's provider lookups.
    public static func make(repos: [PlanRepo], options: PlanOptions = PlanOptions()) throws(SchedulerError) -> Plan {
        var planner = Planner(repos: repos)
        try planner.markRebuilds(options.rebuild, reverse: options.reverse, following: options.reverseKinds)
        planner.markBlocked()
        let plan = planner.finish(options: options)
        releaseInBackground(consume planner)
        return plan
    }
}
