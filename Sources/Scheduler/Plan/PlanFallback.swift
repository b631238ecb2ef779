import Foundation
import Graph
import Sandbox

/// The makepkg fallback as the planner uses it: each PKGBUILD the native reader cannot
/// evaluate is read by `makepkg --printsrcinfo` in a namespace sandbox over the build
/// root, `width` at a time, with its repo's makepkg.conf and CARCH, cached under
/// `STATE/cache/srcinfo-fallback/` (see ``SrcInfoFallback``).
public struct PlanFallback: Sendable {
    public var root: BuildRoot
    public var backend: any SandboxBackend
    public var stateDirectory: String
    public var timeout: Duration
    /// Sandboxes at once: makepkg sourcing a big PKGBUILD is one core for a second or so.
    public var width: Int

    public init(root: BuildRoot, backend: any SandboxBackend = NamespaceBackend(), stateDirectory: String,
                timeout: Duration = .seconds(60), width: Int = 2) {
        self.root = root
        self.backend = backend
        self.stateDirectory = stateDirectory
        self.timeout = timeout
        self.width = width
    }

    /// What a plan's fallback did, for the report.
    public struct Summary: Sendable, Equatable {
        /// PKGBUILDs read by makepkg (from the cache or a sandbox run).
        public var read = 0
        /// Of those, answered by the cache.
        public var fromCache = 0
        /// PKGBUILDs makepkg could not read (they stay `needs-fallback`).
        public var failed = 0
    }
}

extension Configuration {
    /// The fallback over the configured build root (``openBuildRoot()``), with the
    /// namespace backend whatever the repos build with: reading a PKGBUILD needs
    /// isolation, not the build's backend. `fallback_timeout` limits each run, and as
    /// many run at once as a waka here has slots (`[workers] jobs`).
    public func planFallback() throws(SandboxError) -> PlanFallback {
        PlanFallback(root: try openBuildRoot(), stateDirectory: global.stateDir,
                     timeout: .seconds(global.fallbackTimeout), width: global.workers.jobs)
    }

    /// Reads every PKGBUILD of `repos` that needs makepkg through `fallback` and records
    /// the answers in each repo's ``PlanRepo/fallbacks``; the planner plans from them.
    /// A repo whose makepkg.conf cannot be read is a problem, and its PKGBUILDs stay as
    /// the native reader left them.
    public func readFallbacks(into repos: inout [PlanRepo], with fallback: PlanFallback) -> (PlanFallback.Summary, [PlanInputProblem]) {
        var problems: [PlanInputProblem] = []
        var jobs: [(repo: Int, file: String, reader: SrcInfoFallback)] = []
        for (i, repo) in repos.enumerated() {
            let pending = repo.pkgbuilds.filter(\.needsFallback).map(\.file)
            guard !pending.isEmpty else { continue }
            let config = self.repo(named: repo.name)
            do {
                let reader = try SrcInfoFallback(
                    backend: fallback.backend, root: fallback.root, makepkgConf: config?.makepkgConf, carch: repo.carch,
                    cacheDirectory: SrcInfoFallbackCache.directory(stateDirectory: fallback.stateDirectory),
                    workParent: fallback.stateDirectory + "/tmp", timeout: fallback.timeout)
                jobs += pending.map { (i, $0, reader) }
            } catch {
                problems.append(PlanInputProblem(repo: repo.name, message: "the makepkg fallback cannot run: \(error)"))
            }
        }
        let answers = jobs.concurrentMap(width: fallback.width) { job in
            job.reader.read(directory: (job.file as NSString).deletingLastPathComponent)
        }
        var summary = PlanFallback.Summary()
        for (job, answer) in zip(jobs, answers) {
            repos[job.repo].fallbacks[job.file] = answer
            if answer.srcinfo == nil { summary.failed += 1 } else { summary.read += 1 }
            if answer.fromCache { summary.fromCache += 1 }
        }
        return (summary, problems)
    }
}
