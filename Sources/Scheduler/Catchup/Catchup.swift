import Foundation
import Graph

/// Brings the store in line with a plan: the plan's builds are queued with their edges,
/// stale queued versions superseded, rejected versions left out. Running it twice
/// changes nothing the second time (the store's `enqueue` is idempotent per version).
public struct Catchup: Sendable {
    public var plan: Plan
    /// The arch a build is claimed for: its repo's CARCH (wakas serve repo arches).
    public var arches: [String: String]
    /// The tags each repo's builds require, by repo name (a repo absent requires none).
    public var tags: [String: BuildTags]
    /// Record each newly queued build's pkgbase directory in the store (a tar archive,
    /// kind `source`), for wakas without the ABS trees.
    public var recordSources: Bool
    /// The configured repos' build settings, recorded (replacing older ones) on every
    /// run that is not a dry run, for wakas without a configuration directory.
    public var settings: [RepoSettings]

    public init(plan: Plan, arches: [String: String], tags: [String: BuildTags] = [:], recordSources: Bool = true,
                settings: [RepoSettings] = []) {
        self.plan = plan
        self.arches = arches
        self.tags = tags
        self.recordSources = recordSources
        self.settings = settings
    }

    /// The plan's builds as the store takes them, in build order.
    ///
    /// A cycle's member is queued twice. Its pass 1 waits for the members before it in
    /// the first-pass order that it needs (the edges to later members are dropped), so
    /// the store, which knows nothing of cycles, releases them one after another. Its
    /// pass 2 waits for pass 1 of every member and follows the cycle's last pass 1 in the
    /// order. Builds outside the cycle name the member as a plain dependency, which the
    /// store resolves to its last pass: they wait for pass 2.
    public var plannedBuilds: [PlannedBuild] {
        let byID = plan.entriesByID
        var cyclePosition: [String: (cycle: Int, position: Int)] = [:]
        for (n, cycle) in plan.cycles.enumerated() {
            for (position, member) in cycle.members.enumerated() { cyclePosition[member] = (n, position) }
        }
        let package = { (entry: PlanEntry) in PackageBaseID(repo: entry.repo, pkgbase: entry.pkgbase) }
        var remaining = plan.cycles.map { Set($0.members.filter { byID[$0]?.newVersion != nil }) }
        var secondPasses: [Int: [PlannedBuild]] = [:]
        let ordered = plan.buildOrder.flatMap { id -> [PlannedBuild] in
            guard let entry = byID[id], let version = entry.newVersion else { return [] }
            let cycle = cyclePosition[id]
            let sameCycle = { (need: String) in cycle != nil && cyclePosition[need]?.cycle == cycle?.cycle }
            let outside = entry.needs.filter { !sameCycle($0) }.compactMap { byID[$0].map(package) }
            let earlier = entry.needs.filter { sameCycle($0) && cyclePosition[$0]!.position < cycle!.position }
            var build = PlannedBuild(package(entry), version: version, arch: arches[entry.repo] ?? "any",
                                     priority: entry.priority ?? 0, dependencies: outside,
                                     requiredTags: tags[entry.repo]?.required(for: entry.pkgbase) ?? [],
                                     firstPassDependencies: earlier.compactMap { byID[$0].map(package) })
            guard let cycle else { return [build] }
            let first = build
            build.pass = 2
            build.firstPassDependencies = plan.cycles[cycle.cycle].members.compactMap { member in
                byID[member].flatMap { $0.newVersion == nil ? nil : package($0) }
            }
            secondPasses[cycle.cycle, default: []].append(build)
            remaining[cycle.cycle].remove(id)
            // the cycle's last pass 1: every member's pass 2 follows it
            return remaining[cycle.cycle].isEmpty ? [first] + (secondPasses.removeValue(forKey: cycle.cycle) ?? []) : [first]
        }
        // a member missing from the build order (a plan not made by the planner) leaves
        // its cycle's second passes here
        return ordered + secondPasses.sorted { $0.key < $1.key }.flatMap(\.value)
    }

    /// Queues the plan's builds; `dryRun` only says what would be queued.
    public func run(store: any BuildStore, dryRun: Bool = false) throws -> CatchupReport {
        let builds = plannedBuilds
        if dryRun {
            var report = CatchupReport(planned: builds)
            for build in builds {
                let known = try store.builds(of: build.package)
                if known.contains(where: { $0.version == build.version && $0.pass == build.pass }) {
                    report.existing.append(build)
                } else {
                    report.wouldEnqueue.append(build)
                }
            }
            let marked = Set(try store.marks().map { "\($0.package)=\($0.version)" })
            report.wouldEnqueue.removeAll { marked.contains("\($0.package)=\($0.version)") }
            return report
        }
        if !settings.isEmpty { try store.recordRepoSettings(settings) }
        let result = try store.enqueue(builds)
        var report = CatchupReport(planned: builds)
        report.enqueued = try result.enqueued.map { try store.build($0) }
        if recordSources {
            // Each new build keeps its pkgbase directory as it is now, so a waka without
            // the ABS tree builds exactly what was queued (docs/distributed.md).
            let files = plan.entriesByID.mapValues(\.file)
            for record in report.enqueued {
                guard let file = files["\(record.package.repo)/\(record.package.pkgbase)"] else { continue }
                do {
                    try store.putSource(record.id, directory: (file as NSString).deletingLastPathComponent)
                } catch {
                    report.sourceErrors.append("\(record.package) \(record.version): \(error)")
                }
            }
        }
        report.sets = try openSets(store: store)
        report.superseded = try result.superseded.map { try store.build($0) }
        report.existingIDs = result.existing
        report.retagged = try result.retagged.map { try store.build($0) }
        report.markedRejected = result.markedRejected
        return report
    }
}

extension Catchup {
    /// Opens the plan's rebuild sets (``PlanSet``: `--rebuild --reverse`, cycles) over
    /// their queued builds, both passes of a cycle's member included; a build already in
    /// an open set, or built, stays as it is, and a set of fewer than two builds left is
    /// not opened. So a second catchup opens nothing new.
    func openSets(store: any BuildStore) throws -> [RebuildSet] {
        guard let sets = plan.sets else { return [] }
        let byID = plan.entriesByID
        let queued: Set<BuildState.Name> = [.waiting, .ready, .blocked, .building]
        var opened: [RebuildSet] = []
        for set in sets {
            var members: [(build: BuildID, role: RebuildSet.Role)] = []
            for id in set.members {
                guard let entry = byID[id], let version = entry.newVersion else { continue }
                let role: RebuildSet.Role = entry.cycle != nil ? .pass : set.requested.contains(id) ? .requested : .reverse
                for build in try store.builds(of: PackageBaseID(repo: entry.repo, pkgbase: entry.pkgbase))
                where build.version == version && queued.contains(build.state.name) {
                    if try store.rebuildSet(of: build.id) == nil { members.append((build.id, role)) }
                }
            }
            guard members.count > 1 else { continue }
            opened.append(try store.openSet(members, reason: set.reason))
        }
        return opened
    }
}

/// What a catch-up changed (or, for a dry run, would change).
public struct CatchupReport: Sendable {
    public var planned: [PlannedBuild]
    public var enqueued: [BuildRecord] = []
    public var superseded: [BuildRecord] = []
    public var existingIDs: [BuildID] = []
    /// Builds already queued whose required tags changed with the configuration.
    public var retagged: [BuildRecord] = []
    public var markedRejected: [PlannedBuild] = []
    /// Dry run only.
    public var wouldEnqueue: [PlannedBuild] = []
    /// Dry run only: already queued at that version.
    public var existing: [PlannedBuild] = []
    /// New builds whose pkgbase directory could not be recorded (they are queued all the
    /// same; a waka with the ABS tree can still build them).
    public var sourceErrors: [String] = []
    /// The rebuild sets opened over the queued builds (`--rebuild --reverse`, cycles).
    public var sets: [RebuildSet] = []

    public var changedNothing: Bool { enqueued.isEmpty && superseded.isEmpty && retagged.isEmpty && wouldEnqueue.isEmpty }
}
