import Sandbox
/// Where a build stands in its lifecycle. The payloads carry what a maintainer needs to
/// act: the class of a failure, the dependency a blocked build waits on.
public enum BuildState: Sendable, Hashable, CustomStringConvertible {
    /// Queued; some dependency is not yet accepted (or staged).
    case waiting
    /// Every dependency is accepted, or built and staged; a worker may claim it.
    case ready
    /// A worker holds it under a lease.
    case building
    /// Built; the packages await review.
    case built
    /// Reviewed and published: dependents may build against it.
    case accepted
    /// Reviewed and found wrong; the version is marked so it is not queued again.
    case rejected
    case failed(FailureClass)
    /// A dependency failed, was rejected or cancelled; unblocks when it is accepted. A
    /// ready or built build whose staged dependency is rejected is blocked too.
    case blocked(by: BuildID)
    case cancelled
    /// A newer version of the same pkgbase was queued before this one started.
    case superseded

    /// The state without its payload: the value of the store's `state` column.
    public enum Name: String, Sendable, Hashable, Codable, CaseIterable {
        case waiting, ready, building, built, accepted, rejected, failed, blocked, cancelled, superseded
    }

    public var name: Name {
        switch self {
        case .waiting: .waiting
        case .ready: .ready
        case .building: .building
        case .built: .built
        case .accepted: .accepted
        case .rejected: .rejected
        case .failed: .failed
        case .blocked: .blocked
        case .cancelled: .cancelled
        case .superseded: .superseded
        }
    }

    /// Rebuilds a state from the store's columns; nil when they do not fit together
    /// (a `failed` row without a class), which the store reports as a corrupt row.
    public init?(name: Name, failure: FailureClass?, blockedBy: BuildID?) {
        switch name {
        case .waiting: self = .waiting
        case .ready: self = .ready
        case .building: self = .building
        case .built: self = .built
        case .accepted: self = .accepted
        case .rejected: self = .rejected
        case .failed:
            guard let failure else { return nil }
            self = .failed(failure)
        case .blocked:
            guard let blockedBy else { return nil }
            self = .blocked(by: blockedBy)
        case .cancelled: self = .cancelled
        case .superseded: self = .superseded
        }
    }

    public var failureClass: FailureClass? {
        if case .failed(let failure) = self { failure } else { nil }
    }

    public var blockedBy: BuildID? {
        if case .blocked(let id) = self { id } else { nil }
    }

    public var description: String {
        switch self {
        case .failed(let failure): "failed (\(failure.rawValue))"
        case .blocked(let id): "blocked by \(id)"
        default: name.rawValue
        }
    }
}
