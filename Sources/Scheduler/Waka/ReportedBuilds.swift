import Synchronization

/// Publishes what other wakas reported but could not publish themselves: a remote waka
/// connected as a worker role (docs/distributed.md) or without the repos' files leaves
/// its builds `built`. A waka that can publish (the master's, or `pacbuild run`) stages
/// the built builds of `staging = true` repos that are not staged yet and accepts the
/// built builds of `review = "auto"` repos, when a slot finds nothing to claim.
///
/// Each build is tried once in a waka's life (the ones its own slots claimed never): a
/// failure is said once and left to `pacbuild accept` or `recover`. A store that
/// refuses publishing (a worker role, SQLSTATE 42501) turns the sweep off for good.
final class ReportedBuilds: Sendable {
    private let state = Mutex<(tried: Set<BuildID>, enabled: Bool)>(([], true))

    /// Records that `build` is this waka's own to publish (a slot claimed it), so the
    /// sweep leaves it to that slot.
    func markTried(_ build: BuildID) {
        _ = state.withLock { $0.tried.insert(build) }
    }

    /// Stages and auto-accepts the built builds not tried yet, through `runner`'s
    /// publishing (which serializes on the waka's publish lock).
    func publish(using runner: BuildRunner, store: any BuildStore, events: (WakaEvent) -> Void) {
        guard state.withLock({ $0.enabled }) else { return }
        // Only repos this waka would publish for: a manual repo's built builds (often
        // many, awaiting review) are not read on every idle poll, and a waka without
        // such repos (a config-less one) asks the store nothing.
        let repos = runner.configuration.repos.filter { $0.staging || $0.review == .auto || $0.sonameRebuilds == .auto }.map(\.name)
        var built: [BuildRecord]
        do {
            built = try repos.flatMap { try store.builds(state: .built, repo: $0, limit: nil) }
            // a set member of any repo that a worker role built is held here for its dependents
            if runner.handlesSets { built += try Self.builtMembers(of: store, besides: Set(built.map(\.id))) }
        } catch { return }
        for build in built where state.withLock({ $0.tried.insert(build.id).inserted }) {
            do {
                if let opened = try runner.queueSonameRebuilds(build) {
                    events(.setOpened(opened.set, members: opened.members, problems: opened.problems))
                }
            } catch {
                if refuses(error, events) { return }
                events(.setFailed(build, reason: "\(error)"))
            }
            do {
                if build.stagedAt == nil, let staged = try runner.stageIfStaging(build) { events(.staged(staged)) }
            } catch {
                if refuses(error, events) { return }
                events(.stageFailed(build, reason: "\(error)"))
            }
            do {
                if let outcome = try runner.acceptIfAuto(try store.build(build.id)) {
                    events(.accept(outcome))
                    if let publication = outcome.publication { runner.acceptDependents(of: publication.published).forEach(events) }
                }
            } catch {
                if refuses(error, events) { return }
                events(.acceptFailed(build, reason: "\(error)"))
            }
        }
    }

    /// The built live members of open rebuild sets, other than `besides`.
    static func builtMembers(of store: any BuildStore, besides: Set<BuildID>) throws -> [BuildRecord] {
        let members = Set(try store.rebuildSets(openOnly: true).flatMap(\.live).map(\.build)).subtracting(besides)
        return try members.sorted().map(store.build).filter { $0.state == .built }
    }

    /// Whether `error` is the store refusing this role's publishing; then turns off.
    private func refuses(_ error: any Error, _ events: (WakaEvent) -> Void) -> Bool {
        guard case StoreError.postgres(let sqlstate, let message, _) = error, sqlstate == "42501" else { return false }
        state.withLock { $0.enabled = false }
        events(.publishingRefused(message))
        return true
    }
}
