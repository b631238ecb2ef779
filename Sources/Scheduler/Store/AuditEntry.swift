import Foundation

/// One action a person or script took on a build through pacbuild (accept, reject,
/// retry, cancel, priority), as the audit log in the store keeps it: who, what, when.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// Who: a web account (`web:alice`), an API token (`token:ci`) or a local user (`cli:root`).
    public var actor: String
    /// What: `accept`, `reject`, `retry`, `cancel`, `priority`.
    public var action: String
    public var build: BuildID
    /// The action's argument and outcome in words (a reason, a priority, an error).
    public var detail: String
    public var at: Date

    public init(actor: String, action: String, build: BuildID, detail: String = "", at: Date = Date()) {
        self.actor = actor
        self.action = action
        self.build = build
        self.detail = detail
        self.at = at
    }
}
