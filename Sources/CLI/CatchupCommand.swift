import ArgumentParser
import Foundation
import Graph
import Scheduler

extension Pacbuild {
    /// `pacbuild catchup`: the plan, queued.
    struct CatchupCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catchup",
            abstract: "Plan, then bring the build store in line with the plan: queue new work, supersede stale versions.",
            discussion: """
                Never queues a version marked rejected; a second run changes nothing. Prints what \
                it changed (with --dry-run, what it would change).
                """)

        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Option(help: "Catch up this repo only.") var repo: String?
        @Flag(help: "Show what would be queued without changing the store.") var dryRun = false

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let buildStore = try loaded.openStore(url: store.url)
            let report = try catchUp(loaded, store: buildStore, repo: repo, dryRun: dryRun)
            print(CatchupText(report: report, dryRun: dryRun).text, terminator: "")
        }
    }
}

/// Plans (warnings to standard error) and queues the plan: what `catchup` and `run` do first.
/// With `rebuild` (and `reverse`), as `plan --rebuild PKG... [--reverse]`: the closure is
/// queued as one rebuild set.
func catchUp(_ loaded: Configuration, store: any BuildStore, repo: String? = nil, rebuild: [String] = [], reverse: Bool = false,
             dryRun: Bool = false) throws -> CatchupReport {
    let options = PlanOptions(repo: repo, rebuild: rebuild, reverse: reverse, expectedTime: loaded.historyTimes(from: store))
    let (plan, problems, _) = try loadPlan(loaded, options: options)
    for problem in problems { printError("warning: \(problem)") }
    let catchup = try loaded.catchup(plan)
    let report = try catchup.run(store: store, dryRun: dryRun)
    for error in report.sourceErrors { printError("warning: PKGBUILD directory not recorded in the store: \(error)") }
    return report
}

/// What catchup changed, one line a build.
struct CatchupText {
    let report: CatchupReport
    let dryRun: Bool

    var text: String {
        var out = ""
        if dryRun {
            for build in report.wouldEnqueue { out += "would queue \(build.title)\n" }
            out += "dry run: \(report.wouldEnqueue.count) to queue, \(report.existing.count) already queued, \(report.planned.count) planned\n"
            return out
        }
        for record in report.enqueued {
            out += "queued \(record.label) (\(record.state.name.rawValue))\n"
        }
        for record in report.superseded { out += "superseded \(record.label)\n" }
        for record in report.retagged {
            let tags = record.requiredTags.isEmpty ? "no tags" : record.requiredTags.joined(separator: ", ")
            out += "retagged \(record.label): now requires \(tags)\n"
        }
        for build in report.markedRejected { out += "skipped \(build.title): marked rejected\n" }
        for set in report.sets {
            out += "opened \(set.label) (\(set.reason)): \(set.members.count) builds, published together\n"
        }
        out += report.changedNothing
            ? "nothing changed: \(report.existingIDs.count) planned builds already queued\n"
            : "\(report.enqueued.count) queued, \(report.superseded.count) superseded, \(report.existingIDs.count) already queued, \(report.markedRejected.count) rejected versions skipped"
                + (report.retagged.isEmpty ? "" : ", \(report.retagged.count) retagged") + "\n"
        return out
    }
}
