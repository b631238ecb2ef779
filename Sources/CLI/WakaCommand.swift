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
        @Option(help: ArgumentHelp("A tag this waka has, on top of [workers] tags (repeatable): it claims builds requiring "
                                   + "only tags it has.", valueName: "tag")) var tag: [String] = []
        @Option(help: ArgumentHelp("An arch this waka builds, instead of [workers] arches (repeatable; default: every "
                                   + "repo's arch).", valueName: "arch")) var arch: [String] = []
        @Option(help: "Seconds a claimed build stays leased without a heartbeat (default: [workers] lease_seconds, 300).")
        var leaseSeconds: Int?
        @Option(help: "Seconds between heartbeats, below the lease (default: [workers] heartbeat_seconds, 30).")
        var heartbeatSeconds: Int?

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            for tag in tag where !BuildTags.valid(tag) {
                throw ValidationError("--tag '\(tag)': a tag is made of \(BuildTags.rule)")
            }
            if let leaseSeconds, !(10...86_400).contains(leaseSeconds) {
                throw ValidationError("--lease-seconds must be from 10 to 86400, not \(leaseSeconds)")
            }
            if let heartbeatSeconds, !(1...86_400).contains(heartbeatSeconds) {
                throw ValidationError("--heartbeat-seconds must be from 1 to 86400, not \(heartbeatSeconds)")
            }
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

        /// The configuration directory and its store, or with --root the store's recorded
        /// repos; `[workers]` changed by the command line either way.
        private func configurationAndStore() throws -> (Configuration, any BuildStore) {
            guard let root, let url = store.url else {
                let loaded = try loadValidConfiguration(config).changingWorkers(overrideWorkers)
                try checkHeartbeat(loaded.global.workers)
                return (loaded, try loaded.openStore(url: store.url))
            }
            var workers = WorkerSettings()
            overrideWorkers(&workers)
            try checkHeartbeat(workers)
            let buildStore = try Store.open(url: url, options: StoreOptions(leaseDuration: TimeInterval(workers.leaseSeconds),
                                                                          retryLimit: workers.maxAttempts))
            let remote = try Configuration.remote(storeURL: url, settings: try buildStore.repoSettings(), stateDirectory: state,
                                                  buildRoot: root)
            return (remote.changingWorkers(overrideWorkers), buildStore)
        }

        /// `--tag` adds to `[workers] tags`; `--arch`, `--lease-seconds` and
        /// `--heartbeat-seconds` replace theirs.
        private func overrideWorkers(_ workers: inout WorkerSettings) {
            workers.tags += tag.filter { !workers.tags.contains($0) }
            if !arch.isEmpty { workers.arches = arch }
            if let leaseSeconds { workers.leaseSeconds = leaseSeconds }
            if let heartbeatSeconds { workers.heartbeatSeconds = heartbeatSeconds }
        }

        /// A heartbeat at or above the lease would lose every lease between two beats.
        private func checkHeartbeat(_ workers: WorkerSettings) throws {
            guard workers.heartbeatSeconds < workers.leaseSeconds else {
                throw ValidationError("the heartbeat (\(workers.heartbeatSeconds) s) must be shorter than the lease "
                                      + "(\(workers.leaseSeconds) s): set --heartbeat-seconds below --lease-seconds")
            }
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
