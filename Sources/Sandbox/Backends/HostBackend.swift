/// No isolation at all: the command runs on the host in the job directory. For
/// developing pacbuild on a machine without namespaces; it must be asked for
/// explicitly (`--unsafe-host`), since a PKGBUILD can then change the host. The job
/// directory is not at ``SandboxJob/mountPoint`` here but in `$PACBUILD_JOB`, so
/// ``SandboxBuild`` (whose scripts name `/pacbuild`) refuses this backend.
public struct HostBackend: SandboxBackend {
    public var kind: SandboxBackendKind { .host }
    private let acknowledgedUnsafe: Bool

    /// Refuses to run unless `acknowledgedUnsafe` (the `--unsafe-host` flag) is true.
    public init(acknowledgedUnsafe: Bool) { self.acknowledgedUnsafe = acknowledgedUnsafe }

    public func run(_ job: SandboxJob) throws(SandboxError) -> SandboxOutcome {
        guard acknowledgedUnsafe else { throw .unsafeHostRefused }
        guard !job.command.isEmpty else { throw .invalidJob("no command") }
        let arguments = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", job.jobDirectory] + job.command
        // The job's paths name /pacbuild; on the host it is wherever the job directory is.
        var environment = sandboxEnvironment
        environment["PACBUILD_JOB"] = job.jobDirectory
        return try execute(Launch(arguments: arguments, environment: environment, termination: .processGroup()), job: job)
    }
}
