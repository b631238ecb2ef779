import Foundation

/// Polls a directory every 50 ms while a run goes on, on a thread of its own, and keeps
/// the names of the sandbox scratch directories (`pacbuild-ns.*`, `pacbuild-uml.*`) seen.
final class ScratchWatcher: @unchecked Sendable {
    // @unchecked: `names` and `done` are only touched under `lock`.
    private let lock = NSLock()
    private var names: Set<String> = []
    private var done = false
    private let finished = DispatchSemaphore(value: 0)

    init(_ directory: String) {
        Thread { [self] in
            while !lock.withLock({ done }) {
                let seen = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("pacbuild-") }
                lock.withLock { names.formUnion(seen) }
                usleep(50_000)
            }
            finished.signal()
        }.start()
    }

    func stop() -> [String] {
        lock.withLock { done = true }
        finished.wait()
        return lock.withLock { names.sorted() }
    }
}

/// Polls a value every 100 ms on a thread of its own and keeps the lowest seen.
final class LowestValue: @unchecked Sendable {
    // @unchecked: `lowest` and `done` are only touched under `lock`.
    private let lock = NSLock()
    private var lowest = UInt64.max
    private var done = false
    private let finished = DispatchSemaphore(value: 0)

    init(_ value: @escaping @Sendable () -> UInt64) {
        Thread { [self] in
            while !lock.withLock({ done }) {
                let seen = value()
                lock.withLock { lowest = min(lowest, seen) }
                usleep(100_000)
            }
            finished.signal()
        }.start()
    }

    func stop() -> UInt64 {
        lock.withLock { done = true }
        finished.wait()
        return lock.withLock { lowest }
    }
}
