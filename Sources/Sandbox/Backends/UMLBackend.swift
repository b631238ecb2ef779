import Foundation

/// User Mode Linux: each run boots Debian's UML kernel (`/usr/bin/linux`) from the
/// build root's ext4 image with a copy-on-write file of its own (`ubd0=COW,IMAGE`),
/// deleted afterwards, so many runs share one image. The job directory is the only
/// host directory it sees (hostfs restricted by `hostfs=PREFIX`); there is no network
/// device at all. Slow to fork (about 20 ms a process), but a kernel of its own.
public struct UMLBackend: SandboxBackend {
    public var kind: SandboxBackendKind { .uml }
    /// UML's `uml_dir`, where it keeps its per-instance control sockets.
    public let umlDirectory: String
    /// The UML kernel.
    public var kernel: String

    public init(umlDirectory: String, kernel: String = "/usr/bin/linux") {
        self.umlDirectory = umlDirectory
        self.kernel = kernel
    }

    public func run(_ job: SandboxJob) throws(SandboxError) -> SandboxOutcome {
        guard FileManager.default.isExecutableFile(atPath: kernel) else {
            throw .toolMissing(tool: kernel, package: "user-mode-linux")
        }
        guard !job.command.isEmpty else { throw .invalidJob("no command") }
        try HostCommand.require("unshare", package: "util-linux")
        let image = try UMLImage.ensure(job.root)
        try makeDirectory(umlDirectory)
        let scratch = try makeScratchDirectory(in: job.scratchParent, prefix: "pacbuild-uml")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let commandFile = job.jobDirectory + "/" + UMLInit.commandFile
        let statusFile = job.jobDirectory + "/" + UMLInit.statusFile
        unlink(statusFile)
        let text = "cd \(SandboxJob.mountPoint)\nexec \(job.command.map(shellQuoted).joined(separator: " "))\n"
        guard FileManager.default.createFile(atPath: commandFile, contents: Data(text.utf8)) else {
            throw .io(path: commandFile, reason: "cannot write the UML command file")
        }
        defer { unlink(commandFile); unlink(statusFile) }
        let console = job.interactive ? "con0=fd:0,fd:1" : "con0=null,fd:1"
        // A waka killed outright (SIGKILL, OOM) must not leave its machine running on
        // behind the lease another waka takes over. pdeathsig on `linux` alone is not
        // enough: killing it leaves its helper processes (ubd, sigio) behind. So the
        // kernel runs as PID 1 of a PID namespace of its own: setpriv makes unshare die
        // with the thread that started it, --kill-child kills the kernel then, and the
        // kernel's death takes every process of the namespace with it.
        let arguments = ["setpriv", "--pdeathsig", "KILL", "unshare", "--pid", "--fork", "--kill-child", kernel, "mem=\(job.memory)", "ubd0=\(scratch)/build.cow,\(image)", "root=/dev/ubda", "rw",
                         "init=\(UMLInit.path)", "hostfs=\(job.jobDirectory)", "con=null", console, "quiet",
                         "uml_dir=\(umlDirectory)", "umid=\((scratch as NSString).lastPathComponent)"]
        var outcome = try execute(Launch(arguments: arguments, environment: ["PATH": "/usr/bin:/bin", "TMPDIR": scratch],
                                         termination: Self.stop()), job: job)
        let status = (try? String(contentsOfFile: statusFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        // No status file: the kernel died or was stopped before the job finished.
        outcome.exitStatus = status ?? (outcome.timedOut ? 143 : SandboxOutcome.setupFailedStatus)
        return outcome
    }

    /// Makes (or refreshes) the root's ext4 image now, instead of on the first build.
    public static func makeImage(for root: BuildRoot) throws(SandboxError) -> String { try UMLImage.ensure(root) }

    /// SIGTERM to UML's main process (the child of `unshare`), which shuts the machine
    /// down and takes its helpers with it; SIGKILL to it if it hangs (it is its PID
    /// namespace's init, so its helpers die with it; it runs in a session of its own,
    /// which a signal to `unshare`'s group would miss), and to that group last.
    static func stop(grace: Duration = .seconds(10)) -> Termination {
        Termination { pid in
            let kernels = childProcesses(of: pid)
            kernels.forEach { kill($0, SIGTERM) }
            if waitForExit(pid, within: grace) { return }
            kernels.forEach { kill($0, SIGKILL) }
            if waitForExit(pid, within: grace) { return }
            kill(-pid, SIGKILL)
        }
    }
}

/// `'text'` for `sh`, with embedded quotes closed and escaped.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
