import Foundation

/// The state a waka's threads share: whether to stop, until when running builds may
/// finish, how many slots are busy, and whether a `run` found the queue drained.
final class WakaControl: @unchecked Sendable {
    // @unchecked: every property is read and written only under `lock`.
    private let lock = NSLock()
    private var stopping = false
    private var deadline: ContinuousClock.Instant?
    private var busy = 0
    private var drained = false

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Stops claiming; builds still running at `now + grace` are stopped. A second
    /// request can only shorten the grace.
    func requestStop(grace: Duration) {
        withLock {
            stopping = true
            let requested = ContinuousClock.now + grace
            deadline = deadline.map { min($0, requested) } ?? requested
        }
    }

    /// Whether slots should claim no more (a stop was asked for or the run drained).
    var isDone: Bool { withLock { stopping || drained } }
    var isStopping: Bool { withLock { stopping } }

    /// Whether a running build must be stopped now: the grace period is over.
    var mustAbort: Bool { withLock { deadline.map { ContinuousClock.now >= $0 } ?? false } }

    /// Marks a slot busy before it claims, so an idle check never misses a claim in flight.
    func enter() { withLock { busy += 1 } }
    func leave() { withLock { busy -= 1 } }

    /// Under the lock: when no slot is busy and `nothingLeft()` says the store has
    /// nothing ready or building, the run is over for every slot.
    func drainIfIdle(_ nothingLeft: () throws -> Bool) rethrows -> Bool {
        try withLock {
            if drained { return true }
            if busy == 0, try nothingLeft() { drained = true }
            return drained
        }
    }
}
