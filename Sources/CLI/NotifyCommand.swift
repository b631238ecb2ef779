import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild notify`: delivers the store's events to `[notify]`'s webhooks and commands.
    struct NotifyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notify",
            abstract: "Deliver the store's events (build failed, worker lost, review waiting, ...) to [notify]'s webhooks and commands.",
            discussion: """
                pacbuild serve delivers them itself; this is for a machine without it. --once delivers what is \
                pending and exits (for cron: exit 1 when a target failed; its events stay pending); without it, \
                it delivers until SIGTERM or SIGINT, retrying a failing target with a growing delay. Each target \
                gets each event once, in order, from the last one it took; a target seen for the first time starts \
                at the newest event. docs/notifications.md.
                """)

        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Flag(help: "Deliver what is pending, then exit.")
        var once = false

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            guard !loaded.global.notify.isEmpty else {
                printError("pacbuild notify: [notify] names no webhooks or commands in \(config.resolvedDirectory)/pacbuild.toml: nothing to do")
                return
            }
            let notifier = try makeNotifier(loaded, store: try loaded.openStore(url: store.url), role: "notify")
            guard once else {
                let service = NotifierService(notifier: notifier) { round in printError(notifyRoundText(round)) }
                let done = DispatchSemaphore(value: 0)
                let signals = ShutdownSignals { _ in done.signal() }
                service.start()
                printError("pacbuild notify: delivering to \(notifier.targets.count) target(s) until SIGTERM or SIGINT")
                withExtendedLifetime(signals) { done.wait() }
                service.stop()
                return
            }
            let rounds = notifier.deliverPending()
            for round in rounds { print(notifyRoundText(round)) }
            if rounds.contains(where: { $0.failure != nil }) { throw ExitCode(1) }
        }
    }
}

/// The notifier of a configuration over `store`, its holder named after `role`; throws
/// when a tool its targets need is missing.
func makeNotifier(_ loaded: Configuration, store: any BuildStore, role: String) throws -> Notifier {
    let web = loaded.global.web
    var notifier = Notifier(store: store, settings: loaded.global.notify, holder: Notifier.holderName(role),
                            buildPage: { web.buildPage($0) })
    notifier.setPage = { web.setPage($0) }
    if let missing = notifier.missingTools.first {
        printError("pacbuild \(role): missing \(missing)")
        throw ExitCode(1)
    }
    return notifier
}

/// One line of what a round did for a target.
func notifyRoundText(_ round: Notifier.Round) -> String {
    if let holder = round.heldBy { return "\(round.target): delivered by \(holder) now, left alone" }
    var words = ["\(round.delivered.count) delivered"]
    if round.skipped > 0 { words.append("\(round.skipped) of other kinds passed over") }
    if let failure = round.failure { words.append("failed, to be tried again: \(failure)") }
    return "\(round.target): " + words.joined(separator: ", ")
}
