import Foundation
import Graph

/// Replays a plan through the real queue: an in-memory SQLite store, `Catchup` to
/// enqueue, and `claim`, `report` and `accept` as wakas with auto review call them,
/// against a clock that jumps from one build's finish to the next. No sandbox runs and
/// nothing sleeps, so what it measures is the queue's order alone: how close the
/// claim's priority order comes to the best possible makespan.
///
/// Event-driven: every free worker claims until nothing is ready; the clock moves to
/// the earliest finish of a running build; every build finishing then is reported built
/// and accepted (which makes its dependents ready); repeat until nothing runs.
///
/// A member of a dependency cycle is built twice here, as catchup queues it: pass 1 in
/// the cycle's first-pass order, pass 2 once every member's pass 1 is accepted; the
/// planner's priority counts it twice as well.
public struct Simulation: Sendable {
    /// The order the queue hands out ready builds in.
    public enum Queue: String, Sendable, CaseIterable {
        /// The plan's priorities (each build's critical path), as `catchup` queues them.
        case priority
        /// Plain FIFO in topological order: wave by wave, each wave in the plan's entry
        /// order (repo, then pkgbase name), every priority 0, so the claim takes the
        /// earliest queued ready build.
        case fifo
    }

    public var plan: Plan
    /// CARCH of each repo (wakas serve repo arches).
    public var arches: [String: String]
    public var durations: BuildDurations

    /// `plan` should have been made with `durations` as its expected times, so that its
    /// priorities are the critical paths of the simulated builds.
    public init(plan: Plan, arches: [String: String], durations: BuildDurations) {
        self.plan = plan
        self.arches = arches
        self.durations = durations
    }

    /// The builds as queued for `queue`.
    public func builds(_ queue: Queue) -> [PlannedBuild] {
        let builds = Catchup(plan: plan, arches: arches).plannedBuilds
        guard queue == .fifo else { return builds }
        // (wave, plan position, pass, place in its cycle): a cycle's members stay together,
        // at the first one's position, pass 1 in first-pass order, then pass 2
        var key: [String: (wave: Int, position: Int, inCycle: Int)] = [:]
        for (n, entry) in plan.entries.enumerated() {
            if let wave = entry.wave { key[entry.id] = (wave, n, 0) }
        }
        for cycle in plan.cycles {
            let anchor = cycle.members.compactMap { key[$0]?.position }.min() ?? 0
            for (n, member) in cycle.members.enumerated() { key[member]?.position = anchor; key[member]?.inCycle = n }
        }
        return builds.sorted { a, b in
            let (ka, kb) = (key[a.package.description]!, key[b.package.description]!)
            return (ka.wave, ka.position, a.pass, ka.inCycle) < (kb.wave, kb.position, b.pass, kb.inCycle)
        }.map { build in
            var build = build
            build.priority = 0
            return build
        }
    }

    /// No schedule of the builds finishes sooner than these allow.
    public var bounds: SimulationBounds { SimulationBounds(builds: builds(.priority), durations: durations) }

    /// Enqueues the plan into a fresh in-memory store and runs it on `workers` workers.
    /// - Throws: a ``StoreError``, or ``SchedulerError/simulationStuck(left:)`` when
    ///   builds remain that never became ready.
    /// - Complexity: O(builds) store transactions (a claim, a report and an accept
    ///   each), O(workers) work per event.
    public func run(workers: Int, queue: Queue) throws -> SimulationRun {
        let start = Date(timeIntervalSince1970: 1_600_000_000)
        let clock = SimulatedClock(start: start)
        // leases outlast any simulated build: nothing expires them, but a lease is a date
        let options = StoreOptions(leaseDuration: 365 * 86_400, now: { clock.now })
        let store = try SQLiteStore(path: ":memory:", options: options)
        let planned = builds(queue)
        if queue == .priority {
            // Nothing is built: no PKGBUILD directory is archived into the store.
            _ = try Catchup(plan: plan, arches: arches, recordSources: false).run(store: store)
        } else {
            _ = try store.enqueue(planned)
        }
        let arches = Array(Set(planned.map(\.arch)))
        var free = (1 ... max(workers, 1)).reversed().map { "sim\($0)" }
        var running: [(finish: Double, build: BuildID, worker: String)] = []
        var now = 0.0, done = 0, busy = 0.0
        while true {
            // Catchup here is given no tags: every simulated worker may build everything.
            while let worker = free.last, let record = try store.claim(worker: worker, arches: arches, tags: []) {
                free.removeLast()
                let seconds = durations.seconds(of: record.package)
                busy += seconds
                running.append((now + seconds, record.id, worker))
            }
            guard let next = running.map(\.finish).min() else { break }
            now = next
            clock.set(start.addingTimeInterval(now))
            for finished in running where finished.finish == next {
                _ = try store.report(finished.build, worker: finished.worker, result: .built(log: nil, artifacts: []))
                try store.accept(finished.build)
                free.append(finished.worker)
                done += 1
            }
            running.removeAll { $0.finish == next }
        }
        guard done == planned.count else { throw SchedulerError.simulationStuck(left: planned.count - done) }
        return SimulationRun(workers: workers, queue: queue, makespan: now, builds: done, busySeconds: busy)
    }
}

/// The two lower bounds on any schedule's makespan.
public struct SimulationBounds: Sendable {
    /// The longest chain of builds that wait for one another, in seconds.
    public var criticalPath: Double
    /// Every build's duration added up.
    public var totalWork: Double
    public var builds: Int

    /// Each pass of a cycle member is a build of its own; a dependency is on the
    /// pkgbase's last pass, a first-pass dependency on its pass 1, as the store
    /// resolves them.
    /// - Complexity: O(builds + edges).
    public init(builds: [PlannedBuild], durations: BuildDurations) {
        struct Node: Hashable { var package: PackageBaseID, pass: Int }
        let last = Dictionary(builds.map { ($0.package, $0.pass) }, uniquingKeysWith: max)
        let dependencies = Dictionary(builds.map { build in
            let node = Node(package: build.package, pass: build.pass)
            let plain = build.dependencies.filter { $0 != build.package }
                .compactMap { package in last[package].map { Node(package: package, pass: $0) } }
            let first = build.firstPassDependencies.filter { last[$0] != nil }.map { Node(package: $0, pass: 1) }
            return (node, (plain + first).filter { $0 != node })
        }, uniquingKeysWith: { a, _ in a })
        let path = CriticalPath(nodes: builds.map { Node(package: $0.package, pass: $0.pass) }, successors: { dependencies[$0] ?? [] },
                                weight: { durations.seconds(of: $0.package) })
        criticalPath = path.length
        totalWork = builds.reduce(0) { $0 + durations.seconds(of: $1.package) }
        self.builds = builds.count
    }

    /// max(critical path, total work / workers).
    public func lowerBound(workers: Int) -> Double { max(criticalPath, totalWork / Double(max(workers, 1))) }
}

/// One simulated run: when the last build finished.
public struct SimulationRun: Sendable {
    public var workers: Int
    public var queue: Simulation.Queue
    /// Seconds from the first claim to the last build's finish.
    public var makespan: Double
    public var builds: Int
    /// The builds' durations added up (the workers' busy time).
    public var busySeconds: Double
}
