import Foundation

/// The command line that starts a VM: root's stage (namespaces, cgroup, descriptors, a
/// small tree), the sandbox user's, then QEMU.
enum VMLaunch {
    /// The descriptors the root stage opens for QEMU, in this order.
    enum Descriptor: Int32 {
        case base = 3, kernel, initrd, machine
        var path: String { "/proc/self/fd/\(rawValue)" }
    }

    /// As root, as ``UMLBackend/rootStage(opening:kernel:joining:)`` does for UML: join
    /// the run's cgroup, become PID 1's parent of a PID namespace that dies with the
    /// calling thread, open the base image, kernel, initramfs and machine directory as
    /// ``Descriptor``s, and swap the host's tree for a tmpfs holding `/usr` read-only
    /// (QEMU, its libraries and firmware), `/proc`, `/dev/null`, `/dev/urandom` and, for
    /// KVM, `/dev/kvm`.
    static func rootStage(base: String, kernel: VMKernel, machine: String, joining procs: [String], kvm: Bool) -> [String] {
        let script = """
            for f in $5; do echo $$ >"$f" || exit 125; done
            exec 3<"$1" 4<"$2" 5<"$3" 6<"$4" || exit 125
            set -e
            PATH=/usr/sbin:/usr/bin:/sbin:/bin
            mount -t tmpfs -o mode=755,size=1m,nosuid,nodev vm-host /mnt
            cd /mnt
            mkdir usr proc dev old
            for l in bin sbin lib lib64; do [ ! -e "/$l" ] || ln -s "usr/$l" "$l"; done
            mount --bind /usr usr; mount -o remount,bind,ro,nosuid,nodev usr
            mount -t proc -o nosuid,nodev,noexec proc proc
            for d in null urandom; do : >dev/$d; mount --bind /dev/$d dev/$d; done
            if [ "$6" = 1 ]; then : >dev/kvm; mount --bind /dev/kvm dev/kvm; fi
            pivot_root . old; umount -l /old; rmdir /old
            set +e
            cd / && shift 6 && exec "$@"
            """
        return ["setpriv", "--pdeathsig", "KILL", "unshare", "--pid", "--mount", "--propagation", "private", "--fork", "--kill-child",
                "/bin/sh", "-c", script, "vm-open", base, kernel.kernel, kernel.initrd, machine, procs.joined(separator: " "), kvm ? "1" : "0"]
    }

    /// As the sandbox user: no supplementary group but `kvm` when KVM is used, no
    /// capabilities, `no_new_privs`, the parent-death signal again.
    static func userStage(_ user: SandboxUser, kvmGroup: gid_t?) -> [String] {
        ["setpriv", "--pdeathsig", "KILL", "--reuid", "\(user.uid)", "--regid", "\(user.gid)"]
            + (kvmGroup.map { ["--groups", "\($0)"] } ?? ["--clear-groups"])
            + ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    }

    /// QEMU itself: a q35 machine without default devices, firmware configuration files or
    /// network, the kernel booted directly, three virtio disks at fixed slots (`vda` the
    /// root overlay, `vdb` the job disk, `vdc` the output disk), the serial console on
    /// standard output, QEMU's own seccomp sandbox on.
    static func qemu(architecture: VMKernel.Architecture, accelerator: VMAccelerator, memory: UInt64, cpus: UInt32,
                     limits: SandboxLimits, outputSize: UInt64) -> [String] {
        let machine = Descriptor.machine.path
        let commandLine = [
            "console=ttyS0", "quiet", "reboot=t", "panic=0", "rootwait",
            "pb_mem=\(limits.memoryBytes)", "pb_pids=\(limits.maxProcesses)", "pb_tmp=\(max(limits.diskBytes >> 20, 16))",
        ].joined(separator: " ")
        var arguments = [
            architecture.qemu, "-M", "q35", "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
            "-m", "\(memory >> 20)M", "-smp", "\(max(cpus, 1))",
            "-serial", "stdio", "-nic", "none",
            "-kernel", Descriptor.kernel.path, "-initrd", Descriptor.initrd.path, "-append", commandLine,
            "-blockdev", "driver=file,filename=\(Descriptor.base.path),node-name=base-file,read-only=on,locking=off",
            "-blockdev", "driver=raw,file=base-file,node-name=base,read-only=on",
            "-blockdev", "driver=file,filename=\(machine)/root.qcow2,node-name=root-file,locking=off",
            "-blockdev", "driver=qcow2,file=root-file,backing=base,node-name=root,cache.no-flush=on",
            "-device", "virtio-blk-pci,drive=root,bus=pcie.0,addr=0x3",
            "-blockdev", "driver=file,filename=\(machine)/job.img,node-name=job-file,locking=off",
            "-blockdev", "driver=raw,file=job-file,node-name=job,cache.no-flush=on",
            "-device", "virtio-blk-pci,drive=job,bus=pcie.0,addr=0x4",
            "-blockdev", "driver=file,filename=\(machine)/out.img,node-name=out-file,locking=off",
            "-blockdev", "driver=raw,file=out-file,node-name=out,size=\(outputSize)",
            "-device", "virtio-blk-pci,drive=out,bus=pcie.0,addr=0x5",
            "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
        ]
        switch accelerator {
        case .kvm: arguments += ["-accel", "kvm", "-cpu", "host"]
        case .tcg: arguments += ["-accel", "tcg,tb-size=128", "-cpu", "max"]
        }
        return arguments
    }
}
