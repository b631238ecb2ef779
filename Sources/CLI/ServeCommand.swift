import ArgumentParser
import Foundation
import Scheduler
import Web

extension Pacbuild {
    /// `pacbuild serve`: the web face.
    struct ServeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve web pages, a JSON API (/api/v1) and Prometheus metrics (/metrics) over the store; maintainers review from the browser.",
            discussion: """
                Reads the same configuration and store as every other command (SQLite or PostgreSQL) \
                and runs beside wakas and pacbuild run. Listens on 127.0.0.1:8080 \
                unless --listen says otherwise. Accounts, roles and API tokens come from [web] in pacbuild.toml \
                (pacbuild web passwd, pacbuild web token); maintainers review and control builds. It also delivers the \
                store's events to [notify]'s webhooks and commands (docs/notifications.md). SIGTERM or SIGINT stops it. docs/api.md.
                """)

        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Option(help: ArgumentHelp("Where to listen: HOST:PORT, [IPV6]:PORT or PORT (on 127.0.0.1).", valueName: "addr:port"))
        var listen: String = ListenAddress.loopback.description

        func validate() throws {
            do { _ = try ListenAddress(parsing: listen) } catch { throw ValidationError(error.description) }
        }

        /// Stops the notifier on a thread of its own: stopping waits for a delivery under
        /// way (up to its timeout), which must not block a thread of Swift's pool.
        private func stopNotifications(_ service: NotifierService?) async {
            guard let service else { return }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread { service.stop(); done.resume() }.start()
            }
        }

        func run() async throws {
            let loaded = try loadValidConfiguration(config)
            let address = try ListenAddress(parsing: listen)
            let site = try WebSite(configuration: loaded, store: try loaded.openStore(url: store.url))
            // notifications on threads of their own over a connection of their own: a
            // hanging target or a slow store call of theirs holds up no page
            var notifications: NotifierService?
            if !loaded.global.notify.isEmpty {
                let notifier = try makeNotifier(loaded, store: try loaded.openStore(url: store.url), role: "serve")
                notifications = NotifierService(notifier: notifier) { round in printError("pacbuild serve: notify " + notifyRoundText(round)) }
                printError("pacbuild serve: delivering notifications to \(notifier.targets.count) target(s)")
            }
            printError("pacbuild serve: listening on http://\(address)/ over \(store.url ?? loaded.global.store.description)")
            notifications?.start()
            do {
                try await site.run(listen: address)
            } catch {
                await stopNotifications(notifications)
                throw error
            }
            await stopNotifications(notifications)
        }
    }
}
