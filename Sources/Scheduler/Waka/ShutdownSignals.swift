import Dispatch
import Foundation

/// SIGTERM and SIGINT as requests to stop gracefully, the way a service manager asks:
/// the first one starts the grace period, the second stops at once. The signals are
/// ignored by default disposition and delivered through Dispatch, so the handler runs
/// on a normal queue, not in signal context. Keep the value alive as long as the
/// handling should last.
public final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]

    /// `handler(n)` runs on the n-th signal received (1 for the first).
    public init(_ handler: @escaping @Sendable (Int) -> Void) {
        let queue = DispatchQueue(label: "pacbuild.signals")
        let counter = SignalCounter()
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(counter.next()) }
            source.resume()
            return source
        }
    }

    deinit { sources.forEach { $0.cancel() } }
}

/// Counts signals; only touched on the serial signal queue, so never concurrently.
private final class SignalCounter: @unchecked Sendable {
    // @unchecked: `count` is used only from one serial DispatchQueue.
    private var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}
