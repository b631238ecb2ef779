import Foundation

/// Where notifications go, from `[notify]` in `pacbuild.toml` (docs/notifications.md):
/// each webhook gets an HTTP POST of each event's JSON, each command gets it on standard
/// input.
///
///     [notify]
///     webhooks = ["https://chat.example/hooks/pacbuild"]
///     commands = ["scripts/mail-maintainers"]          # run without a shell
///     events = ["build.failed", "worker.lost", "review.waiting"]
///     timeout_seconds = 10
public struct NotifySettings: Sendable, Equatable {
    public var webhooks: [String] = []
    /// Executables (absolute, or relative to the configuration directory), run without a
    /// shell and without arguments.
    public var commands: [String] = []
    /// The kinds delivered; the others are passed over (their cursors move past them).
    public var events: Set<StoreEvent.Kind> = NotifySettings.defaultEvents
    /// How long one delivery may take before it counts as failed (and is tried again).
    public var timeoutSeconds = 10

    public static let defaultEvents: Set<StoreEvent.Kind> = [.buildFailed, .workerLost, .reviewWaiting, .setPublished]

    public init() {}

    public var isEmpty: Bool { webhooks.isEmpty && commands.isEmpty }

    static let keys = ["webhooks", "commands", "events", "timeout_seconds"]

    /// Reads `[notify]`, leaving out each malformed webhook, missing command and unknown
    /// event (each an error naming it).
    static func parse(_ table: inout ConfigTable, paths: ConfigPaths) -> NotifySettings {
        var settings = NotifySettings()
        guard var nested = table.table("notify", keys: keys) else { return settings }
        for url in nested.strings("webhooks", expected: "an array of http:// or https:// URLs") ?? [] {
            if isWebhook(url) {
                if !settings.webhooks.contains(url) { settings.webhooks.append(url) }
            } else {
                nested.fail("webhooks", .invalidValue(expected: "an http:// or https:// URL with a host and no spaces", found: "'\(url)'"))
            }
        }
        for command in nested.strings("commands", expected: "an array of executables") ?? [] {
            let path = paths.resolve(command)
            if FileManager.default.isExecutableFile(atPath: path), paths.satisfies(path, .file) {
                if !settings.commands.contains(path) { settings.commands.append(path) }
            } else {
                nested.fail("commands", .missingPath(path: command, expected: "an executable file (run without a shell, the event on its standard input)"))
            }
        }
        let names = StoreEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        if let events = nested.strings("events", expected: "an array of events (\(names))") {
            settings.events = []
            for name in events {
                if let kind = StoreEvent.Kind(rawValue: name) { settings.events.insert(kind) } else {
                    nested.fail("events", .invalidValue(expected: "events of \(names)", found: "'\(name)'"))
                }
            }
        }
        settings.timeoutSeconds = nested.integer("timeout_seconds", in: 1...600, expected: "seconds, from 1 to 600") ?? settings.timeoutSeconds
        table.absorb(nested)
        return settings
    }

    /// `http://` or `https://` with a host, and no white space (curl gets it with
    /// `--globoff`, so brackets and braces are literal).
    static func isWebhook(_ url: String) -> Bool {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parsed.host, !host.isEmpty else { return false }
        return !url.contains { $0.isWhitespace || $0.isNewline }
    }
}
