import Foundation

/// Linux namespaces over an overlayfs of the build root, rootless inside: root in the
/// sandbox is the first subordinate id of the `pacbuild-sandbox` user (``SandboxUser``)
/// in a user namespace of its own, so neither a build nor a dependency's install
/// scriptlet holds any capability of the host's. Around that: `no_new_privs` and a
/// seccomp filter (``SyscallFilter``), a cgroup with the job's memory, process and CPU
/// limits (``Cgroup``), a disk of the job's size for everything it writes (an ext4 image,
/// loop-mounted in a mount namespace of the sandbox's own), fresh `/proc` and `/dev`,
/// read-only `/proc/sys` and `/sys`, a network namespace of its own (with only `lo`, or
/// with a NAT'ed `tap0` through slirp4netns when the job allows the network). Only the
/// regular files of the job's `out/` come back. See docs/sandbox.md for the threats
/// each part answers.
///
/// As another user than root it uses bubblewrap over a read-only bind of the root
/// (bubblewrap 0.8 has no overlay option, so such a sandbox cannot install dependencies;
/// builds with dependencies need root).
public struct NamespaceBackend: SandboxBackend {
    public var kind: SandboxBackendKind { .namespace }
    /// Whether to use bubblewrap even as root (for testing the unprivileged path).
    public var forceBubblewrap: Bool

    public init(forceBubblewrap: Bool = false) { self.forceBubblewrap = forceBubblewrap }

    public func run(_ job: SandboxJob) throws(SandboxError) -> SandboxOutcome {
        guard !job.command.isEmpty else { throw .invalidJob("no command") }
        if forceBubblewrap || geteuid() != 0 { return try runBubblewrap(job) }
        try HostCommand.require("unshare", package: "util-linux")
        try HostCommand.require("mkfs.ext4", package: "e2fsprogs")
        if job.network { try HostCommand.require("slirp4netns", package: "slirp4netns") }
        for bind in job.readOnlyBinds where !bind.inside.hasPrefix(SandboxJob.mountPoint + "/") || bind.inside.contains("/../") {
            throw .invalidJob("a read-only bind must be below \(SandboxJob.mountPoint): \(bind.inside)")
        }
        let user = try SandboxUser.ensure()
        let shifted = try ShiftedRoot.use(job.root, user: user)  // held until this run ends
        defer { withExtendedLifetime(shifted) {} }
        let lower = shifted.path
        let scratch = try makeScratchDirectory(in: job.scratchParent, prefix: "pacbuild-ns")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        chmod(scratch, 0o711)  // root inside passes through to its disk; nothing here is listed or readable
        let disk = scratch + "/" + NamespaceScripts.diskMount
        try makeDirectory(disk)
        try writeIDMapHelpers(into: scratch + "/bin")
        try makeSparseFile(scratch + "/" + NamespaceScripts.diskImage, size: job.limits.diskBytes)
        let table = NamespaceScripts.mountTable(lower: lower, disk: disk,
                                                sysrqTrigger: FileManager.default.fileExists(atPath: "/proc/sysrq-trigger"))
        let pools = NamespaceScripts.poolTable(disk: disk, binds: job.readOnlyBinds)
        guard FileManager.default.createFile(atPath: scratch + "/" + NamespaceScripts.poolMountTable, contents: Data(pools.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw .io(path: scratch + "/" + NamespaceScripts.poolMountTable, reason: "cannot write the sandbox's pool mount table")
        }
        guard FileManager.default.createFile(atPath: scratch + "/" + NamespaceScripts.mountTable, contents: Data(table.utf8),
                                             attributes: [.posixPermissions: 0o644]) else {
            throw .io(path: scratch + "/" + NamespaceScripts.mountTable, reason: "cannot write the sandbox's mount table")
        }
        // root inside owns the job directory and what the build writes (src/, out/); the
        // rest (scripts, configuration, repository databases) stays the host's, read-only
        if !job.interactive {
            try ShiftedRoot.chown([job.jobDirectory, job.jobDirectory + "/src", job.jobDirectory + "/out"],
                                  uid: user.firstSubordinateUID, gid: user.firstSubordinateGID)
        }
        let cgroup = try Cgroup.make(name: Cgroup.name(forScratch: scratch), limits: job.limits)
        defer { cgroup.remove() }
        let arguments = job.personality.prefix + ["setpriv", "--pdeathsig", "KILL", "--clear-groups",
                         "unshare", "--mount", "--propagation", "private", "--fork", "--kill-child",
                         "/bin/sh", "-c", NamespaceScripts.outer, "outer", NamespaceScripts.initScript, NamespaceScripts.setup,
                         scratch, job.jobDirectory, "\(user.firstSubordinateUID)", "\(user.firstSubordinateGID)",
                         job.network ? "1" : "0", job.interactive ? "1" : "0", cgroup.procsFiles.joined(separator: " ")]
            + job.command
        var environment = sandboxEnvironment
        if job.interactive, let term = ProcessInfo.processInfo.environment["TERM"] { environment["TERM"] = term }
        let limits = job.limits
        let check = { (pid: pid_t) -> String? in
            cgroup.limitHit() ?? DiskLimit.hit(path: "/proc/\(pid)/root" + disk, limit: limits.diskBytes)
        }
        var outcome = try execute(Launch(arguments: arguments, environment: environment, termination: Self.stopInit(),
                                         confined: true, limitCheck: check), job: job)
        if let text = try? SafeRead.smallFile(at: scratch + "/" + NamespaceScripts.rejectedOutputFile, limit: 1 << 20) {
            outcome.rejectedOutput = String(decoding: text, as: UTF8.self).split(separator: "\n").prefix(20).map(String.init)
        }
        if outcome.limitHit == nil {
            outcome.limitHit = cgroup.limitHit() ?? DiskLimit.hit(usageFile: scratch + "/" + NamespaceScripts.diskUsageFile, limit: limits.diskBytes)
        }
        return outcome
    }

    private func makeSparseFile(_ path: String, size: UInt64) throws(SandboxError) {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot create the run's disk: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else {
            throw .io(path: path, reason: "cannot size the run's disk: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes the two helpers with a descriptor of its own that no other thread's child
    /// inherits (`O_CLOEXEC`): a write descriptor of a helper held open by a sandbox
    /// started at the same moment would make `unshare` fail to run it ("Text file busy").
    private func writeIDMapHelpers(into directory: String) throws(SandboxError) {
        try makeDirectory(directory)
        for (tool, file) in [("newuidmap", "uid_map"), ("newgidmap", "gid_map")] {
            let path = directory + "/" + tool
            let bytes = Array(NamespaceScripts.idMapHelper(file).utf8)
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o700)
            guard fd >= 0 else { throw .io(path: path, reason: "cannot write the id map helper: \(String(cString: strerror(errno)))") }
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == bytes.count else { throw .io(path: path, reason: "cannot write the id map helper") }
        }
    }

    /// SIGTERM to the namespace's init (PID 1 of the sandbox's PID namespace, found below
    /// the started process), which passes it on; SIGKILL to it after a grace period, which
    /// kills every process in the namespace; the outer stage then ends by itself.
    static func stopInit(grace: Duration = .seconds(5)) -> Termination {
        Termination { started in
            let inits = namespaceInits(below: started)
            inits.forEach { kill($0, SIGTERM) }
            if waitForExit(started, within: grace) { return }
            inits.forEach { kill($0, SIGKILL) }
            if waitForExit(started, within: grace) { return }
            kill(-started, SIGKILL)
        }
    }

    /// The processes below `pid` that are PID 1 of a PID namespace (`NSpid: N 1`).
    static func namespaceInits(below pid: pid_t) -> [pid_t] {
        var found: [pid_t] = [], pending = [pid]
        while let next = pending.popLast() {
            for child in childProcesses(of: next) {
                let status = (try? String(contentsOfFile: "/proc/\(child)/status", encoding: .utf8)) ?? ""
                let nspid = status.split(separator: "\n").first { $0.hasPrefix("NSpid:") }?.split(whereSeparator: { $0 == "\t" || $0 == " " }) ?? []
                if nspid.count > 2, nspid.last == "1" { found.append(child) } else { pending.append(child) }
            }
        }
        return found
    }

    /// The unprivileged path: bubblewrap over the root read-only, with a writable `/tmp`.
    /// Each top-level entry of the root is bound (or, for a symlink, recreated) on
    /// bubblewrap's own tmpfs root rather than the root bound at `/`, because the
    /// mount point ``SandboxJob/mountPoint`` is not in the root and a read-only `/`
    /// could not get it; `/` is remounted read-only once it has.
    private func runBubblewrap(_ job: SandboxJob) throws(SandboxError) -> SandboxOutcome {
        try HostCommand.require("bwrap", package: "bubblewrap")
        var arguments = job.personality.prefix + ["bwrap", "--unshare-all", "--die-with-parent"]
        arguments += try Self.rootBinds(job.root.rootfs)
        arguments += ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--bind", job.jobDirectory, SandboxJob.mountPoint,
                      "--remount-ro", "/", "--hostname", "pacbuild", "--chdir", SandboxJob.mountPoint]
        arguments += job.readOnlyBinds.flatMap { ["--ro-bind", $0.host, $0.inside] }
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

/// The mount table binds each pool read-only (``NamespaceScripts/mountTable``), as
/// bubblewrap's `--ro-bind` does without root.
extension NamespaceBackend: ShowsReadOnlyBinds {}
