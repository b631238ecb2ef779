import Foundation

/// The JSON a webhook or command receives for one event:
///
///     {"id": 42, "event": "build.failed", "at": "2026-12-03T19:40:00Z", "worker": "waka-1",
///      "build": {"id": 12, "repo": "core", "pkgbase": "zlib", "version": "1.3-2", "arch": "x86_64",
///                "state": "failed", "failure": "build", "reason": "..."}}
struct EventPayload: Encodable {
    struct Build: Encodable {
        var id: Int64
        var repo: String
        var pkgbase: String
        var version: String
        var arch: String
        var state: String
        var failure: String?
        var reason: String?
    }

    var id: Int64
    var event: String
    var at: String
    var worker: String?
    var build: Build

    init(_ event: StoreEvent, build record: BuildRecord) {
        id = event.id
        self.event = event.kind.rawValue
        at = ISO8601DateFormatter().string(from: event.at)
        worker = event.worker
        var failure: String?
        if case .failed(let kind) = record.state { failure = kind.rawValue }
        build = Build(id: record.id.rawValue, repo: record.package.repo, pkgbase: record.package.pkgbase, version: record.version,
                      arch: record.arch, state: record.state.name.rawValue, failure: failure, reason: record.reason)
    }

    var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
