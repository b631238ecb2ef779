import ArgumentParser
import Scheduler

extension Pacbuild {
    /// `pacbuild recover`: repair after a crash.
    struct RecoverCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recover",
            abstract: "After a crash: finish half-done accepts, remove stale locks, temporary and orphaned pool files.",
            discussion: """
                A lock of a process no longer running goes; work and sandbox scratch directories of dead \
                processes go (under STATE/work and STATE/tmp); builds whose packages are in the database \
                but not marked accepted are accepted; package files no database lists and no built build \
                made are deleted. Do not run it while pacbuild on another machine updates the same repos.
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Option(help: "Only this repo.") var repo: String?
        @Flag(help: "Print as JSON.") var json = false

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            if let repo, loaded.repo(named: repo) == nil { throw ValidationError("no repo '\(repo)'") }
            let buildStore = try loaded.openStore(url: store.url)
            let acceptor = Acceptor(store: buildStore, repos: loaded.repos,
                                    localArtifacts: Acceptor.fetchingArtifacts(from: buildStore, stateDirectory: loaded.global.stateDir))
            var report = try Recovery(store: buildStore, repos: loaded.repos, acceptor: acceptor).run(repo: repo)
            report.removedWork = try WorkSweeper(stateDirectory: loaded.global.stateDir).sweep()
            if json {
                print(try jsonText(report))
            } else {
                var lines = report.staleLocks.map { "removed stale lock \($0)" }
                lines += report.finished.map { "finished accepting \($0)" }
                lines += report.removedTemporaries.map { "removed temporary \($0)" }
                lines += report.removedOrphans.map { "removed orphan \($0)" }
                lines += report.unstaged.map { "removed \($0) and its staging database entry (its build is no longer built)" }
                lines += report.restaged.map { "staged \($0) again" }
                lines += report.setsFinished.map { "finished publishing set \($0) in every repo (its journal was written)" }
                lines += report.setsRolledBack.map { "removed \($0): a set publication that never got to its journal" }
                lines += report.setsPublished.map { "published set \($0): nothing held it any more" }
                lines += report.removedWork.map { "removed \($0) (left by a dead process)" }
                if report.changedNothing { lines.append("nothing to recover") }
                print(lines.joined(separator: "\n"))
            }
            for problem in report.problems { printError("error: \(problem)") }
            if !report.problems.isEmpty { throw ExitCode(1) }
        }
    }
}
