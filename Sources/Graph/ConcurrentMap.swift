import Foundation

extension Array where Element: Sendable {
    /// `transform` of every element, computed on all cores, results in element order.
    /// For independent, similarly sized items (reading one PKGBUILD each).
    public func concurrentMap<R: Sendable>(_ transform: @Sendable (Element) -> R) -> [R] {
        let slots = ResultSlots<R>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, transform(self[i])) }
        return slots.values
    }
}

/// Result slots written from `concurrentPerform` workers, each index by one worker only.
private final class ResultSlots<T>: @unchecked Sendable {
    // @unchecked: every index is written exactly once, by one worker, under the lock,
    // and read only after concurrentPerform has returned, which orders those writes
    // before the read.
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    var values: [T] { slots.map { $0! } }
}
