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
                """)

        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Option(help: "Builds at once (default: [workers] jobs).") var jobs: Int?
        @Option(help: "The worker name (default: [workers] name, the host name); unique among live wakas.") var name: String?
        @Option(help: "Seconds running builds may take to finish after a stop is asked for.") var grace: Int = 300

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let buildStore = try loaded.openStore(url: store.url)
            let waka = try Scheduler.Waka(configuration: loaded, store: buildStore, settings: loaded.wakaSettings(jobs: jobs, name: name)) { event in
                EventPrinter.shared.line(WakaEventText.line(event))
            }
            let graceDuration = Duration.seconds(grace)
            let signals = ShutdownSignals { count in waka.stop(grace: count == 1 ? graceDuration : .zero) }
            try withExtendedLifetime(signals) { try waka.run() }
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
