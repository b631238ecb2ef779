import Foundation
import Graph

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
        sandboxJob.personality = Personality.forBuild(carch: job.carch)
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
        var failure = verified.failure(after: built)
        var findings: [String] = []
        if failure == nil, let check = job.architectureCheck, check.mode != .off {
            (failure, findings) = checkArchitecture(verified.packages.map(\.path), check, log: workspace.log)
        }
        var result = BuildResult(pkgbase: job.pkgbase, failure: failure, packages: failure == nil ? verified.packages : [],
                                 logPath: workspace.log, logTail: outcome.tail, exitStatus: outcome.exitStatus,
                                 seconds: outcome.duration.seconds, assumedInstalled: assumed)
        result.architectureFindings = findings
        return result
    }

    /// Runs ``ISAScan`` over the verified packages and notes each violation in the log:
    /// a failure of class `arch` when the check says `fail`, warnings otherwise. A check
    /// that cannot run fails the build as `sandbox` (the packages were not checked).
    private func checkArchitecture(_ packages: [String], _ check: ArchitectureCheck,
                                   log: String) -> (BuildFailure?, [String]) {
        let scan = ISAScan(backend: backend, root: root, scratchParent: scratchParent, memory: memory)
        let violations: [ISAViolation]
        do {
            violations = try scan.violations(in: packages, level: check.level, directory: workDirectory + "/isa")
        } catch {
            Self.appendToLog(log, ["\(ArchitectureCheck.logMarker) could not run: \(error)"])
            return (BuildFailure(.sandbox, "the architecture check could not run: \(error)"), [])
        }
        let findings = violations.map(\.description)
        guard !findings.isEmpty else {
            Self.appendToLog(log, ["pacbuild: architecture check: every ELF file runs on \(check.level.rawValue)"])
            return (nil, [])
        }
        let verdict = check.mode == .fail ? "error" : "warning"
        Self.appendToLog(log, findings.map { "\(ArchitectureCheck.logMarker) \(verdict): beyond \(check.level.rawValue): \($0)" })
        guard check.mode == .fail else { return (nil, findings) }
        let shown = findings.prefix(10).joined(separator: "; ") + (findings.count > 10 ? "; and \(findings.count - 10) more files" : "")
        return (BuildFailure(.arch, "\(findings.count) ELF file\(findings.count == 1 ? "" : "s") beyond isa \(check.level.rawValue): \(shown)"), findings)
    }

    /// Lines of pacbuild's own at the end of the build log (the sandbox has ended; the
    /// host alone writes it now).
    static func appendToLog(_ path: String, _ lines: [String]) {
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(lines.map { ArchitectureCheck.logPrefix + $0 + "\n" }.joined().utf8))
    }
}
