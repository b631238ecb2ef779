import Foundation

/// A ``Notifier`` delivering continuously: one thread per target (the store's calls and
/// the deliveries block, and one target's trouble must not hold up another's), each
/// looking for new events every `pollInterval`, and after a failed delivery waiting
/// longer and longer (`backoff`) before trying the same event again. What `pacbuild
/// serve` and `pacbuild notify` run.
public final class NotifierService: @unchecked Sendable {
    // @unchecked: `stopped` and `threads` are only touched under `condition`.
    public let notifier: Notifier
    public let pollInterval: Double
    public let backoff: Backoff
    private let report: @Sendable (Notifier.Round) -> Void
    private let condition = NSCondition()
    private var stopped = false
    private var running = 0

    /// How long a target waits after its n-th failure in a row: `first` doubled each
    /// time, at most `limit` seconds.
    public struct Backoff: Sendable {
        public var first: Double
        public var limit: Double
        public init(first: Double = 5, limit: Double = 300) {
            self.first = first
            self.limit = limit
        }

        public func delay(afterFailures count: Int) -> Double {
            min(limit, first * pow(2, Double(max(0, min(count - 1, 30)))))
        }
    }

    /// `report` gets each round that delivered, failed, or found the target held by
    /// another notifier (once, until that changes); it runs on the target's thread.
    public init(notifier: Notifier, pollInterval: Double = 2, backoff: Backoff = Backoff(),
                report: @escaping @Sendable (Notifier.Round) -> Void = { _ in }) {
        self.notifier = notifier
        self.pollInterval = pollInterval
        self.backoff = backoff
        self.report = report
    }

    /// How often old events are deleted (``Notifier/retention``).
    public var pruneInterval: Double = 3600

    /// Starts a thread per target, and one that deletes old events now and then.
    public func start() {
        for target in notifier.targets {
            condition.withLock { running += 1 }
            Thread { [self] in loop(target) }.start()
        }
        condition.withLock { running += 1 }
        Thread { [self] in
            while !isStopped {
                notifier.prune()
                pause(pruneInterval)
            }
            condition.withLock {
                running -= 1
                condition.broadcast()
            }
        }.start()
    }

    /// Asks every thread to stop and waits until they have (each ends once its current
    /// delivery does, within `[notify] timeout_seconds`), their holds given back.
    public func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
            while running > 0 { condition.wait() }
        }
    }

    private func loop(_ target: NotifyTarget) {
        var failures = 0
        var lastHolder: String?
        while !isStopped {
            let round = notifier.round(target)
            if round.heldBy != lastHolder || !round.delivered.isEmpty || round.failure != nil { report(round) }
            lastHolder = round.heldBy
            if round.failure != nil {
                failures += 1
                pause(backoff.delay(afterFailures: failures))
            } else {
                failures = 0
                if !round.more { pause(pollInterval) }
            }
        }
        notifier.release(target)
        condition.withLock {
            running -= 1
            condition.broadcast()
        }
    }

    private var isStopped: Bool { condition.withLock { stopped } }

    /// Waits `seconds`, or less when asked to stop.
    private func pause(_ seconds: Double) {
        let end = Date() + seconds
        condition.withLock {
            while !stopped, condition.wait(until: end) {}
        }
    }
}
