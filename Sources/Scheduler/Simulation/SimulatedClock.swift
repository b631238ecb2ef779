import Foundation

/// The time a simulation's store sees: it stands still until the simulation moves it to
/// the next build's finish, so a day of builds replays without sleeping.
final class SimulatedClock: @unchecked Sendable {
    // @unchecked: `time` is only read and written under `lock` (the store reads it from
    // inside its transactions, the simulation moves it between them).
    private let lock = NSLock()
    private var time: Date

    init(start: Date) { time = start }

    var now: Date { lock.withLock { time } }

    func set(_ date: Date) { lock.withLock { time = date } }
}
