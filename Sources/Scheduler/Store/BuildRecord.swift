import Foundation
import Graph
import Sandbox

/// One build as the store remembers it: what was built, where it stands, who holds it
/// and what it left behind.
public struct BuildRecord: Sendable, Hashable, Codable {
    public var id: BuildID
    public var package: PackageBaseID
    public var version: String
    /// The architecture a worker must serve to claim it (`any` builds anywhere).
    public var arch: String
    public var state: BuildState
    /// Higher is claimed first (the planner's critical-path length).
    public var priority: Double
    /// Leases lost so far.
    public var attempts: Int
    public var worker: String?
    public var leaseExpires: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// When it was accepted or rejected.
    public var reviewedAt: Date?
    /// Where the build log lives (a path or URL the worker reported).
    public var log: String?
    /// The package files it produced.
    public var artifacts: [String]
    /// A failure's or a rejection's reason in words.
    public var reason: String?
    /// Tags a worker must all have to claim it (schema 5; sorted, empty for none).
    public var requiredTags: [String]
    /// When it was published to its repo's staging database (`staging = true`), while it
    /// is there: nil once it is accepted, rejected, blocked or cancelled (schema 6).
    public var stagedAt: Date? = nil
    /// 1, or 2 for the rebuild of a dependency cycle's member against pass 1 of every
    /// member (schema 9): the build whose packages stay in the repo.
    public var pass: Int = 1

    /// `ex-a 1.0-1`, with `(pass N of a cycle)` for a cycle member's builds.
    public var title: String { "\(package.pkgbase) \(version)\(passNote)" }

    /// `#12 current/ex-a 1.0-1`, with the pass note: how command output names a build.
    public var label: String { "\(id) \(package) \(version)\(passNote)" }

    /// ` (pass 2 of a cycle)` after a second pass's version, empty for pass 1.
    public var passNote: String { pass > 1 ? " (pass \(pass) of a cycle)" : "" }
}

extension BuildState: Codable {
    private enum CodingKeys: String, CodingKey { case name, failure, blockedBy }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(failureClass, forKey: .failure)
        try container.encodeIfPresent(blockedBy, forKey: .blockedBy)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(Name.self, forKey: .name)
        let failure = try container.decodeIfPresent(FailureClass.self, forKey: .failure)
        let blockedBy = try container.decodeIfPresent(BuildID.self, forKey: .blockedBy)
        guard let state = BuildState(name: name, failure: failure, blockedBy: blockedBy) else {
            throw DecodingError.dataCorruptedError(forKey: .name, in: container,
                                                   debugDescription: "state \(name.rawValue) lacks its failure class or blocking build")
        }
        self = state
    }
}
