import Foundation

/// User Mode Linux: each run boots Debian's UML kernel (`/usr/bin/linux`) from the
/// build root's ext4 image with a copy-on-write file of its own (`ubd0=COW,IMAGE`),
/// deleted afterwards, so many runs share one image. The job directory is the only
/// host directory it is given (hostfs); there is no network device at all. Slow to
/// fork (about 20 ms a process), but a kernel of its own.
///
/// The kernel never runs as root: it and every process it forks (its helpers and the
/// host processes behind the machine's own) run as the unprivileged ``SandboxUser``,
/// with no supplementary groups, no capabilities and `no_new_privs`, under the
/// ``SyscallFilter``. What it needs is opened by root before the switch and passed as
/// descriptors (`/proc/self/fd/N`): the image read-only, the job directory, and a
/// directory of the run's own in its scratch (the copy-on-write file, UML's memory file
/// and its `uml_dir`), the last two the sandbox user's. So hostfs, which does not
/// confine a machine to its directory (a mount of `/..` climbs out), reaches no further
/// than that user may, and no parent directory needs to be open to it. Limits: `mem=`
/// (the smaller of ``SandboxJob/memory`` and the job's memory limit), the image's size
/// for the root file system, the disk limit for what the machine writes to the job
/// directory (``UMLDiskUsage``), a ``Cgroup`` for its host processes (each process of the
/// machine is one), and the timeout. See docs/sandbox.md.
public struct UMLBackend: SandboxBackend {
    public var kind: SandboxBackendKind { .uml }
    /// The UML kernel.
    public var kernel: String

    public init(kernel: String = "/usr/bin/linux") {
        self.kernel = kernel
    }

    public func run(_ job: SandboxJob) throws(SandboxError) -> SandboxOutcome {
        guard FileManager.default.isExecutableFile(atPath: kernel) else {
            throw .toolMissing(tool: kernel, package: "user-mode-linux")
        }
        guard !job.command.isEmpty else { throw .invalidJob("no command") }
        guard geteuid() == 0 else {
            throw .needsRoot(backend: .uml, reason: "the kernel runs as the unprivileged \(SandboxUser.name), and only root can start it so and hand it the job directory")
        }
        try HostCommand.require("unshare", package: "util-linux")
        try HostCommand.require("setpriv", package: "util-linux")
        let memory = try Self.machineMemory(job)
        let user = try Self.sandboxUser()
        let image = try UMLImage.ensure(job.root, readableBy: user.gid)
        // The scratch directory stays root's (it holds the lock that tells a live run's
        // scratch from a dead one's); the machine gets a directory in it.
        let scratch = try makeScratchDirectory(in: job.scratchParent, prefix: "pacbuild-uml")
        defer { UMLHostFiles.removeTree(at: scratch) }
        let machineDirectory = scratch + "/machine"
        guard mkdir(machineDirectory, 0o700) == 0, chown(machineDirectory, user.uid, user.gid) == 0 else {
            throw .io(path: machineDirectory, reason: "cannot make the machine's directory: \(String(cString: strerror(errno)))")
        }
        let jobDirectory = UMLJobDirectory(path: job.jobDirectory, user: user)
        // A person's shell sees their directory with the sandbox user's rights: it is theirs.
        if !job.interactive { try jobDirectory.handOver() }
        defer { if !job.interactive { jobDirectory.takeBack() } }
        let binds = try UMLReadOnlyBinds.materialize(job.readOnlyBinds, in: job.jobDirectory)
        defer { binds.remove() }
        try jobDirectory.writeCommand(job.command)
        defer { jobDirectory.removeRunFiles() }
        let usage = UMLDiskUsage(directory: job.jobDirectory, owner: user.uid, limit: job.limits.diskBytes)
        // Every process of the machine is a host process: the cgroup bounds how many
        // (a fork bomb inside is a fork bomb on the host), their memory and CPU share.
        let cgroup = try Cgroup.make(name: Cgroup.name(forScratch: scratch), limits: Self.cgroupLimits(job))
        defer { cgroup.remove() }
        let arguments = Self.rootStage(opening: [image, job.jobDirectory, machineDirectory], kernel: kernel, joining: cgroup.procsFiles)
            + Self.userStage(user) + [
            Self.kernelInside, "mem=\(memory >> 20)M", "ubd0=\(Self.descriptor(.machine))/build.cow,\(Self.descriptor(.image))", "root=/dev/ubda", "rw",
            "init=\(UMLInit.path)", "hostfs=\(Self.jobInside)", "con=null", job.interactive ? "con0=fd:0,fd:1" : "con0=null,fd:1",
            "quiet", "uml_dir=\(Self.descriptor(.machine))", "umid=\((scratch as NSString).lastPathComponent)",
        ]
        let launch = Launch(arguments: arguments, environment: ["PATH": "/usr/bin:/bin", "TMPDIR": Self.descriptor(.machine)],
                            termination: Self.stop(), confined: true, limitCheck: { _ in cgroup.limitHit() ?? usage.check() })
        var outcome = try execute(launch, job: job)
        if outcome.limitHit == nil { outcome.limitHit = cgroup.limitHit() }
        if outcome.limitHit == nil && !job.interactive { outcome.limitHit = usage.measure() }
        if outcome.limitHit == nil { outcome.limitHit = jobDirectory.memoryKills()?.limitHit(memory: memory) }
        // No status file: the kernel died or was stopped before the job finished.
        outcome.exitStatus = jobDirectory.status()
            ?? (outcome.timedOut || outcome.limitHit != nil ? 143 : job.interactive ? outcome.exitStatus : SandboxOutcome.setupFailedStatus)
        return outcome
    }

    /// Makes (or refreshes) the root's ext4 image now, instead of on the first build.
    public static func makeImage(for root: BuildRoot) throws(SandboxError) -> String {
        try UMLImage.ensure(root, readableBy: SandboxUser.lookup()?.gid)
    }

    /// The descriptors the root stage opens for the kernel, in this order.
    enum Descriptor: Int32 {
        case image = 3, job, machine
    }

    /// A descriptor's path for the kernel. UML keeps the image's path in the
    /// copy-on-write file's header as it resolves it (`/proc/PID/fd/3`), valid for the run.
    static func descriptor(_ descriptor: Descriptor) -> String { "/proc/self/fd/\(descriptor.rawValue)" }

    /// As root: a PID namespace whose init is the kernel, dying with the thread that
    /// started it. A waka killed outright (SIGKILL, OOM) must not leave its machine
    /// running on behind the lease another waka takes over. pdeathsig on `linux` alone is
    /// not enough: killing it leaves its helper processes behind. So the kernel runs as
    /// PID 1 of a PID namespace of its own: setpriv makes unshare die with the thread
    /// that started it, the user stage's setpriv makes the kernel die with unshare (a
    /// change of identity clears the parent-death signal `--kill-child` set), and the
    /// kernel's death takes every process of the namespace with it. In the namespace, a
    /// shell opens `paths` as ``Descriptor``s 3 to 5 (``Spawned`` passes no other
    /// descriptor above stderr) and leaves the working directory at `/` (UML returns to
    /// it by path after resolving the image's name, so it must stay open to the sandbox
    /// user).
    ///
    /// Then, still as root and in a mount namespace of the machine's own, the shell swaps
    /// the host's tree for a small one: a tmpfs holding `/usr` read-only (the programs and
    /// libraries, `/bin` and `/lib` as links into it), a `/proc` of the machine's PID
    /// namespace and `/dev/null`, `pivot_root`s into it and drops the host's tree. hostfs,
    /// which a guest can point anywhere (`/..`), finds nothing of the host's but `/usr`:
    /// not the state directory, not `/etc`, not other runs' files. The descriptors stay
    /// valid across the swap. hostfs's root is the job directory bound at ``jobInside``.
    /// First of all the shell joins the run's cgroup (`joining`: its `cgroup.procs` files).
    static func rootStage(opening paths: [String], kernel: String, joining procs: [String]) -> [String] {
        let script = """
            for f in $5; do echo $$ >"$f" || exit 125; done
            exec 3<"$1" 4<"$2" 5<"$3" || exit 125
            kernel=$(readlink -f "$4")
            set -e
            PATH=/usr/sbin:/usr/bin:/sbin:/bin
            mount -t tmpfs -o mode=755,size=1m,nosuid,nodev uml-host /mnt
            cd /mnt
            mkdir usr proc dev old job
            for l in bin sbin lib lib64; do [ ! -e "/$l" ] || ln -s "usr/$l" "$l"; done
            mount --bind /usr usr; mount -o remount,bind,ro,nosuid,nodev usr
            mount -t proc -o nosuid,nodev,noexec proc proc
            : >dev/null; mount --bind /dev/null dev/null
            mount --bind "$2" job
            : >\(kernelInside.dropFirst()); mount --bind "$kernel" \(kernelInside.dropFirst())
            pivot_root . old; umount -l /old; rmdir /old
            set +e
            cd / && shift 5 && exec "$@"
            """
        return ["setpriv", "--pdeathsig", "KILL", "unshare", "--pid", "--mount", "--propagation", "private", "--fork", "--kill-child",
                "/bin/sh", "-c", script, "uml-open"] + paths + [kernel, procs.joined(separator: " ")]
    }

    /// The job's limits for the machine's cgroup: its processes as they are, its memory
    /// with room for the kernel's own host memory beside the machine's (`mem=` is at most
    /// the limit; most of it is UML's memory file, page cache the kernel can write back).
    static func cgroupLimits(_ job: SandboxJob) -> SandboxLimits {
        var limits = job.limits
        limits.memoryBytes = limits.memoryBytes.addingReportingOverflow(256 << 20).overflow ? .max : limits.memoryBytes + (256 << 20)
        return limits
    }

    /// Where the kernel binary is bound in the machine's small tree (the configured path
    /// may be a link through `/etc/alternatives`, which is not there).
    static let kernelInside = "/linux"
    /// Where the job directory is bound in that tree, hostfs's root: `..` from it is the
    /// small tree's root, never the host's directory around the job (which the
    /// descriptor's path would climb to).
    static let jobInside = "/job"

    /// As the sandbox user from here on: real, effective and saved ids, no supplementary
    /// groups, no capabilities in any set, `no_new_privs`, the parent-death signal again.
    static func userStage(_ user: SandboxUser) -> [String] {
        ["setpriv", "--pdeathsig", "KILL", "--reuid", "\(user.uid)", "--regid", "\(user.gid)", "--clear-groups",
         "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    }

    /// The machine's memory (`mem=`, whole MiB): the smaller of the job's UML memory
    /// (`512M`, `2G`) and its memory limit.
    static func machineMemory(_ job: SandboxJob) throws(SandboxError) -> UInt64 {
        guard let asked = parseMemory(job.memory) else {
            throw .invalidJob("UML memory '\(job.memory)' is not a size (digits, then K, M or G)")
        }
        return max(min(asked, job.limits.memoryBytes) >> 20, 1) << 20
    }

    /// Bytes of `512M`, `2G`, `65536K` or plain digits.
    static func parseMemory(_ text: String) -> UInt64? {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        guard let last = text.uppercased().last else { return nil }
        let unit = units[last]
        guard let number = UInt64(unit == nil ? text : String(text.dropLast())) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: unit ?? 1)
        return overflow ? nil : bytes
    }

    private static let userLock = NSLock()

    /// The sandbox user, made on first use. One at a time in this process: two runs
    /// making it at once would both call `useradd`. Another process that made it
    /// meanwhile is no error.
    static func sandboxUser() throws(SandboxError) -> SandboxUser {
        userLock.lock()
        defer { userLock.unlock() }
        do { return try SandboxUser.ensure() } catch {
            if let user = SandboxUser.lookup() { return user }
            throw error
        }
    }

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

/// The backend puts the binds in the job directory itself (``UMLReadOnlyBinds``).
extension UMLBackend: ShowsReadOnlyBinds {}

/// `'text'` for `sh`, with embedded quotes closed and escaped.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
