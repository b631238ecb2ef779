import Foundation

extension Array where Element: Sendable {
    /// `transform` of every element, computed on all cores, results in element order.
    /// For independent, similarly sized items (reading one PKGBUILD each).
    public func concurrentMap<R: Sendable>(_ transform: @Sendable (Element) -> R) -> [R] {
        let slots = ResultSlots<R>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, transform(self[i])) }
        return slots.values
    }

    /// `transform` of every element with at most `width` running at once, results in
    /// element order: for items that each hold something scarce (a sandbox running
    /// makepkg), where `concurrentMap` would start one per core.
    public func concurrentMap<R: Sendable>(width: Int, _ transform: @Sendable (Element) -> R) -> [R] {
        let slots = ResultSlots<R>(count: count)
        DispatchQueue.concurrentPerform(iterations: Swift.max(1, Swift.min(width, count))) { _ in
            while let i = slots.claim() { slots.set(i, transform(self[i])) }
        }
        return slots.values
    }
}

/// Result slots written from `concurrentPerform` workers, each index by one worker only.
private final class ResultSlots<T>: @unchecked Sendable {
    // @unchecked: every index is written exactly once, by one worker, under the lock,
    // and read only after concurrentPerform has returned, which orders those writes
    // before the read.
    private var slots: [T?]
    private var claimed = 0
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    /// The next index no worker has taken yet, nil when all are taken.
    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard claimed < slots.count else { return nil }
        claimed += 1
        return claimed - 1
    }

    /// The results, moved out of the slots (no copy of each value and release of the
    /// original: for a node of the graph, a dozen reference counts each way).
    var values: [T] {
        var values: [T] = []
        values.reserveCapacity(slots.count)
        for i in slots.indices { values.append(slots[i].take()!) }
        return values
    }
}

/// Lets the last reference to `value` go on another thread. Freeing a whole tree's
/// PKGBUILDs, syntax and graph costs a cold plan tens of milliseconds on its critical
/// path; handed over here, it runs on a core the sequential planning leaves idle. The
/// caller must pass its last reference (`consume`), or it frees the value itself.
public func releaseInBackground<T: Sendable>(_ value: consuming T) {
    let retired = value
    DispatchQueue.global(qos: .utility).async { withExtendedLifetime(retired) {} }
}
