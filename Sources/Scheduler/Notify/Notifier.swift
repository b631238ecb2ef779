import Foundation

/// Delivers the store's event log to the `[notify]` targets (docs/notifications.md).
///
/// Each target has a cursor in the store, the last event it took, and gets the events
/// after it in order, one at a time; the cursor moves past an event only once the
/// target took it (2xx, exit 0), so a target that is down keeps its events until it is
/// back, whoever restarts in between: at least once per target, and exactly once unless
/// the notifier dies between a delivery and its cursor's move. Every delivery carries
/// the event's id (`id`, `X-Pacbuild-Delivery`, `PACBUILD_EVENT_ID`) for a receiver to
/// tell. A notifier holds a target in the store while it delivers to it, so a second
/// notifier (serve and a cron `notify --once`) waits instead of sending the same events.
///
/// A target seen for the first time starts at the newest event: it gets what happens
/// from then on, not the history. Events of kinds not in `events` are passed over.
public struct Notifier: Sendable {
    public let store: any BuildStore
    public let settings: NotifySettings
    /// The build page linked from each payload (`[web] base_url`), if any.
    public let buildPage: @Sendable (BuildID) -> String?
    /// Who holds the targets in the store (`serve@HOST:PID`).
    public let holder: String
    /// At most this many events per target and round.
    public var batch = 100
    /// How long the store keeps an event: older ones are deleted, delivered or not
    /// (a target that is down longer misses them).
    public var retention: TimeInterval = 90 * 86_400
    public var now: @Sendable () -> Date = Date.init
    /// The page of a rebuild set linked from a `set.published` payload, if any.
    public var setPage: @Sendable (Int64) -> String? = { _ in nil }

    public init(store: any BuildStore, settings: NotifySettings, holder: String,
                buildPage: @escaping @Sendable (BuildID) -> String? = { _ in nil }) {
        self.store = store
        self.settings = settings
        self.holder = holder
        self.buildPage = buildPage
    }

    public var targets: [NotifyTarget] { NotifyTarget.all(settings) }

    /// `NAME@HOST:PID`, a holder's name that is this process's.
    public static func holderName(_ name: String) -> String {
        "\(name)@\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// What one round did for a target.
    public struct Round: Sendable {
        public var target: NotifyTarget
        /// The events it took, in order.
        public var delivered: [StoreEvent] = []
        /// Events of kinds it does not get, passed over.
        public var skipped = 0
        /// Why the target stopped before its last event (the event stays pending).
        public var failure: String?
        /// Another notifier delivers to it (`holder`): nothing was done.
        public var heldBy: String?
        /// A full batch went: more may be pending.
        public var more = false
    }

    /// Deletes the events older than ``retention``; a store error is returned, not thrown
    /// (housekeeping stops no delivery).
    @discardableResult
    public func prune() -> String? {
        do {
            try store.pruneEvents(before: now() - retention)
            return nil
        } catch {
            return "cannot delete old events: \(error)"
        }
    }

    /// Hands the target to whoever delivers next (a notifier's last act).
    public func release(_ target: NotifyTarget) {
        try? store.releaseNotifyTarget(target.key, holder: holder)
    }

    /// Delivers up to ``batch`` pending events to `target`, stopping at the first it does
    /// not take. Never throws: a store error is the round's failure.
    public func round(_ target: NotifyTarget) -> Round {
        var round = Round(target: target)
        let delivery = NotifyDelivery(timeoutSeconds: settings.timeoutSeconds)
        // a hold outlasts one delivery, and is renewed with every cursor move
        let hold = { now() + Double(settings.timeoutSeconds + 60) }
        do {
            let cursor: Int64
            switch try store.holdNotifyTarget(target.key, holder: holder, until: hold()) {
            case .heldBy(let other, _):
                round.heldBy = other
                return round
            case .held(let position):
                cursor = position
            }
            let events = try store.events(after: cursor, limit: batch)
            for event in events {
                if settings.events.contains(event.kind) {
                    if let failure = delivery.send(EventPayload(event, buildPage: buildPage(event.build), setPage: event.set.flatMap { setPage($0.id) }), to: target) {
                        round.failure = "event \(event.id) (\(event.kind.rawValue) of build \(event.build.rawValue)): \(failure)"
                        return round
                    }
                    round.delivered.append(event)
                } else {
                    round.skipped += 1
                }
                guard try store.advanceNotifyCursor(target.key, to: event.sequence, holder: holder, until: hold()) else {
                    round.failure = "another notifier took the target over after event \(event.id)"
                    return round
                }
            }
            round.more = events.count == batch
        } catch {
            round.failure = "store: \(error)"
        }
        return round
    }

    /// Everything pending for every target, each target on a thread of its own (one
    /// that hangs until its timeout delays no other), then the holds given back:
    /// `pacbuild notify --once`. Per target, its rounds merged in one.
    public func deliverPending() -> [Round] {
        let results = LockedValue([Round?](repeating: nil, count: targets.count))
        let group = DispatchGroup()
        for (index, target) in targets.enumerated() {
            group.enter()
            let thread = Thread {
                var total = Round(target: target)
                repeat {
                    let round = self.round(target)
                    total.delivered += round.delivered
                    total.skipped += round.skipped
                    total.failure = round.failure
                    total.heldBy = round.heldBy
                    total.more = round.more
                } while total.more && total.failure == nil && total.heldBy == nil
                self.release(target)
                results.withLock { $0[index] = total }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        prune()
        return results.withLock { $0.compactMap { $0 } }
    }
}

/// A value behind a lock, shared by the notifier's threads.
final class LockedValue<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}

extension Notifier {
    /// What the targets need that this machine lacks, in words (curl for webhooks); empty
    /// when nothing is missing.
    public var missingTools: [String] {
        guard !settings.webhooks.isEmpty else { return [] }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/curl") }
        return found ? [] : ["curl (webhooks are posted with it; apt-get install curl, or scripts/setup)"]
    }
}
