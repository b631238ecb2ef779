import Foundation

/// Delivers the store's event log to the `[notify]` targets: each webhook and command
/// has a cursor in the store (the last event it took), and gets the events after it in
/// order, one at a time; the cursor moves only past an event the target accepted (2xx,
/// exit 0). A target that is down keeps its events until it is back, whoever restarts in
/// between, and none is sent twice, but for an event delivered in the moment before a
/// crash, before its cursor moved: every delivery carries the event's id
/// (`X-Pacbuild-Event: ID`, `PACBUILD_EVENT_ID`) so a receiver can tell.
///
/// A target seen for the first time starts at the newest event: it gets what happens
/// from then on, not the history.
public struct Notifier: Sendable {
    public let store: any BuildStore
    public let settings: NotifySettings
    /// At most this many events per target and round.
    public var batch = 100

    public init(store: any BuildStore, settings: NotifySettings) {
        self.store = store
        self.settings = settings
    }

    /// One target: `webhook:URL` or `command:PATH`, as its cursor is named.
    public enum Target: Sendable, Hashable, CustomStringConvertible {
        case webhook(String)
        case command(String)

        public var description: String {
            switch self {
            case .webhook(let url): "webhook:" + url
            case .command(let path): "command:" + path
            }
        }
    }

    public var targets: [Target] { settings.webhooks.map(Target.webhook) + settings.commands.map(Target.command) }

    /// What one round did for a target.
    public struct Round: Sendable {
        public var target: Target
        public var delivered: [Int64] = []
        /// Why the target stopped before its last event, if it did.
        public var failure: String?
    }

    /// Delivers what each target has not received yet.
    public func deliverPending() throws -> [Round] {
        try targets.map { target in try deliver(to: target) }
    }

    func deliver(to target: Target) throws -> Round {
        var round = Round(target: target)
        guard let cursor = try store.notifyCursor(target.description) else {
            try store.setNotifyCursor(target.description, try store.lastEventID())
            return round
        }
        var last = cursor
        for event in try store.events(after: cursor, limit: batch) {
            if settings.events.contains(event.kind) {
                let payload = EventPayload(event, build: try store.build(event.build))
                if let failure = send(payload, to: target) {
                    round.failure = "event \(event.id) (\(event.kind.rawValue)): \(failure)"
                    break
                }
                round.delivered.append(event.id)
            }
            last = event.id
            try store.setNotifyCursor(target.description, last)
        }
        return round
    }

    /// Sends one event; nil when the target took it, else why not.
    func send(_ payload: EventPayload, to target: Target) -> String? {
        let arguments: [String]
        switch target {
        case .webhook(let url):
            // curl: no shell, the body on standard input, a failing status is a failure
            arguments = ["curl", "--silent", "--show-error", "--fail", "--max-time", String(settings.timeoutSeconds), "--request", "POST",
                         "--header", "Content-Type: application/json", "--header", "X-Pacbuild-Event: \(payload.id)",
                         "--data-binary", "@-", "--", url]
        case .command(let path):
            arguments = ["timeout", "--kill-after=5", String(settings.timeoutSeconds), path]
        }
        return NotifyProcess.run(arguments, input: payload.json,
                                 environment: ["PACBUILD_EVENT": payload.event, "PACBUILD_EVENT_ID": String(payload.id)])
    }
}

/// A delivery's process: found on PATH, the event on its standard input, its output kept
/// for the failure message.
enum NotifyProcess {
    static func run(_ arguments: [String], input: Data, environment: [String: String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdin = Pipe(), output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch { return "cannot run \(arguments[0]): \(error)" }
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile().prefix(4096), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let words = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(arguments[0]) exited \(process.terminationStatus)" + (words.isEmpty ? "" : ": " + words)
        }
        return nil
    }
}
