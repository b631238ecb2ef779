import Graph

/// What rebuilding a set of a plan's builds costs, on its own: how many builds, in how
/// many waves, the longest chain among them, and the makespan the real queue reaches
/// with a number of workers (``Simulation`` over the set alone, with the plan's expected
/// times). `plan --soname-bump` prints it before anything is queued.
public struct RebuildSetPreview: Sendable, Codable, Equatable {
    /// Builds of the set (a cycle member counts twice, as it is built twice).
    public var builds: Int
    /// Waves of the set alone: builds that wait for no other build of the set are wave 0.
    public var waves: Int
    /// The longest chain of the set's builds that wait for one another, in seconds.
    public var criticalPathSeconds: Double
    /// Every build's expected time added up.
    public var totalSeconds: Double
    public var workers: Int
    /// When the last build of the set finishes, simulated through the real queue.
    public var makespanSeconds: Double

    /// Previews the builds of `plan` whose ids (`repo/pkgbase`) are in `members`.
    /// - Throws: a ``StoreError`` of the in-memory store, or
    ///   ``SchedulerError/simulationStuck(left:)``.
    public init(plan: Plan, members: Set<String>, arches: [String: String], workers: Int,
                expectedTime: @escaping @Sendable (PackageBaseID) -> Double) throws {
        let set = plan.restricted(to: members)
        let durations = BuildDurations(expected: expectedTime)
        let simulation = Simulation(plan: set, arches: arches, durations: durations)
        let bounds = simulation.bounds
        builds = bounds.builds
        criticalPathSeconds = bounds.criticalPath
        totalSeconds = bounds.totalWork
        self.workers = workers
        makespanSeconds = builds == 0 ? 0 : try simulation.run(workers: workers, queue: .priority).makespan
        var wave: [String: Int] = [:]
        let byID = set.entriesByID
        for id in set.buildOrder {
            wave[id] = (byID[id]?.needs.compactMap { wave[$0] }.max()).map { $0 + 1 } ?? 0
        }
        waves = wave.values.max().map { $0 + 1 } ?? 0
    }
}

extension Plan {
    /// The plan with only `members` (`repo/pkgbase`) built: the build order, each
    /// member's needs and the cycles keep only members; every entry stays, for names.
    func restricted(to members: Set<String>) -> Plan {
        var plan = self
        plan.buildOrder = buildOrder.filter(members.contains)
        for i in plan.entries.indices {
            if members.contains(plan.entries[i].id) {
                plan.entries[i].needs = plan.entries[i].needs.filter(members.contains)
            } else {
                plan.entries[i].needs = []
            }
        }
        plan.cycles = cycles.compactMap { cycle in
            var cycle = cycle
            cycle.members = cycle.members.filter(members.contains)
            return cycle.members.count > 1 ? cycle : nil
        }
        return plan
    }
}
