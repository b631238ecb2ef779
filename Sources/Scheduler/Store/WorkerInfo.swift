import Foundation

/// A waka as the store knows it: what it can build and when it was last heard from.
public struct WorkerInfo: Sendable, Hashable, Codable {
    public var name: String
    public var host: String
    public var arches: [String]
    public var tags: [String]
    /// Builds it runs at once.
    public var slots: Int
    public var lastHeartbeat: Date?

    public init(name: String, host: String, arches: [String], tags: [String] = [], slots: Int = 1,
                lastHeartbeat: Date? = nil) {
        self.name = name
        self.host = host
        self.arches = arches
        self.tags = tags
        self.slots = slots
        self.lastHeartbeat = lastHeartbeat
    }
}
