import Foundation

/// Builds one pkgbase in a sandbox: stages a workspace, runs the build script there
/// through the backend, verifies the packages, and classifies a failure.
///
/// The scheduler calls this per claimed build; `pacbuild build` calls it directly.
public struct SandboxBuild: Sendable {
    public var backend: any SandboxBackend
    public var root: BuildRoot
    /// `WORK/`: made fresh; holds `job/` (packages in `job/out/`) and `build.log`.
    public var workDirectory: String
    /// Where the backend makes its per-run scratch.
    public var scratchParent: String
    /// UML's `mem=`.
    public var memory: String

    public init(backend: any SandboxBackend, root: BuildRoot, workDirectory: String,
                scratchParent: String = "/var/tmp", memory: String = "1024M") {
        self.backend = backend
        self.root = root
        self.workDirectory = workDirectory
        self.scratchParent = scratchParent
        self.memory = memory
    }

    /// Runs the build. Throws only when the build could not be attempted (no such
    /// directory, unreadable repository); a build that ran and failed is a result.
    ///
    /// The output is verified whatever the build's status (``PackageVerifier``): the
    /// result's packages are only ever the host's verified copies in `WORK/packages/`,
    /// and output no makepkg run leaves fails the build as `verification`.
    public func run(_ job: BuildJob) throws(SandboxError) -> BuildResult {
        guard backend.kind != .host else {
            throw .invalidJob("builds install packages as root inside the sandbox; the host backend would install them into the host")
        }
        let workspace = try BuildWorkspace.make(at: workDirectory)
        try workspace.copySources(from: job.directory)
        let sources: (binds: [ReadOnlyBind], filenames: [String], notes: [String])
        switch try fetchSources(job, workspace: workspace) {
        case .failed(let result): return result
        case .ready(let binds, let filenames, let notes): sources = (binds, filenames, notes)
        }
        let staged = try workspace.stageRepositories(job.repositories)
        if !(backend is any ShowsReadOnlyBinds) { try ReadOnlyPools.copy(staged.binds, into: workspace.job) }
        let assumed = try DependencyResolution.assumedInstalled(job.dependencies, databases: staged.repositories.map(\.database))
        try workspace.write(PacmanConfiguration.text(repositories: staged.repositories, carch: job.carch), to: "pacman.conf")
        if let conf = job.makepkgConf {
            guard let text = try? String(contentsOfFile: conf, encoding: .utf8) else { throw .io(path: conf, reason: "cannot read makepkg.conf") }
            try workspace.write(text, to: "makepkg.conf")
        }
        try workspace.write(BuildScript.text(dependencies: job.dependencies, assumeInstalled: assumed,
                                             customMakepkgConf: job.makepkgConf != nil, sources: sources.filenames,
                                             sourceNotes: sources.notes),
                            to: "job.sh", mode: 0o755)
        var sandboxJob = SandboxJob(root: root, jobDirectory: workspace.job, command: ["/bin/sh", SandboxJob.mountPoint + "/job.sh"],
                                    network: job.network, timeout: job.timeout, logPath: workspace.log,
                                    scratchParent: scratchParent, memory: memory, shouldStop: job.shouldStop)
        sandboxJob.readOnlyBinds = staged.binds + sources.binds
        sandboxJob.limits = job.limits
        let outcome = try backend.run(sandboxJob)
        var built = FailureClassifier.classify(log: outcome.tail, exitStatus: outcome.exitStatus, timedOut: outcome.timedOut)
        // a limit the sandbox saw hit explains whatever failure followed from it
        if let limit = outcome.limitHit { built = BuildFailure(.limits, limit) }
        if !outcome.rejectedOutput.isEmpty {
            built = BuildFailure(.verification, "the build left in its output what no package is (not copied out): "
                                 + outcome.rejectedOutput.joined(separator: "; "))
        }
        let verifier = PackageVerifier(expected: job.expected, pkgbase: job.pkgbase, sizeLimit: job.packageSizeLimit)
        let verified = verifier.verify(output: workspace.output, into: workspace.packages, copying: built == nil)
        let failure = verified.failure(after: built)
        return BuildResult(pkgbase: job.pkgbase, failure: failure, packages: failure == nil ? verified.packages : [],
                           logPath: workspace.log, logTail: outcome.tail, exitStatus: outcome.exitStatus,
                           seconds: outcome.duration.seconds, assumedInstalled: assumed)
    }
}
