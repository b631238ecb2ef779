import Testing
@testable import Scheduler

/// The lifecycle without a database: every state against every event, allowed or refused.
@Suite struct BuildLifecycleTests {
    static let dep = BuildID(7)
    static let states: [BuildState] = [
        .waiting, .ready, .building, .built, .accepted, .rejected, .failed(.build),
        .blocked(by: dep), .cancelled, .superseded,
    ]
    static let events: [BuildLifecycle.Event] = [
        .dependencies(.done), .dependencies(.pending), .dependencies(.failed(dep)), .claim, .renewLease,
        .leaseExpired, .release, .built, .staged, .failed(.check), .accept, .reject, .cancel, .retry(.done), .retry(.pending),
        .retry(.failed(dep)), .supersede,
    ]

    /// The expected outcome of each allowed (state, event); everything else is refused.
    static func expected(_ state: BuildState, _ event: BuildLifecycle.Event) -> BuildLifecycle.Action? {
        func to(_ s: BuildState, _ e: BuildLifecycle.DependentsEffect = .none) -> BuildLifecycle.Action {
            s == state ? .keep : .transition(to: s, dependents: e)
        }
        func queued(_ status: DependencyStatus) -> BuildState {
            switch status {
            case .done: .ready
            case .pending: .waiting
            case .failed(let id): .blocked(by: id)
            }
        }
        /// A queued build whose blocking changes sends its dependents to look again.
        func requeued(_ status: DependencyStatus) -> BuildLifecycle.DependentsEffect {
            queued(status).blockedBy == state.blockedBy ? .none : .reevaluate
        }
        switch (state.name, event) {
        case (.waiting, .dependencies(let s)), (.blocked, .dependencies(let s)), (.ready, .dependencies(let s)):
            return to(queued(s), requeued(s))
        case (.built, .dependencies(.failed(let cause))): return to(.blocked(by: cause), .reevaluate)
        case (.built, .dependencies): return .keep
        case (.built, .staged): return .transition(to: .built, dependents: .reevaluate)
        case (.ready, .claim): return to(.building)
        case (.building, .renewLease): return .keep
        case (.building, .leaseExpired): return .transition(to: .ready, dependents: .none)
        case (.building, .release): return to(.ready)
        case (.building, .built): return to(.built)
        case (.building, .failed(let c)): return to(.failed(c), .block)
        case (.built, .accept): return to(.accepted, .reevaluate)
        case (.built, .reject): return to(.rejected, .block)
        case (.waiting, .cancel), (.ready, .cancel), (.blocked, .cancel), (.building, .cancel), (.built, .cancel):
            return to(.cancelled, .block)
        case (.failed, .retry(let s)), (.rejected, .retry(let s)), (.cancelled, .retry(let s)):
            return .transition(to: queued(s), dependents: .none)
        case (.blocked, .retry(let s)): return .transition(to: queued(s), dependents: requeued(s))
        case (.waiting, .supersede), (.ready, .supersede), (.blocked, .supersede): return to(.superseded)
        default: return nil
        }
    }

    @Test(arguments: states)
    func everyEventInState(_ state: BuildState) {
        for event in Self.events {
            var machine = BuildLifecycle(state: state)
            let action = machine.event(event)
            if let expected = Self.expected(state, event) {
                #expect(action == expected, "\(state) + \(event)")
                if case .transition(let next, _) = expected { #expect(machine.state == next) }
            } else {
                #expect(action == .refuse(LifecycleRefusal(state: state, event: event)), "\(state) + \(event)")
                #expect(machine.state == state, "a refused event changes nothing")
            }
        }
    }

    @Test func happyPath() {
        var machine = BuildLifecycle(state: .waiting)
        #expect(machine.event(.dependencies(.pending)) == .keep)
        #expect(machine.event(.dependencies(.done)) == .transition(to: .ready, dependents: .none))
        #expect(machine.event(.claim) == .transition(to: .building, dependents: .none))
        #expect(machine.event(.renewLease) == .keep)
        #expect(machine.event(.built) == .transition(to: .built, dependents: .none))
        #expect(machine.event(.accept) == .transition(to: .accepted, dependents: .reevaluate))
        #expect(machine.attempts == 0)
    }

    @Test func lostLeasesCountUpToTheRetryLimit() {
        var machine = BuildLifecycle(state: .ready, retryLimit: 2)
        for attempt in 1...2 {
            _ = machine.event(.claim)
            #expect(machine.event(.leaseExpired) == .transition(to: .ready, dependents: .none))
            #expect(machine.attempts == attempt)
        }
        _ = machine.event(.claim)
        #expect(machine.event(.leaseExpired) == .transition(to: .failed(.lost), dependents: .block))
        #expect(machine.attempts == 3)
        #expect(machine.event(.retry(.done)) == .transition(to: .ready, dependents: .none))
        #expect(machine.attempts == 0, "a maintainer's retry starts the count again")
    }

    @Test func retryLimitZeroFailsOnTheFirstLostLease() {
        var machine = BuildLifecycle(state: .building, retryLimit: 0)
        #expect(machine.event(.leaseExpired) == .transition(to: .failed(.lost), dependents: .block))
    }

    @Test func blockedUnblocksWhenItsDependencySucceeds() {
        var machine = BuildLifecycle(state: .waiting)
        #expect(machine.event(.dependencies(.failed(Self.dep))) == .transition(to: .blocked(by: Self.dep), dependents: .reevaluate),
                "its dependents are blocked by the same cause")
        #expect(machine.event(.claim) == .refuse(LifecycleRefusal(state: .blocked(by: Self.dep), event: .claim)))
        #expect(machine.event(.dependencies(.failed(BuildID(3)))) == .transition(to: .blocked(by: BuildID(3)), dependents: .reevaluate))
        #expect(machine.event(.dependencies(.pending)) == .transition(to: .waiting, dependents: .reevaluate),
                "its dependents unblock with it")
        #expect(machine.event(.dependencies(.done)) == .transition(to: .ready, dependents: .none))
    }

    @Test func dependencyStatusesCombine() {
        let failed = DependencyStatus(dependency: BuildID(9), state: .failed, blockedBy: nil)
        let blocked = DependencyStatus(dependency: BuildID(4), state: .blocked, blockedBy: BuildID(2))
        let waiting = DependencyStatus(dependency: BuildID(1), state: .waiting, blockedBy: nil)
        let superseded = DependencyStatus(dependency: BuildID(5), state: .superseded, blockedBy: nil)
        #expect(failed == .failed(BuildID(9)) && blocked == .failed(BuildID(2)), "a blocked dependency passes on its root cause")
        #expect(waiting == .pending && superseded == .done)
        #expect(failed.combined(with: blocked) == .failed(BuildID(2)) && blocked.combined(with: failed) == .failed(BuildID(2)))
        #expect(waiting.combined(with: failed) == .failed(BuildID(9)) && superseded.combined(with: waiting) == .pending)
        #expect(superseded.combined(with: .done) == .done)
    }

    @Test func refusalsReadWell() {
        #expect(LifecycleRefusal(state: .ready, event: .accept).description == "cannot accept a build that is ready")
        #expect(LifecycleRefusal(state: .failed(.lost), event: .claim).description == "cannot claim a build that is failed (lost)")
        #expect(LifecycleRefusal(state: .blocked(by: BuildID(3)), event: .built).description
                == "cannot report as built a build that is blocked by #3")
    }

    @Test func stateColumnsRoundTrip() {
        for state in Self.states {
            #expect(BuildState(name: state.name, failure: state.failureClass, blockedBy: state.blockedBy) == state)
        }
        #expect(BuildState(name: .failed, failure: nil, blockedBy: nil) == nil)
        #expect(BuildState(name: .blocked, failure: nil, blockedBy: nil) == nil)
    }
}
