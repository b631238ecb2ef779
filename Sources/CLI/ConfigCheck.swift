import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild config check`: loads the configuration and lists what it found.
    struct ConfigCheck: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Load the configuration and print the settings and repos, or every error.",
            discussion: """
                Errors name the file, line and key and go to standard error, one a line; any \
                error makes the exit status 1. Repos without errors are still listed.
                """)

        @OptionGroup var config: ConfigOptions

        func run() throws {
            let loaded = config.load()
            print(summary(of: loaded), terminator: "")
            for error in loaded.errors { printError(error.description) }
            if !loaded.isValid {
                printError("\(loaded.errors.count) error\(loaded.errors.count == 1 ? "" : "s") in \(loaded.directory)")
                throw ExitCode(1)
            }
        }

        private func summary(of loaded: Configuration) -> String {
            let global = loaded.global, workers = global.workers
            var text = """
                config: \(loaded.directory)
                state_dir: \(loaded.display(global.stateDir))
                store: \(storeText(global.store, loaded))
                sandbox: \(global.sandbox.rawValue) (build root '\(global.buildRoot)'); plan's makepkg fallback: \(global.fallbackTimeout) s each, \(workers.jobs) at once
                workers: \(workers.jobs) job(s) as '\(workers.name)', lease \(workers.leaseSeconds) s, \
                heartbeat \(workers.heartbeatSeconds) s, \(workers.maxAttempts) attempt(s), package caches up to \(workers.cacheMaxMB) MB
                sources: downloaded into \(loaded.display(global.stateDir + "/sources")), \
                up to \(global.sources.maxMB) MiB and \(global.sources.timeoutSeconds) s per file
                notify: \(notifyText(global.notify))
                repos: \(loaded.repos.count)

                """
            let rows = loaded.repos.map { repo in [
                repo.name, repo.arch, repo.abs.map(loaded.display).joined(separator: ","),
                repo.dependsOn.isEmpty ? "-" : repo.dependsOn.joined(separator: ","), repo.review.rawValue,
            ] }
            if !rows.isEmpty { text += table(header: ["NAME", "ARCH", "ABS", "DEPENDS_ON", "REVIEW"], rows: rows) }
            for repo in loaded.repos {
                let details = [repo.sonameRebuilds == .plan ? nil : "soname_rebuilds \(repo.sonameRebuilds.rawValue)",
                               repo.server.map { "server \($0)" }, repo.stagingDb.map { "staging_db \(loaded.display($0))" },
                               repo.tags.repo.isEmpty ? nil : "tags \(repo.tags.repo.joined(separator: ", "))",
                               repo.tags.packages.isEmpty ? nil : "package_tags " + repo.tags.packages.sorted { $0.key < $1.key }
                                   .map { "\($0.key) = \($0.value.joined(separator: ", "))" }.joined(separator: ", ")].compactMap { $0 }
                if !details.isEmpty { text += "  \(repo.name): \(details.joined(separator: "; "))\n" }
            }
            return text
        }

        private func notifyText(_ notify: NotifySettings) -> String {
            guard !notify.isEmpty else { return "nowhere" }
            return "\(notify.webhooks.count) webhook(s), \(notify.commands.count) command(s), of "
                + notify.events.map(\.rawValue).sorted().joined(separator: ", ") + ", \(notify.timeoutSeconds) s each"
        }

        private func storeText(_ store: StoreLocation, _ loaded: Configuration) -> String {
            if case .sqlite(let path) = store { return "sqlite:" + loaded.display(path) }
            return store.description
        }

        /// Left-aligned columns separated by two spaces.
        private func table(header: [String], rows: [[String]]) -> String {
            let all = [header] + rows
            let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
            return all.map { row in
                row.enumerated().map { column, cell in
                    column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
            }.joined(separator: "\n") + "\n"
        }
    }
}
