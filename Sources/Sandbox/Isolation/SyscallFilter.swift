import CLinux
import Foundation

/// The seccomp filter every sandboxed process runs under: the system calls a build never
/// needs and that reach past the sandbox's namespaces (file handles, kernel modules,
/// kexec, BPF, perf, keyrings, swap, accounting, port I/O) are refused, for 64-bit and
/// 32-bit (i386) programs alike; x32 calls are refused whole. Everything else is left to
/// the user namespace: `mount` or `ptrace` act only inside the sandbox's own namespaces.
///
/// Installed with `no_new_privs` on the one thread that starts the sandbox (see
/// ``Spawned/start(_:environment:output:interactive:confined:)``), so the filter is
/// inherited by every process of the sandbox and by nothing else of the caller.
public enum SyscallFilter {
    /// A refused call: its numbers on x86_64 and on i386 (`nil` where the ABI lacks it)
    /// and the errno the caller sees.
    public struct Refused: Sendable, Equatable {
        public var name: String
        public var x86_64: UInt32?
        public var i386: UInt32?
        public var errno: Int32
    }

    /// The refused calls (numbers from `asm/unistd_64.h` and `asm/unistd_32.h`, which a
    /// test compares). Keyrings answer ENOSYS, as on a kernel without them, so PAM's
    /// `pam_keyinit` carries on; the rest EPERM.
    public static let refused: [Refused] = [
        Refused(name: "open_by_handle_at", x86_64: 304, i386: 342, errno: EPERM),
        Refused(name: "name_to_handle_at", x86_64: 303, i386: 341, errno: EPERM),
        Refused(name: "kexec_load", x86_64: 246, i386: 283, errno: EPERM),
        Refused(name: "kexec_file_load", x86_64: 320, i386: nil, errno: EPERM),
        Refused(name: "init_module", x86_64: 175, i386: 128, errno: EPERM),
        Refused(name: "finit_module", x86_64: 313, i386: 350, errno: EPERM),
        Refused(name: "delete_module", x86_64: 176, i386: 129, errno: EPERM),
        Refused(name: "bpf", x86_64: 321, i386: 357, errno: EPERM),
        Refused(name: "perf_event_open", x86_64: 298, i386: 336, errno: EPERM),
        Refused(name: "userfaultfd", x86_64: 323, i386: 374, errno: EPERM),
        Refused(name: "keyctl", x86_64: 250, i386: 288, errno: ENOSYS),
        Refused(name: "add_key", x86_64: 248, i386: 286, errno: ENOSYS),
        Refused(name: "request_key", x86_64: 249, i386: 287, errno: ENOSYS),
        Refused(name: "swapon", x86_64: 167, i386: 87, errno: EPERM),
        Refused(name: "swapoff", x86_64: 168, i386: 115, errno: EPERM),
        Refused(name: "acct", x86_64: 163, i386: 51, errno: EPERM),
        Refused(name: "syslog", x86_64: 103, i386: 103, errno: EPERM),
        Refused(name: "iopl", x86_64: 172, i386: 110, errno: EPERM),
        Refused(name: "ioperm", x86_64: 173, i386: 101, errno: EPERM),
        Refused(name: "quotactl", x86_64: 179, i386: 131, errno: EPERM),
        Refused(name: "quotactl_fd", x86_64: 443, i386: 443, errno: EPERM),
        Refused(name: "lookup_dcookie", x86_64: 212, i386: 253, errno: EPERM),
        Refused(name: "vm86old", x86_64: nil, i386: 113, errno: EPERM),
        Refused(name: "vm86", x86_64: nil, i386: 166, errno: EPERM),
    ]

    /// x32 system calls carry this bit in their number on x86_64.
    static let x32Bit: UInt32 = 0x4000_0000

    /// The classic BPF program: check the architecture, then the number.
    static func program() -> [sock_filter] {
        let x86 = block(refused.compactMap { call in call.x86_64.map { ($0, call.errno) } }, refuseX32: true)
        let i386 = block(refused.compactMap { call in call.i386.map { ($0, call.errno) } }, refuseX32: false)
        var program = [load(offset: 4)]  // seccomp_data.arch
        // not x86_64: skip the x86_64 block to the i386 check
        program.append(jumpIfEqual(PACBUILD_AUDIT_ARCH_X86_64, then: 0, else: UInt8(x86.count)))
        program += x86
        // neither: kill the process (no other ABI can run here)
        program.append(jumpIfEqual(PACBUILD_AUDIT_ARCH_I386, then: 0, else: UInt8(i386.count)))
        program += i386
        program.append(ret(PACBUILD_SECCOMP_RET_KILL_PROCESS))
        return program
    }

    /// Sets `no_new_privs` and installs the filter on the calling thread only; it is
    /// inherited by the processes the thread starts and can never be removed from it.
    static func installOnCurrentThread() throws(SandboxError) {
        guard pacbuild_set_no_new_privs() == 0 else {
            throw .io(path: "prctl(PR_SET_NO_NEW_PRIVS)", reason: String(cString: strerror(errno)))
        }
        var filter = program()
        let status = filter.withUnsafeMutableBufferPointer { buffer in
            pacbuild_install_seccomp_filter(buffer.baseAddress, UInt16(buffer.count))
        }
        guard status == 0 else {
            throw .io(path: "prctl(PR_SET_SECCOMP)", reason: "cannot install the sandbox's system call filter: \(String(cString: strerror(errno)))")
        }
    }

    /// Load the number, refuse the listed ones, allow the rest.
    private static func block(_ calls: [(UInt32, Int32)], refuseX32: Bool) -> [sock_filter] {
        var block = [load(offset: 0)]  // seccomp_data.nr
        if refuseX32 {
            block.append(sock_filter(code: UInt16(BPF_JMP | BPF_JGE | BPF_K), jt: 0, jf: 1, k: x32Bit))
            block.append(ret(PACBUILD_SECCOMP_RET_ERRNO | UInt32(EPERM)))
        }
        for (number, error) in calls {
            block.append(jumpIfEqual(number, then: 0, else: 1))
            block.append(ret(PACBUILD_SECCOMP_RET_ERRNO | UInt32(error)))
        }
        block.append(ret(PACBUILD_SECCOMP_RET_ALLOW))
        return block
    }

    private static func load(offset: UInt32) -> sock_filter {
        sock_filter(code: UInt16(BPF_LD | BPF_W | BPF_ABS), jt: 0, jf: 0, k: offset)
    }
    private static func jumpIfEqual(_ value: UInt32, then: UInt8, else other: UInt8) -> sock_filter {
        sock_filter(code: UInt16(BPF_JMP | BPF_JEQ | BPF_K), jt: then, jf: other, k: value)
    }
    private static func ret(_ value: UInt32) -> sock_filter {
        sock_filter(code: UInt16(BPF_RET | BPF_K), jt: 0, jf: 0, k: value)
    }
}
