import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild waka`: the build daemon.
    struct WakaCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "waka",
            abstract: "Run the build daemon: claim ready builds, build them in sandboxes, report (auto-accept where review = \"auto\").",
            discussion: """
                Runs until SIGTERM or SIGINT: then it claims nothing more, lets running builds finish within \
                --grace seconds, gives back the rest (ready again, attempts unchanged) and exits 0; a second \
                signal stops at once. One line per event on standard output.

                With --root, no configuration directory is read: the repos are those the store recorded at \
                catchup, PKGBUILDs and dependency packages come from the store, and nothing is published \
                (builds wait built for the store's owner to accept; docs/distributed.md).
                """)

        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Option(help: "Builds at once (default: [workers] jobs).") var jobs: Int?
        @Option(help: "The worker name (default: [workers] name, the host name); unique among live wakas.") var name: String?
        @Option(help: "Seconds running builds may take to finish after a stop is asked for.") var grace: Int = 300
        @Option(help: ArgumentHelp("Build from this build root (a directory, or a name under the state directory's roots/) "
                                   + "with the store's recorded repo settings; no configuration is read. Needs --store.",
                                   valueName: "root")) var root: String?
        @Option(help: ArgumentHelp("With --root: the state directory.", valueName: "dir")) var state: String = ".pacbuild-state"

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if root != nil, store.url == nil { throw ValidationError("--root needs --store: the repos' settings come from the store") }
            if root != nil, config.directory != nil { throw ValidationError("--root reads no configuration; leave out --config") }
        }

        func run() throws {
            let (loaded, buildStore) = try configurationAndStore()
            let waka = try Scheduler.Waka(configuration: loaded, store: buildStore, settings: loaded.wakaSettings(jobs: jobs, name: name)) { event in
                EventPrinter.shared.line(WakaEventText.line(event))
            }
            let graceDuration = Duration.seconds(grace)
            let signals = ShutdownSignals { count in waka.stop(grace: count == 1 ? graceDuration : .zero) }
            try withExtendedLifetime(signals) { try waka.run() }
        }

        /// The configuration directory and its store, or with --root the store's recorded repos.
        private func configurationAndStore() throws -> (Configuration, any BuildStore) {
            guard let root, let url = store.url else {
                let loaded = try loadValidConfiguration(config)
                return (loaded, try loaded.openStore(url: store.url))
            }
            let defaults = WorkerSettings()
            let buildStore = try Store.open(url: url, options: StoreOptions(leaseDuration: TimeInterval(defaults.leaseSeconds),
                                                                          retryLimit: defaults.maxAttempts))
            return (try Configuration.remote(storeURL: url, settings: try buildStore.repoSettings(), stateDirectory: state,
                                             buildRoot: root), buildStore)
        }
    }
}

/// Serializes lines printed from several threads.
final class EventPrinter: @unchecked Sendable {
    // @unchecked: output happens only under `lock`.
    static let shared = EventPrinter()
    private let lock = NSLock()

    func line(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
