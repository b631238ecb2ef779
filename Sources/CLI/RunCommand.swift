import ArgumentParser
import Foundation
import Graph
import Scheduler

extension Pacbuild {
    /// `pacbuild run`: the main job.
    struct RunCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Catch up, build everything ready with local wakas until nothing is ready or running, then summarize.",
            discussion: """
                Keeps going past failures: a failed build blocks only its dependents. The summary lists what \
                was built (and accepted, for review = "auto" repos), what awaits review, what failed (class, \
                reason, log) and what is blocked (with the chain down to the failure). Exit status 1 when \
                anything failed or is blocked. SIGTERM/SIGINT stop as for pacbuild waka.
                """)

        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Option(help: "Builds at once (default: [workers] jobs).") var jobs: Int?
        @Option(help: "Catch up this repo only.") var repo: String?
        @Flag(help: "One JSON event per line instead of text.") var json = false
        @Option(help: "Seconds running builds may take to finish after a stop is asked for.") var grace: Int = 60
        @Option(parsing: .upToNextOption, help: "Rebuild these pkgbases even if current (as plan --rebuild).") var rebuild: [String] = []
        @Flag(help: "With --rebuild: also rebuild everything that depends on them, transitively, and publish them all together as one rebuild set.")
        var reverse = false

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if reverse && rebuild.isEmpty { throw ValidationError("--reverse needs --rebuild PKG...") }
        }

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let buildStore = try loaded.openStore(url: store.url)
            // a run killed mid-accept left a lock or a half-done publish: finish it first
            // (`run` is the local main job; remote wakas leave this to `pacbuild recover`)
            let recovered = try Recovery(store: buildStore, repos: loaded.repos).run(repo: repo)
            for problem in recovered.problems { printError("warning: recover: \(problem)") }
            let report = try catchUp(loaded, store: buildStore, repo: repo, rebuild: rebuild, reverse: reverse)
            var settings = loaded.wakaSettings(jobs: jobs, name: loaded.global.workers.name + "/run")
            settings.untilIdle = true
            settings.pollSeconds = 0.5
            let mode: RunProgress.Mode = json ? .json : isatty(STDOUT_FILENO) == 1 ? .terminal : .plain
            let progress = RunProgress(mode: mode, slots: settings.slots, pending: try pending(report, buildStore, loaded))
            if json {
                progress.note(String(try RunJSON.line(RunJSON.Event(event: "catchup", message: catchupLine(report))).dropLast()))
            } else {
                progress.note(CatchupText(report: report, dryRun: false).text.trimmingCharacters(in: .newlines))
            }
            let waka = try Scheduler.Waka(configuration: loaded, store: buildStore, settings: settings) { progress.handle($0) }
            let graceDuration = Duration.seconds(grace)
            let signals = ShutdownSignals { count in waka.stop(grace: count == 1 ? graceDuration : .zero) }
            try withExtendedLifetime(signals) { try waka.run() }
            progress.finish()
            let summary = try RunSummary.make(store: buildStore, planned: report.planned)
            if json {
                print(try RunJSON.line(SummaryEvent(summary: summary)), terminator: "")
            } else {
                print(RunSummaryText(summary: summary).text, terminator: "")
            }
            if !summary.succeeded { throw ExitCode(1) }
        }

        /// The planned builds still to run, with their expected seconds, for the estimate.
        private func pending(_ report: CatchupReport, _ store: any BuildStore, _ loaded: Configuration) throws -> [BuildID: Double] {
            let expected = loaded.historyTimes(from: store)
            var pending: [BuildID: Double] = [:]
            for planned in report.planned {
                let builds = try store.builds(of: planned.package)
                guard let record = builds.last(where: { $0.version == planned.version && $0.pass == planned.pass }),
                      [.waiting, .ready, .building].contains(record.state.name) else { continue }
                pending[record.id] = expected(planned.package)
            }
            return pending
        }

        private func catchupLine(_ report: CatchupReport) -> String {
            "\(report.enqueued.count) queued, \(report.superseded.count) superseded, \(report.existingIDs.count) already queued"
        }

        struct SummaryEvent: Encodable {
            var event = "summary"
            var summary: RunSummary
        }
    }
}

/// The summary as text: counts, then each group with what a maintainer needs next.
struct RunSummaryText {
    let summary: RunSummary

    var text: String {
        var out = "\nsummary: \(summary.accepted.count) accepted, \(summary.awaitingReview.count) awaiting review, "
            + "\(summary.failed.count) failed, \(summary.blocked.count) blocked, \(summary.other.count) other\n"
        func group(_ title: String, _ entries: [RunSummary.Entry], _ detail: (RunSummary.Entry) -> [String]) {
            guard !entries.isEmpty else { return }
            out += "\(title):\n"
            for entry in entries {
                out += "  \(entry.build.label)\n"
                for line in detail(entry) { out += "      \(line)\n" }
            }
        }
        group("accepted", summary.accepted) { _ in [] }
        group("awaiting review (pacbuild checkbuilds)", summary.awaitingReview) { entry in entry.build.artifacts }
        group("failed", summary.failed) { entry in
            ["\(entry.build.state): \(entry.build.reason ?? "")", "log: \(entry.build.log ?? "none")"]
        }
        group("blocked", summary.blocked) { entry in [chain(entry)] }
        group("other", summary.other) { entry in
            ["\(entry.build.state.name.rawValue)" + (entry.chain.isEmpty ? "" : ": " + chain(entry))]
        }
        if !summary.sets.isEmpty { out += "rebuild sets not published yet:\n" + summary.sets.flatMap(\.lines).map { "  \($0)\n" }.joined() }
        return out
    }

    /// `waits for #3 current/ex-libfmt 2.0.1-3 (blocked by #2) -> #2 current/ex-libbase 1.0-1 (failed (build))`
    private func chain(_ entry: RunSummary.Entry) -> String {
        "waits for " + entry.chain.map { "\($0.label) (\($0.state))" }.joined(separator: " -> ")
    }
}
