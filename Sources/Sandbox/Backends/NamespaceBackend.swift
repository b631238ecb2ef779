import Foundation

/// Linux namespaces (mount, PID, network, IPC, UTS) over an overlayfs whose upper
/// layer is a fresh scratch directory: the build root is never written, and a run's
/// changes vanish with its scratch. Set-up is a few mounts, tens of milliseconds,
/// against seconds for copying a root as makechrootpkg does without btrfs.
///
/// As root it uses `unshare` and the kernel's overlayfs directly. As another user it
/// uses bubblewrap over a read-only bind of the root: bubblewrap 0.8 (Debian 12) has no
/// overlay option, so such a sandbox cannot install dependencies into the root; builds
/// with dependencies need root.
public struct NamespaceBackend: SandboxBackend {
    public var kind: SandboxBackendKind { .namespace }
    /// Whether to use bubblewrap even as root (for testing the unprivileged path).
    public var forceBubblewrap: Bool

    public init(forceBubblewrap: Bool = false) { self.forceBubblewrap = forceBubblewrap }

    public func run(_ job: SandboxJob) throws(SandboxError) -> SandboxOutcome {
        guard !job.command.isEmpty else { throw .invalidJob("no command") }
        if forceBubblewrap || geteuid() != 0 { return try runBubblewrap(job) }
        try HostCommand.require("unshare", package: "util-linux")
        let scratch = try makeScratchDirectory(in: job.scratchParent, prefix: "pacbuild-ns")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for part in ["upper", "work", "merged"] {
            try? FileManager.default.createDirectory(atPath: scratch + "/" + part, withIntermediateDirectories: false)
        }
        var namespaces = ["--mount", "--pid", "--ipc", "--uts"]
        if !job.network { namespaces.append("--net") }
        // A waka killed outright (SIGKILL, OOM) must not leave its build running on: its
        // lease expires and another waka builds it. setpriv makes unshare die with its
        // parent thread, and --kill-child takes the namespace's init (so the whole PID
        // namespace) with it.
        let arguments = ["setpriv", "--pdeathsig", "KILL", "unshare", "--kill-child"] + namespaces
            + ["--fork", "--propagation", "private", "/bin/sh", "-c", NamespaceScripts.setup,
               "setup", job.root.rootfs, scratch + "/upper", scratch + "/work", scratch + "/merged",
               job.jobDirectory, job.network ? "1" : "0", job.interactive ? "1" : "0"] + job.command
        var environment = sandboxEnvironment
        environment["INIT"] = NamespaceScripts.initScript
        if job.interactive, let term = ProcessInfo.processInfo.environment["TERM"] { environment["TERM"] = term }
        return try execute(Launch(arguments: arguments, environment: environment, termination: Self.stopInit()), job: job)
    }

    /// SIGTERM to the namespace's init (the child of `unshare`), which passes it on;
    /// SIGKILL to it after a grace period, which kills every process in the namespace.
    static func stopInit(grace: Duration = .seconds(5)) -> Termination {
        Termination { unsharePID in
            let inits = childProcesses(of: unsharePID)
            inits.forEach { kill($0, SIGTERM) }
            if waitForExit(unsharePID, within: grace) { return }
            inits.forEach { kill($0, SIGKILL) }
            kill(-unsharePID, SIGKILL)
        }
    }

    /// The unprivileged path: bubblewrap over the root read-only, with a writable `/tmp`.
    /// Each top-level entry of the root is bound (or, for a symlink, recreated) on
    /// bubblewrap's own tmpfs root rather than the root bound at `/`, because the
    /// mount point ``SandboxJob/mountPoint`` is not in the root and a read-only `/`
    /// could not get it; `/` is remounted read-only once it has.
    private func runBubblewrap(_ job: SandboxJob) throws(SandboxError) -> SandboxOutcome {
        try HostCommand.require("bwrap", package: "bubblewrap")
        var arguments = ["bwrap", "--unshare-all", "--die-with-parent"]
        arguments += try Self.rootBinds(job.root.rootfs)
        arguments += ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--bind", job.jobDirectory, SandboxJob.mountPoint,
                      "--remount-ro", "/", "--hostname", "pacbuild", "--chdir", SandboxJob.mountPoint]
        if job.network { arguments.append("--share-net") }
        arguments += job.command
        return try execute(Launch(arguments: arguments, environment: sandboxEnvironment,
                                  termination: .processGroup()), job: job)
    }

    /// bubblewrap arguments that rebuild the root's top level read-only: `--ro-bind` for
    /// directories and files, `--symlink` for links (`/bin` -> `usr/bin`); `/dev`, `/proc`
    /// and `/tmp` are bubblewrap's own.
    static func rootBinds(_ rootfs: String) throws(SandboxError) -> [String] {
        let manager = FileManager.default
        let entries: [String]
        do { entries = try manager.contentsOfDirectory(atPath: rootfs).sorted() } catch {
            throw .io(path: rootfs, reason: "cannot list the build root: \(error.localizedDescription)")
        }
        return entries.filter { !["dev", "proc", "tmp", String(SandboxJob.mountPoint.dropFirst())].contains($0) }.flatMap { entry in
            let path = rootfs + "/" + entry
            if let target = try? manager.destinationOfSymbolicLink(atPath: path) {
                return ["--symlink", target, "/" + entry]
            }
            return ["--ro-bind", path, "/" + entry]
        }
    }
}
