import Foundation
import Scheduler

/// A rebuild set (docs/review.md#rebuild-sets) as the queue page lists it and `/set/N`
/// shows it: its members with their builds' states, what holds it
/// (``SetPublisher/holds(_:)``, through ``RebuildSetReport`` as `pacbuild set show`), the
/// audit log of its actions, and a maintainer's forms: publish (when nothing holds it),
/// publish the part closed under dependencies, drop a live member.
struct SetView {
    struct Member {
        var build: BuildRow
        var role: String
        /// `held` (live), `dropped` or `published`.
        var standing: String
        var approved: Bool
        var live: Bool
    }

    struct Hold {
        var id: Int64
        var label: String
        var reason: String
    }

    /// A maintainer's forms, each posting to `/set/N/ACTION` with the session's CSRF token.
    struct Controls {
        var csrf: String
        var actionPath: String
        var canPublish: Bool
        var canPublishClosed: Bool
    }

    var title: String
    var id: Int64
    var path: String
    var reason: String
    var state: String
    var isOpen: Bool
    var members: [Member]
    var holds: [Hold]
    var hasHolds: Bool
    var audit: [BuildView.AuditRow] = []
    var hasAudit = false
    var viewer: String?
    var controls: Controls?

    init(_ report: RebuildSetReport, store: any BuildStore, now: Date = Date()) throws {
        title = "set \(report.id)"
        id = report.id
        path = Paths.set(report.id)
        reason = report.reason
        state = report.state.rawValue
        isOpen = report.state == .open
        members = try report.members.map { member in
            Member(build: BuildRow(try store.build(member.build), now: now), role: member.role.rawValue, standing: member.standing,
                   approved: member.approved, live: report.state == .open && member.standing == "held")
        }
        holds = report.holds.map { Hold(id: $0.build.rawValue, label: $0.label, reason: $0.reason) }
        hasHolds = !holds.isEmpty
    }

    /// The set's page: the set, and its members' `set-*` audit entries, newest first.
    static func read(_ id: Int64, store: any BuildStore) throws -> SetView {
        let set = try store.rebuildSet(id)
        var view = try SetView(try RebuildSetReport(set, store: store), store: store)
        view.audit = try set.members.flatMap { try store.auditEntries(of: $0.build, limit: 100) }
            .filter { $0.action.hasPrefix("set-") }.sorted { $0.at > $1.at }
            .map { BuildView.AuditRow(at: Formats.stamp($0.at), actor: $0.actor, action: $0.action, detail: "#\($0.build.rawValue) \($0.detail)") }
        view.hasAudit = !view.audit.isEmpty
        return view
    }

    /// What the signed-in `viewer` sees: their name, and a maintainer's forms for an
    /// open set (publish only when nothing holds it; the publisher refuses anyway).
    mutating func sign(_ viewer: Viewer) {
        self.viewer = "\(viewer.name) (\(viewer.role.rawValue))"
        guard viewer.isMaintainer, let csrf = viewer.csrf, isOpen else { return }
        controls = Controls(csrf: csrf, actionPath: path, canPublish: holds.isEmpty, canPublishClosed: !holds.isEmpty)
    }
}
