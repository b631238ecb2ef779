import Dispatch

/// Work run on a thread of its own while the caller goes on, and its result once the
/// caller waits for it. A dispatch queue, not Swift's cooperative pool: the work blocks
/// (libarchive, the file system).
public final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is written only by the queue's one block, and read only after
    // `group.wait()`, which orders that write before the read.
    private var value: Value?
    private let group = DispatchGroup()

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async(group: group) { [self] in value = work() }
    }

    /// Waits for the work to end; its result, on every call.
    public func wait() -> Value {
        group.wait()
        return value!
    }
}
