import Foundation

/// Where a notification target stands in the event log (schema 15): the last event it
/// received (a ``StoreEvent/sequence``), and which notifier delivers to it now.
public struct NotifyCursor: Sendable, Hashable {
    /// `webhook:URL` or `command:PATH` (``NotifyTarget/key``).
    public var target: String
    public var delivered: Int64
    /// The notifier holding the target (`serve@HOST:PID`), while `heldUntil` is ahead.
    public var holder: String?
    public var heldUntil: Date?
}

/// Whether a notifier may deliver to a target now (``BuildStore/holdNotifyTarget(_:holder:until:)``).
public enum NotifyHold: Sendable, Hashable {
    /// Held by the caller; deliver the events after `cursor`.
    case held(cursor: Int64)
    /// Another notifier holds it until then.
    case heldBy(String, until: Date)
}
