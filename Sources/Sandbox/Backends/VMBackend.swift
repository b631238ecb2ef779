import Foundation

/// A throw-away virtual machine per build: QEMU (KVM, or TCG where the host has no usable
/// KVM: ``VMAccelerator``) boots Debian's kernel (``VMKernel``) straight into pacbuild's
/// own init (``VMInit``) on a `q35` machine with nothing but three virtio disks and a
/// serial console, which is the build log:
///
/// - `vda`: the build root, a qcow2 overlay of the root's ext4 image (``UMLImage``: made
///   once per root version by `mkfs.ext4 -d`, shared read-only by every run, UML's too),
///   the run's copy-on-write file, deleted with the run's scratch;
/// - `vdb`: the job disk, an ext4 image made from the job directory (with the read-only
///   binds put in place as for UML) of the disk limit's size: a copy, so nothing the
///   guest does reaches the job directory, the pools or any other host file;
/// - `vdc`: the output disk, raw, where the init leaves the command's status, the limits
///   it saw hit and a tar of `out/`; ``VMOutputDisk`` copies the regular files of it
///   into the host's `out/`, ``PackageVerifier`` checks them as for every backend.
///
/// No network device (`-nic none`, `-nodefaults`). The QEMU process runs as the
/// unprivileged ``SandboxUser`` (group `kvm` kept when KVM is used, nothing else),
/// without capabilities, under `no_new_privs`, the ``SyscallFilter`` and QEMU's own
/// seccomp sandbox, in a mount namespace whose tree is `/usr` read-only, `/proc`,
/// `/dev/null`, `/dev/urandom` (and `/dev/kvm`), as PID 1 of a PID namespace that dies
/// with its caller (as ``UMLBackend``'s kernel does); its files are handed to it as
/// descriptors. A ``Cgroup`` bounds its host memory (the guest's plus QEMU's own),
/// threads and CPU share. Memory, processes and `/tmp` inside are the job's limits, the
/// vCPUs ``SandboxLimits/vmCPUs``; a hang or a kernel panic ends at the timeout.
public struct VMBackend: SandboxBackend {
    public var kind: SandboxBackendKind { .vm }
    /// Where the kernels are kept (`STATE/vm/`).
    public var stateDirectory: String

    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    /// Memory the guest's kernel and init get on top of the build's limit.
    static let guestOverhead: UInt64 = 192 << 20
    /// Host memory QEMU itself may use beside the guest's (TCG's translation cache is
    /// bounded at 128 MiB below).
    static let qemuOverhead: UInt64 = 384 << 20
    /// The output disk's size at most: packages larger than this cannot come out.
    static let maxOutputBytes: UInt64 = 8 << 30

    public func run(_ job: SandboxJob) throws(SandboxError) -> SandboxOutcome {
        guard !job.command.isEmpty else { throw .invalidJob("no command") }
        guard !job.interactive else { throw .invalidJob("the vm backend runs no interactive shell; use the namespace or uml backend") }
        guard geteuid() == 0 else {
            throw .needsRoot(backend: .vm, reason: "QEMU runs as the unprivileged \(SandboxUser.name), and only root can start it so")
        }
        for tool in ["unshare", "setpriv"] { try HostCommand.require(tool, package: "util-linux") }
        try HostCommand.require("qemu-img", package: "qemu-utils")
        try HostCommand.require("mkfs.ext4", package: "e2fsprogs")
        let architecture = try Self.architecture(of: job.root)
        try HostCommand.require(architecture.qemu, package: "qemu-system-x86")
        let kernel = try VMKernel.ensure(architecture, stateDirectory: stateDirectory)
        let user = try UMLBackend.sandboxUser()
        let accelerator = VMAccelerator.current
        let kvmGroup = accelerator.isKVM ? try VMAccelerator.kvmGroup() : nil
        let image = try UMLImage.ensure(job.root, readableBy: user.gid)

        let scratch = try makeScratchDirectory(in: job.scratchParent, prefix: "pacbuild-vm")
        defer { UMLHostFiles.removeTree(at: scratch) }
        let machine = scratch + "/machine"
        guard mkdir(machine, 0o700) == 0 else { throw .io(path: machine, reason: "cannot make the machine's directory: \(errnoText())") }
        let disks = VMDisks(machine: machine)
        try disks.makeOverlay(of: image)
        let binds = try UMLReadOnlyBinds.materialize(job.readOnlyBinds, in: job.jobDirectory)
        do {
            try disks.makeJobDisk(from: job.jobDirectory, command: job.command, size: job.limits.diskBytes)
        } catch {
            binds.remove()
            throw error
        }
        binds.remove()
        let outputSize = min(job.limits.diskBytes, Self.maxOutputBytes)
        try disks.makeOutputDisk(size: outputSize)
        try disks.handOver(to: user)

        let guestMemory = job.limits.memoryBytes + Self.guestOverhead
        var hostLimits = job.limits
        hostLimits.memoryBytes = guestMemory + Self.qemuOverhead
        hostLimits.maxProcesses = max(job.limits.maxProcesses, 256)
        let cgroup = try Cgroup.make(name: Cgroup.name(forScratch: scratch), limits: hostLimits)
        defer { cgroup.remove() }

        let arguments = VMLaunch.rootStage(base: image, kernel: kernel, machine: machine, joining: cgroup.procsFiles, kvm: kvmGroup != nil)
            + VMLaunch.userStage(user, kvmGroup: kvmGroup)
            + VMLaunch.qemu(architecture: architecture, accelerator: accelerator, memory: guestMemory,
                            cpus: job.limits.vmCPUs, limits: job.limits, outputSize: outputSize)
        let launch = Launch(arguments: arguments, environment: ["PATH": "/usr/bin:/bin"], termination: UMLBackend.stop(grace: .seconds(3)),
                            confined: true, limitCheck: { _ in cgroup.limitHit() })
        var outcome = try execute(launch, job: job)
        let hostLimit = cgroup.limitHit()

        // The host's out/ is empty: the guest worked on a copy. Its regular files come
        // from the output disk, read as the hostile data it is.
        let output = job.jobDirectory + "/out"
        UMLHostFiles.removeTree(at: output)
        guard mkdir(output, 0o755) == 0 else { throw .io(path: output, reason: "cannot make it again: \(errnoText())") }
        let contents = try VMOutputDisk.read(disks.output, into: output, sizeLimit: outputSize)
        outcome.rejectedOutput = contents.rejected
        outcome.limitHit = Self.limitHit(contents, limits: job.limits) ?? (hostLimit.map { "the virtual machine's \($0)" })
        outcome.exitStatus = contents.status
            ?? (outcome.timedOut || outcome.limitHit != nil ? 143 : SandboxOutcome.setupFailedStatus)
        return outcome
    }

    /// The limit the guest's init saw hit, as the namespace backend words it.
    static func limitHit(_ contents: VMOutputDisk.Contents, limits: SandboxLimits) -> String? {
        if contents.counter("oom_kill") > 0 {
            return "memory limit of \(Cgroup.mebibytes(limits.memoryBytes)) reached: the kernel killed a process of the build"
        }
        if contents.counter("pids_max") > 0 {
            return "process limit of \(limits.maxProcesses) reached: the build tried to run more processes at once"
        }
        for key in ["job_free_kb", "tmp_free_kb"] {
            if let free = contents.header[key].flatMap({ UInt64($0) }), let hit = DiskLimit.verdict(available: free << 10, limit: limits.diskBytes) {
                return hit
            }
        }
        return nil
    }

    /// The guest's architecture, from the ELF header of the root's `/bin/sh`: a 32-bit
    /// x86 root boots the 32-bit kernel in `qemu-system-i386`.
    static func architecture(of root: BuildRoot) throws(SandboxError) -> VMKernel.Architecture {
        let shell = root.rootfs + "/bin/sh"
        guard let handle = FileHandle(forReadingAtPath: shell), let header = try? handle.read(upToCount: 20), header.count == 20 else {
            throw .io(path: shell, reason: "cannot read the root's shell to tell its architecture")
        }
        try? handle.close()
        let bytes = [UInt8](header)
        guard bytes[0..<4] == [0x7F, 0x45, 0x4C, 0x46] else { throw .io(path: shell, reason: "is not an ELF program") }
        switch (bytes[4], UInt16(bytes[18]) | UInt16(bytes[19]) << 8) {
        case (2, 62): return .x86_64
        case (1, 3): return .i686
        case (let elfClass, let machine):
            throw .io(path: shell, reason: "is built for ELF class \(elfClass), machine \(machine): the vm backend runs x86_64 and i386 roots")
        }
    }

    /// Makes the root's base image and the guest kernel now, instead of on the first build.
    public static func prepare(for root: BuildRoot, stateDirectory: String) throws(SandboxError) {
        _ = try UMLBackend.makeImage(for: root)
        _ = try VMKernel.ensure(architecture(of: root), stateDirectory: stateDirectory)
    }
}

/// The backend puts the binds in the job disk itself (``UMLReadOnlyBinds``, then copied).
extension VMBackend: ShowsReadOnlyBinds {}
