import Foundation

/// Where notifications go, from `[notify]` in `pacbuild.toml` (docs/configuration.md):
/// webhooks get an HTTP POST of each event's JSON, commands get it on standard input.
public struct NotifySettings: Sendable, Equatable {
    public var webhooks: [String] = []
    /// Executables (absolute, or relative to the configuration directory), run without a shell.
    public var commands: [String] = []
    public var events: Set<StoreEvent.Kind> = [.buildFailed, .buildBuilt, .workerLost]
    /// How long one delivery may take.
    public var timeoutSeconds = 10

    public init() {}

    public var isEmpty: Bool { webhooks.isEmpty && commands.isEmpty }

    static let keys = ["webhooks", "commands", "events", "timeout_seconds"]

    static func parse(_ table: inout ConfigTable, paths: ConfigPaths) -> NotifySettings {
        var settings = NotifySettings()
        guard var nested = table.table("notify", keys: keys) else { return settings }
        for url in nested.strings("webhooks", expected: "an array of http:// or https:// URLs") ?? [] {
            if (url.hasPrefix("http://") || url.hasPrefix("https://")), !url.contains(where: { $0.isWhitespace || $0.isNewline }) {
                settings.webhooks.append(url)
            } else {
                nested.fail("webhooks", .invalidValue(expected: "an http:// or https:// URL", found: "'\(url)'"))
            }
        }
        settings.commands = (nested.strings("commands", expected: "an array of executables") ?? []).map(paths.resolve)
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
}
