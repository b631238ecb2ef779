import Foundation

extension SandboxBuild {
    /// What the fetch stage leaves for the run: the read-only bind of the sources and
    /// the file names the job script links into `SRCDEST`, or the failed build.
    enum SourceStage {
        case ready(binds: [ReadOnlyBind], filenames: [String], notes: [String])
        case failed(BuildResult)
    }

    /// Fetches the job's sources (``SourceFetch``) when it has fetch settings and its
    /// `.SRCINFO`; a failure is the build's result, class `source`, with the stage's
    /// notes as its log.
    func fetchSources(_ job: BuildJob, workspace: BuildWorkspace) throws(SandboxError) -> SourceStage {
        guard let settings = job.sourceFetch, let srcinfo = job.srcinfo else { return .ready(binds: [], filenames: [], notes: []) }
        let pkgbuild = job.directory + "/PKGBUILD"
        let list = SourceList(srcinfo: srcinfo, carch: job.carch, pkgbuild: pkgbuild)
        var fetch = SourceFetch(settings: settings, pkgbuild: pkgbuild, network: job.network)
        fetch.shouldStop = job.shouldStop  // a waka shutting down stops a download as it stops a build
        let outcome = fetch.run(list)
        if let failure = outcome.failure {
            let lines = outcome.notes.map { "==> pacbuild: source " + $0 }
            FileManager.default.createFile(atPath: workspace.log, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
            return .failed(BuildResult(pkgbase: job.pkgbase, failure: failure, packages: [], logPath: workspace.log,
                                       logTail: Array(lines.suffix(40)), exitStatus: 1, seconds: 0, assumedInstalled: []))
        }
        let bind = try SourceView.stage(outcome.sources, work: workspace.directory, job: workspace.job,
                                        copyIntoJob: !(backend is any ShowsReadOnlyBinds))
        return .ready(binds: bind.map { [$0] } ?? [], filenames: outcome.sources.map(\.filename), notes: outcome.notes)
    }
}
