import Sandbox
/// The build lifecycle as a pure state machine, in postgres-nio's style: the store reads
/// a build's state, feeds an event and carries out the returned action. No I/O, no
/// clock, so every allowed and refused transition is tested without a database, and
/// both store backends follow the same rules because they ask the same machine.
public struct BuildLifecycle: Sendable, Hashable {
    public private(set) var state: BuildState
    /// Leases lost so far; reset when a maintainer retries the build.
    public private(set) var attempts: Int
    /// How many lost leases a build survives before it is `failed(lost)`.
    public let retryLimit: Int

    public init(state: BuildState, attempts: Int = 0, retryLimit: Int = 3) {
        self.state = state
        self.attempts = attempts
        self.retryLimit = retryLimit
    }

    /// Something that happened to a build.
    public enum Event: Sendable, Hashable {
        /// Its dependencies were looked at again (one was accepted, failed, or enqueued).
        case dependencies(DependencyStatus)
        case claim
        case renewLease
        case leaseExpired
        /// The holder gives the build back unfinished (a waka shutting down): it is
        /// ready again and, unlike a lost lease, the attempt does not count.
        case release
        case built
        /// A built build was published to its repo's staging database: its dependents may
        /// build against it before it is accepted.
        case staged
        case failed(FailureClass)
        case accept
        case reject
        case cancel
        /// A maintainer asks for another try; carries the dependencies' status now.
        case retry(DependencyStatus)
        /// A newer version of the same pkgbase was queued.
        case supersede
    }

    /// What the build's dependents must go through after a transition.
    public enum DependentsEffect: Sendable, Hashable {
        case none
        /// Look at their dependencies again: this build was accepted or staged, or it
        /// became blocked, unblocked or blocked by another root cause.
        case reevaluate
        /// Block the waiting ones on this build: it will not be accepted as it stands.
        case block
    }

    /// What the store does with an event.
    public enum Action: Sendable, Hashable {
        /// Persist the new state (and attempts), then apply the effect to dependents.
        case transition(to: BuildState, dependents: DependentsEffect)
        /// Allowed, but nothing changes (a renewed lease, a re-evaluation to the same state).
        case keep
        /// Not allowed from the current state; nothing changes.
        case refuse(LifecycleRefusal)
    }

    /// Applies `event`, updating the state, and says what the store must do.
    public mutating func event(_ event: Event) -> Action {
        guard let (next, effect) = transition(on: event) else {
            return .refuse(LifecycleRefusal(state: state, event: event))
        }
        if case .leaseExpired = event { attempts += 1 }
        if case .retry = event { attempts = 0 }
        guard next != state || isCounted(event) else { return .keep }
        state = next
        return .transition(to: next, dependents: effect)
    }

    /// A lost lease changes the attempts even when the state stays the same kind, and
    /// staging changes what the build means to its dependents.
    private func isCounted(_ event: Event) -> Bool {
        switch event {
        case .leaseExpired, .retry, .staged: true
        default: false
        }
    }

    /// The rules: the next state and the effect on dependents, nil when refused.
    private func transition(on event: Event) -> (BuildState, DependentsEffect)? {
        switch (state, event) {
        case (.waiting, .dependencies(let status)), (.blocked, .dependencies(let status)):
            return requeued(status)
        case (.ready, .dependencies(let status)):
            // Ready because a dependency was staged; a rejected one blocks it.
            return requeued(status)
        case (.built, .dependencies(.failed(let cause))):
            // Built against a staged dependency that was then rejected (or blocked).
            return (.blocked(by: cause), .reevaluate)
        case (.built, .dependencies):
            return (.built, .none)
        case (.ready, .claim):
            return (.building, .none)
        case (.building, .renewLease):
            return (.building, .none)
        case (.building, .leaseExpired):
            return attempts + 1 > retryLimit ? (.failed(.lost), .block) : (.ready, .none)
        case (.building, .release):
            return (.ready, .none)
        case (.building, .built):
            return (.built, .none)
        case (.built, .staged):
            return (.built, .reevaluate)
        case (.building, .failed(let failure)):
            return (.failed(failure), .block)
        case (.built, .accept):
            return (.accepted, .reevaluate)
        case (.built, .reject):
            return (.rejected, .block)
        case (.waiting, .cancel), (.ready, .cancel), (.blocked, .cancel), (.building, .cancel), (.built, .cancel):
            return (.cancelled, .block)
        case (.failed, .retry(let status)), (.rejected, .retry(let status)), (.cancelled, .retry(let status)):
            return (Self.queued(status), .none)
        case (.blocked, .retry(let status)):
            return requeued(status)
        case (.waiting, .supersede), (.ready, .supersede), (.blocked, .supersede):
            return (.superseded, .none)
        default:
            return nil
        }
    }

    /// Where a waiting or blocked build goes given its dependencies. Blocking is
    /// transitive (a dependency that is blocked counts as failed by its root cause), so
    /// when this build's blocking changes its dependents must look again: they are
    /// blocked by the same root cause, and unblock with it.
    private func requeued(_ status: DependencyStatus) -> (BuildState, DependentsEffect) {
        let next = Self.queued(status)
        return (next, next.blockedBy == state.blockedBy ? .none : .reevaluate)
    }

    /// Where a queued build goes given its dependencies.
    private static func queued(_ status: DependencyStatus) -> BuildState {
        switch status {
        case .done: .ready
        case .pending: .waiting
        case .failed(let id): .blocked(by: id)
        }
    }
}

/// An event the lifecycle does not allow in a state: "cannot accept a build that is ready".
public struct LifecycleRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public let state: BuildState
    public let event: BuildLifecycle.Event

    public var description: String { "cannot \(verb) a build that is \(state)" }

    private var verb: String {
        switch event {
        case .dependencies: "re-evaluate the dependencies of"
        case .claim: "claim"
        case .renewLease: "renew the lease of"
        case .leaseExpired: "expire the lease of"
        case .release: "give back"
        case .built: "report as built"
        case .staged: "stage"
        case .failed: "report as failed"
        case .accept: "accept"
        case .reject: "reject"
        case .cancel: "cancel"
        case .retry: "retry"
        case .supersede: "supersede"
        }
    }
}
