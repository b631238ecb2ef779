import Foundation
import Graph

/// A version a maintainer marked as wrong: the plan never queues it again until unmarked.
public struct RejectionMark: Sendable, Hashable, Codable {
    public var package: PackageBaseID
    public var version: String
    public var reason: String
    public var markedAt: Date

    public init(package: PackageBaseID, version: String, reason: String, markedAt: Date = Date()) {
        self.package = package
        self.version = version
        self.reason = reason
        self.markedAt = markedAt
    }
}
