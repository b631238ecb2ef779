import Foundation

/// The JSON a webhook or command receives for one event (docs/notifications.md):
///
///     {"build": {"arch": "x86_64", "failure": "build", "id": 12, "pass": 1, "pkgbase": "zlib",
///                "reason": "makepkg exited 4", "repo": "core", "state": "failed",
///                "url": "https://builds.example.org/builds/12", "version": "1.3-2"},
///      "event": "build.failed", "id": 42, "at": "2026-12-03T19:40:00Z", "worker": "waka-1"}
///
/// `set.published` adds `set` (its id, reason, repos and members with their versions);
/// its `build` is the set's library.
///
/// The build as the event left it, not as it is when the event is delivered. `failure`
/// only for a failed build, `reason` for a failed or rejected one (cut to
/// ``reasonLimit`` characters), `url` only when `[web] base_url` is set, `worker`
/// when a waka held the build.
public struct EventPayload: Encodable, Sendable, Equatable {
    public struct Build: Encodable, Sendable, Equatable {
        public var id: Int64
        public var repo: String
        public var pkgbase: String
        public var version: String
        public var arch: String
        public var pass: Int
        public var state: String
        public var failure: String?
        public var reason: String?
        public var url: String?
    }

    /// `set.published`'s set: the members as published (`published` false: dropped from
    /// it before), and the repos that changed.
    public struct PublishedSet: Encodable, Sendable, Equatable {
        public struct Member: Encodable, Sendable, Equatable {
            public var id: Int64
            public var repo: String
            public var pkgbase: String
            public var version: String
            public var arch: String
            public var role: String
            public var published: Bool
        }

        public var id: Int64
        public var reason: String
        public var repos: [String]
        public var members: [Member]
        public var url: String?
    }

    /// The event's id: unique, the same on every delivery of it (a receiver that must not
    /// act twice remembers the ids it saw).
    public var id: Int64
    public var event: String
    public var at: String
    public var worker: String?
    public var build: Build
    public var set: PublishedSet?

    /// The longest reason a payload carries, in characters.
    public static let reasonLimit = 2000

    public init(_ event: StoreEvent, buildPage: String?, setPage: String? = nil) {
        id = event.id
        self.event = event.kind.rawValue
        let formatter = ISO8601DateFormatter()
        at = formatter.string(from: event.at)
        worker = event.worker
        var reason: String?
        if [.buildFailed, .buildRejected].contains(event.kind), let text = event.reason {
            reason = text.count > Self.reasonLimit ? String(text.prefix(Self.reasonLimit)) + "..." : text
        }
        build = Build(id: event.build.rawValue, repo: event.package.repo, pkgbase: event.package.pkgbase, version: event.version,
                      arch: event.arch, pass: event.pass, state: event.state.rawValue,
                      failure: event.kind == .buildFailed ? event.failure?.rawValue : nil, reason: reason, url: buildPage)
        set = event.set.map { set in
            PublishedSet(id: set.id, reason: set.reason, repos: set.repos, members: set.members.map {
                PublishedSet.Member(id: $0.build.rawValue, repo: $0.package.repo, pkgbase: $0.package.pkgbase, version: $0.version,
                                    arch: $0.arch, role: $0.role.rawValue, published: $0.published)
            }, url: setPage)
        }
    }

    /// The payload as sent: sorted keys, one line.
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // every field is a string, number or nil: encoding cannot fail
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
