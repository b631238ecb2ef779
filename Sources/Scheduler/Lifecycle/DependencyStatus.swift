/// What a queued build's dependencies add up to, computed by the store from the edges.
public enum DependencyStatus: Sendable, Hashable {
    /// Every dependency is accepted, or built and staged (or there are none).
    case done
    /// Some dependency is still on its way and none has failed.
    case pending
    /// This build failed, was rejected or cancelled: a dependency, or the root cause a
    /// dependency is blocked by (the lowest id when several did).
    case failed(BuildID)

    /// What one dependency in state `state` contributes. A blocked dependency counts as
    /// failed by its root cause, which makes blocking transitive; a superseded one counts
    /// as done, since its dependents' edges moved to the newer build; a built one counts
    /// as done once it is `staged` (published to its repo's staging database, which its
    /// dependents' sandboxes install from).
    public init(dependency: BuildID, state: BuildState.Name, blockedBy: BuildID?, staged: Bool = false) {
        switch state {
        case .accepted, .superseded: self = .done
        case .built where staged: self = .done
        case .failed, .rejected, .cancelled: self = .failed(dependency)
        case .blocked: self = .failed(blockedBy ?? dependency)
        case .waiting, .ready, .building, .built: self = .pending
        }
    }

    /// Two dependencies' statuses together: a failure outweighs anything pending, and
    /// anything pending outweighs done; of two failures the lower id names the cause, so
    /// the answer does not depend on the order the edges are read in.
    public func combined(with other: DependencyStatus) -> DependencyStatus {
        switch (self, other) {
        case (.failed(let mine), .failed(let theirs)): .failed(min(mine, theirs))
        case (.failed, _): self
        case (_, .failed): other
        case (.pending, _), (_, .pending): .pending
        case (.done, .done): .done
        }
    }
}
