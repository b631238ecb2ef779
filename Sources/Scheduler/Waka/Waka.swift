import Foundation
import Sandbox
import Synchronization

/// The build daemon: `slots` threads that each claim the highest-priority ready build
/// of the waka's arches, run it (``BuildRunner``) and claim again, and a heartbeat
/// thread that keeps the leases alive and returns other wakas' lost builds. The store
/// blocks, so everything runs on threads of its own, never on the cooperative pool.
///
/// Shutdown (``stop(grace:)``, from SIGTERM/SIGINT): no more claims; running builds
/// may finish within the grace period, after which their sandboxes are stopped and the
/// builds given back (`ready`, attempts unchanged). A waka that crashed comes back
/// clean: builds still held under its name are given back when it starts again, and a
/// waka that never returns loses them through lease expiry.
public final class Waka: Sendable {
    public let settings: WakaSettings
    private let configuration: Configuration
    private let store: any BuildStore
    /// The build root of each repo it builds for, by repo name.
    private let roots: [String: BuildRoot]
    private let events: @Sendable (WakaEvent) -> Void
    private let control = WakaControl()
    private let publishLock = NSLock()
    /// Built builds this waka has tried to publish; publishes other wakas' (``ReportedBuilds``).
    private let reported = ReportedBuilds()
    /// Served repos already reported as not published yet (said once each).
    private let unpublished = Mutex<Set<String>>([])
    /// One pruning at a time; a slot that finds another pruning skips it.
    private let pruneLock = NSLock()

    /// Opens the build roots at once, so a missing root stops the waka before it claims.
    public init(configuration: Configuration, store: any BuildStore, settings: WakaSettings,
                events: @escaping @Sendable (WakaEvent) -> Void = { _ in }) throws {
        guard settings.slots > 0 else { throw SchedulerError.cannotStart("a waka needs at least one slot") }
        guard !settings.arches.isEmpty else { throw SchedulerError.cannotStart("no arches to build: configure a repo or [workers] arches") }
        self.configuration = configuration
        self.store = store
        self.settings = settings
        self.events = events
        // each repo of its arches has its root (`build_root`, else the global one); with no
        // such repo the global one is still opened, so a missing root is said at start
        var roots = try configuration.openBuildRoots(arches: settings.arches)
        if roots.isEmpty { roots[""] = try configuration.openBuildRoot() }
        self.roots = roots
    }

    /// Asks the waka to stop; a second call may only shorten the grace period.
    public func stop(grace: Duration) {
        if !control.isStopping { events(.stopping(graceSeconds: Double(grace.components.seconds))) }
        control.requestStop(grace: grace)
    }

    /// Registers, then runs the slots until stopped (or, with `untilIdle`, until the
    /// queue is drained). Blocks the calling thread.
    public func run() throws {
        let info = WorkerInfo(name: settings.name, host: settings.host, arches: settings.arches, tags: settings.tags,
                              slots: settings.slots, lastHeartbeat: Date())
        try store.register(info)
        let returned = try store.builds(state: .building, repo: nil, limit: nil).filter { $0.worker == settings.name }.map(\.id)
        for id in returned { try store.release(id, worker: settings.name) }
        events(.started(info, returned: returned))
        let swept = WorkSweeper(stateDirectory: configuration.global.stateDir).sweep()
        if !swept.isEmpty { events(.swept(swept)) }
        let missing = configuration.repos.filter { $0.server == nil && !FileManager.default.fileExists(atPath: $0.db) }.map(\.name)
        if !missing.isEmpty { events(.repositoriesMissing(missing)) }
        pruneCaches()
        let group = DispatchGroup()
        for slot in 1...settings.slots { spawn(group) { self.slotLoop(slot) } }
        let heartbeat = DispatchGroup()
        spawn(heartbeat) { self.heartbeatLoop() }
        group.wait()
        control.requestStop(grace: .zero)
        heartbeat.wait()
    }

    private func spawn(_ group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        Thread { body(); group.leave() }.start()
    }

    private func slotLoop(_ slot: Int) {
        let runner = BuildRunner(configuration: configuration, store: store, roots: roots, worker: settings.name,
                                 publishLock: publishLock, unpublished: { self.sayUnpublished($0) })
        while !control.isDone {
            control.enter()
            do {
                if let build = try store.claim(worker: settings.name, arches: settings.arches, tags: settings.tags) {
                    // Ours to publish: another slot's idle sweep must not stage or accept it
                    // between its report and this slot's own staging.
                    reported.markTried(build.id)
                    events(.claimed(build, slot: slot))
                    try finish(build, slot: slot, runner: runner)
                    control.leave()
                    continue
                }
            } catch {
                events(.storeError("\(error)"))
            }
            // Nothing to claim: publish what other wakas reported and could not publish.
            reported.publish(using: runner, store: store, events: events)
            control.leave()
            if settings.untilIdle, (try? control.drainIfIdle(nothingLeft)) == true { break }
            pause(settings.pollSeconds)
        }
    }

    private func finish(_ build: BuildRecord, slot: Int, runner: BuildRunner) throws {
        let control = self.control
        switch try runner.run(build, shouldStop: { control.mustAbort }) {
        case .gaveBack:
            events(.gaveBack(build, slot: slot))
        case .reported(let record):
            events(.finished(record, slot: slot))
            pruneCaches()
            do {
                if let opened = try runner.queueSonameRebuilds(record) {
                    events(.setOpened(opened.set, members: opened.members, problems: opened.problems))
                }
            } catch {
                events(.setFailed(record, reason: "\(error)"))
            }
            do {
                if let staged = try runner.stageIfStaging(record) { events(.staged(staged)) }
            } catch {
                // Not staged: its dependents wait for its accept instead.
                events(.stageFailed(record, reason: "\(error)"))
            }
            do {
                if let outcome = try runner.acceptIfAuto(try store.build(record.id)) {
                    events(.accept(outcome))
                    if let publication = outcome.publication { runner.acceptDependents(of: publication.published).forEach(events) }
                }
            } catch {
                events(.acceptFailed(record, reason: "\(error)"))
            }
        }
    }

    /// Says once per repo that its server has no database yet.
    private func sayUnpublished(_ names: [String]) {
        let new = unpublished.withLock { said in names.filter { said.insert($0).inserted } }
        if !new.isEmpty { events(.repositoriesUnpublished(new)) }
    }

    /// Keeps the package caches under `cacheMaxBytes` (``CachePruner``: least recently
    /// used first, never a file a build used in the last minutes).
    private func pruneCaches() {
        guard pruneLock.try() else { return }
        defer { pruneLock.unlock() }
        let report = CachePruner(stateDirectory: configuration.global.stateDir, maxBytes: settings.cacheMaxBytes).prune()
        if report.removedFiles > 0 { events(.cachePruned(files: report.removedFiles, bytes: report.removedBytes, kept: report.keptBytes)) }
    }

    /// Nothing ready or building in the store: with no slot busy, nothing can change.
    private func nothingLeft() throws -> Bool {
        try store.counts().allSatisfy { ($0.state != .ready && $0.state != .building) || $0.count == 0 }
    }

    private func heartbeatLoop() {
        var next = ContinuousClock.now
        while true {
            if ContinuousClock.now >= next {
                do {
                    _ = try store.heartbeat(worker: settings.name)
                    let expired = try store.expireLeases()
                    if !expired.isEmpty { events(.expired(expired)) }
                } catch {
                    events(.storeError("\(error)"))
                }
                next = ContinuousClock.now + .milliseconds(Int(settings.heartbeatSeconds * 1000))
            }
            if control.isDone && control.mustAbort { return }
            pause(0.2)
        }
    }

    private func pause(_ seconds: Double) {
        var left = seconds
        while left > 0 && !control.isDone {
            Thread.sleep(forTimeInterval: min(left, 0.2))
            left -= 0.2
        }
    }
}
