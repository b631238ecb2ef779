import Foundation
import Scheduler

/// The build page: state, times, worker, failure class and reason, packages with their
/// facts, and the log (the last `logLimit` bytes; followed live while it builds).
struct BuildView {
    struct Package {
        var filename: String
        var name: String
        var version: String
        var arch: String
        var desc: String?
        var url: String?
        var size: String
        var installedSize: String?
        var depends: String?
        var optDepends: String?
        var provides: String?
        var conflicts: String?
        var licenses: String?
        var sha256: String
    }

    var title: String
    var build: BuildRow
    var arch: String
    var attempts: Int
    var created: String
    var reviewed: String?
    var staged: String?
    var dependencies: [BuildRow]
    var mark: String?
    /// The open rebuild set holding the build (its page's path and name), if one does.
    var inSet: SetLink?

    struct SetLink {
        var path: String
        var label: String
    }
    var packages: [Package]
    var factsSource: String
    var logSource: String
    var hasLog: Bool
    var log: String
    /// How many bytes were left out at the log's start, nil when it is whole.
    var logCut: String?
    var logOffset: Int64
    var live: Bool
    var streamPath: String
    var rawLogPath: String
    /// The audit log of the build, newest first.
    var audit: [AuditRow] = []
    var hasAudit = false
    /// Who is signed in, and the forms a maintainer gets.
    var viewer: String?
    var controls: Controls?

    struct AuditRow {
        var at: String
        var actor: String
        var action: String
        var detail: String
    }

    /// A maintainer's forms: each posts to `/builds/ID/ACTION` with the session's CSRF token.
    struct Controls {
        var csrf: String
        var actionPath: String
        var canAccept: Bool
        var canReject: Bool
        var canRetry: Bool
        var canCancel: Bool
        var canPrioritize: Bool
    }

    /// What the signed-in `viewer` sees: their name, and a maintainer's forms for the
    /// actions the build's state allows (the store refuses the others anyway).
    mutating func sign(_ viewer: Viewer) {
        self.viewer = "\(viewer.name) (\(viewer.role.rawValue))"
        guard viewer.isMaintainer, let csrf = viewer.csrf else { return }
        let state = build.stateName
        controls = Controls(csrf: csrf, actionPath: Paths.build(BuildID(build.id)), canAccept: state == "built",
                            canReject: state == "built", canRetry: ["failed", "rejected", "cancelled", "blocked"].contains(state),
                            canCancel: ["waiting", "ready", "building"].contains(state), canPrioritize: ["waiting", "ready"].contains(state))
    }

    /// The most of a log a page shows; the API gives all of it.
    static let logLimit: Int64 = 512 * 1024

    static func read(_ id: BuildID, store: any BuildStore, stateDirectory: String, now: Date = Date()) throws -> BuildView {
        let record = try store.build(id)
        let detail = try BuildDetail.read(record, from: store, stateDirectory: stateDirectory)
        let log = try LogFile.tail(of: record, store: store, stateDirectory: stateDirectory, limit: logLimit)
        let packages = detail.packageFacts.map { f in
            Package(filename: f.filename, name: f.name, version: f.version, arch: f.arch ?? "", desc: f.desc?.nonEmpty, url: f.url?.nonEmpty,
                    size: Formats.bytes(f.fileSize), installedSize: f.installedSize.map(Formats.bytes),
                    depends: f.depends.joined(separator: " ").nonEmpty, optDepends: f.optDepends.joined(separator: ", ").nonEmpty,
                    provides: f.provides.joined(separator: " ").nonEmpty, conflicts: f.conflicts.joined(separator: " ").nonEmpty,
                    licenses: f.licenses.joined(separator: " ").nonEmpty, sha256: f.sha256)
        }
        var view = BuildView(
            title: record.label, build: BuildRow(record, now: now), arch: record.arch, attempts: record.attempts,
            created: Formats.stamp(record.createdAt), reviewed: record.reviewedAt.map(Formats.stamp),
            staged: record.stagedAt.map(Formats.stamp),
            dependencies: try detail.dependencies.map { BuildRow(try store.build($0), now: now) },
            mark: detail.mark.map { "rejected at \(Formats.stamp($0.markedAt)): \($0.reason)" },
            packages: packages, factsSource: detail.factsSource.rawValue, logSource: detail.logSource.rawValue,
            hasLog: log != nil, log: log?.text ?? "", logCut: (log?.cut ?? 0) > 0 ? String(log!.cut) : nil, logOffset: log?.end ?? 0,
            live: record.state == .building, streamPath: Paths.build(id) + "/log/stream?offset=\(log?.end ?? 0)",
            rawLogPath: "/api/v1/builds/\(id.rawValue)/log",
            audit: try store.auditEntries(of: id, limit: 100).map {
                AuditRow(at: Formats.stamp($0.at), actor: $0.actor, action: $0.action, detail: $0.detail)
            })
        view.hasAudit = !view.audit.isEmpty
        view.inSet = detail.set.map { SetLink(path: Paths.set($0.id), label: "set \($0.id)" + ($0.holds.isEmpty ? "" : ", held")) }
        return view
    }
}
