import Foundation

/// Something that happened to a build, as the store's event log keeps it: what
/// notifications are made of. The log is written by the store itself (a trigger on each
/// change of a build's state), so no path that changes a build can forget it.
public struct StoreEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// The build failed (its failure class is the build's).
        case buildFailed = "build.failed"
        /// The build is built and waits for review (or for auto-accept, a moment later).
        case buildBuilt = "build.built"
        case buildAccepted = "build.accepted"
        /// The waka building it stopped renewing its lease: the build goes back to the
        /// queue (or fails as `lost` past its attempts). `worker` names the waka.
        case workerLost = "worker.lost"

        /// The trigger's condition over the row before (`OLD`) and after (`NEW`).
        var condition: String {
            switch self {
            case .buildFailed: "NEW.state = 'failed' AND OLD.state <> 'failed'"
            case .buildBuilt: "NEW.state = 'built' AND OLD.state <> 'built'"
            case .buildAccepted: "NEW.state = 'accepted' AND OLD.state <> 'accepted'"
            case .workerLost: "OLD.state = 'building' AND NEW.attempts > OLD.attempts"
            }
        }
    }

    /// Increasing; a notification target has received every event up to its cursor.
    public var id: Int64
    public var kind: Kind
    public var build: BuildID
    public var worker: String?
    public var at: Date
}
