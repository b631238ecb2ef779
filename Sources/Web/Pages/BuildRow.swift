import Foundation
import Scheduler

/// A build as a line of a listing: what the templates show of a `BuildRecord`, all
/// plain strings (the templates escape them). What a template shows only when present
/// is optional: mustache renders a section for an empty string too, not for nil.
struct BuildRow {
    var id: Int64
    var label: String
    var package: String
    var packageLink: String
    var version: String
    var state: String
    /// The state's name alone, for a CSS class.
    var stateName: String
    var failure: String?
    var reason: String?
    var worker: String?
    var priority: Int
    var tags: String?
    var started: String?
    var finished: String?
    /// How long it ran (or has been running); nil when it never started.
    var duration: String?

    init(_ build: BuildRecord, now: Date = Date()) {
        id = build.id.rawValue
        label = build.label
        package = build.package.description
        packageLink = Paths.package(build.package.repo, build.package.pkgbase)
        version = build.version + build.passNote
        state = build.state.description
        stateName = build.state.name.rawValue
        failure = build.state.failureClass?.rawValue
        reason = build.reason?.nonEmpty
        worker = build.worker
        priority = Int(build.priority)
        tags = build.requiredTags.joined(separator: ", ").nonEmpty
        started = build.startedAt.map(Formats.stamp)
        finished = build.finishedAt.map(Formats.stamp)
        duration = build.startedAt.map { Formats.duration((build.finishedAt ?? now).timeIntervalSince($0)) }
    }
}

/// Where the pages are; each path component percent-encoded.
enum Paths {
    static func build(_ id: BuildID) -> String { "/builds/\(id.rawValue)" }

    static func set(_ id: Int64) -> String { "/set/\(id)" }

    static func package(_ repo: String, _ pkgbase: String) -> String { "/packages/\(component(repo))/\(component(pkgbase))" }

    /// `/why/REPO/PKGBASE` for a plan entry's `repo/pkgbase`.
    static func why(_ id: String) -> String { "/why/" + id.split(separator: "/", maxSplits: 1).map { component(String($0)) }.joined(separator: "/") }

    static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unescaped) ?? text
    }

    /// Made once: building the set was a tenth of the queue page's time.
    private static let unescaped = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@+"))
}

/// Times and sizes as the CLI shows them.
enum Formats {
    /// UTC, to the second.
    static func stamp(_ date: Date) -> String {
        iso8601.format(date)
    }

    /// `2026-12-03T19:40:00Z`, a value made once (a formatter per call was a tenth of the
    /// queue page's time).
    private static let iso8601 = Date.ISO8601FormatStyle()

    /// `4m07s`, `2h05m`.
    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : "\(s / 60)m\(String(format: "%02d", s % 60))s"
    }

    /// `14 B`, `1.2 KiB`, `3.4 MiB`.
    static func bytes(_ n: Int64) -> String {
        n >= 1 << 20 ? String(format: "%.1f MiB", Double(n) / 1_048_576) : n >= 1024 ? String(format: "%.1f KiB", Double(n) / 1024) : "\(n) B"
    }
}

extension String {
    /// nil for the empty string, for a mustache section that shows only a present value.
    var nonEmpty: String? { isEmpty ? nil : self }
}
