import Foundation

/// What a maintainer does to a build, the same from the CLI, the web pages and the API:
/// each action runs as `pacbuild accept`/`reject`/`retry`/`cancel`/`priority` do, and is
/// written to the store's audit log under `actor`, with its outcome (a refused action too).
public struct ReviewActions: Sendable {
    public let store: any BuildStore
    public let repos: [RepoConfig]
    public let stateDirectory: String
    /// Who acts (``AuditEntry/actor``).
    public let actor: String
    /// Seconds an accept waits for a repo lock another update holds.
    public var lockTimeout: Double = 300

    public init(store: any BuildStore, repos: [RepoConfig], stateDirectory: String, actor: String) {
        self.store = store
        self.repos = repos
        self.stateDirectory = stateDirectory
        self.actor = actor
    }

    /// Publishes a built (or staged) build: ``Acceptor/accept(_:)``.
    public func accept(_ id: BuildID) throws -> Acceptor.Outcome {
        var acceptor = Acceptor(store: store, repos: repos,
                                localArtifacts: Acceptor.fetchingArtifacts(from: store, stateDirectory: stateDirectory))
        acceptor.lockTimeout = lockTimeout
        return try audited("accept", id, "") {
            let outcome = try acceptor.accept(id)
            let detail = outcome.alreadyAccepted ? "already accepted"
                : outcome.heldBy.map { "approved, held by \($0.label)" }
                ?? outcome.publication.map { "published \($0.set.label): \($0.published.map(\.id.description).joined(separator: " "))" }
                ?? "published \(outcome.publish.added.count) file(s)"
            return (outcome, detail)
        }
    }

    /// What a rejection changed besides the build: builds newly blocked, staged files
    /// that left their staging repos.
    public struct Rejection: Sendable {
        public var blocked: [BuildRecord]
        public var leftStaging: [String]
    }

    /// Rejects a built build and marks its version; its dependents become blocked and
    /// what was staged against it leaves staging.
    public func reject(_ id: BuildID, reason: String) throws -> Rejection {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        return try audited("reject", id, reason) {
            guard !reason.isEmpty else { throw SchedulerError.invalidAction("a rejection must say why") }
            let before = Set(try store.builds(state: .blocked, repo: nil, limit: nil).map(\.id))
            try store.reject(id, reason: reason)
            let blocked = try store.builds(state: .blocked, repo: nil, limit: nil).filter { !before.contains($0.id) }
            let left = try Stager(store: store, repos: repos).reconcileAll()
            return (Rejection(blocked: blocked, leftStaging: left), "marked; \(blocked.count) build(s) blocked")
        }
    }

    public func retry(_ id: BuildID) throws {
        try audited("retry", id, "") { (try store.retry(id), "queued again") }
    }

    public func cancel(_ id: BuildID) throws {
        try audited("cancel", id, "") { (try store.cancel(id), "cancelled") }
    }

    public func setPriority(_ id: BuildID, _ priority: Double) throws {
        guard priority.isFinite else { throw SchedulerError.invalidAction("a priority is a finite number") }
        try audited("priority", id, String(priority)) { (try store.setPriority(id, priority), "") }
    }

    /// Runs `body` and writes the audit entry: `detail` and the outcome's words, or the
    /// error that refused the action (which is rethrown).
    func audited<T>(_ action: String, _ id: BuildID, _ detail: String, _ body: () throws -> (T, String)) throws -> T {
        let words = { (outcome: String) in [detail, outcome].filter { !$0.isEmpty }.joined(separator: ": ") }
        do {
            let (value, outcome) = try body()
            try store.recordAudit(AuditEntry(actor: actor, action: action, build: id, detail: words(outcome)))
            return value
        } catch {
            try? store.recordAudit(AuditEntry(actor: actor, action: action, build: id, detail: words("refused: \(error)")))
            throw error
        }
    }
}
