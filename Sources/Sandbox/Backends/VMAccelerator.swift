import Foundation

/// How QEMU runs the guest: KVM when the host offers a usable one, else QEMU's software
/// emulation (TCG), the same machine many times slower. Decided once per process.
public enum VMAccelerator: Sendable, Equatable, CustomStringConvertible {
    case kvm
    /// Software emulation, with why KVM is not used.
    case tcg(reason: String)

    /// The accelerator of this host. `PACBUILD_VM_ACCEL=tcg` (or `kvm`) forces one.
    public static let current: VMAccelerator = detect()

    public var description: String {
        switch self {
        case .kvm: return "KVM"
        case .tcg(let reason): return "TCG (software emulation, much slower: \(reason))"
        }
    }

    var isKVM: Bool { self == .kvm }

    static func detect() -> VMAccelerator {
        switch ProcessInfo.processInfo.environment["PACBUILD_VM_ACCEL"] {
        case "tcg": return .tcg(reason: "PACBUILD_VM_ACCEL=tcg")
        case "kvm": return .kvm
        default: break
        }
        let fd = open("/dev/kvm", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return .tcg(reason: "/dev/kvm: \(errnoText())") }
        defer { close(fd) }
        // KVM_GET_API_VERSION, KVM_CREATE_VM: the API every KVM user starts with
        let version = ioctl(fd, 0xAE00, 0)
        guard version == 12 else { return .tcg(reason: "/dev/kvm answers API version \(version), not 12") }
        let machine = ioctl(fd, 0xAE01, 0)
        guard machine >= 0 else { return .tcg(reason: "/dev/kvm refuses to create a machine: \(errnoText())") }
        close(machine)
        // PVM (a KVM that works without hardware virtualization) runs an unmodified
        // kernel only by emulating it instruction by instruction: a Debian kernel clears
        // its memory at under 1 MB/s there, far slower than TCG.
        if FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm") {
            return .tcg(reason: "this host's KVM is PVM (kvm_pvm), which runs a stock kernel only by emulating it")
        }
        return .kvm
    }

    /// `/dev/kvm` made usable by the group `kvm` (root's, mode 0660), as Debian's udev
    /// rule leaves it; the QEMU process keeps that group and nothing else.
    static func kvmGroup() throws(SandboxError) -> gid_t {
        if getgrnam("kvm") == nil { try HostCommand.run(["groupadd", "--system", "kvm"]) }
        guard let group = getgrnam("kvm") else { throw .io(path: "/etc/group", reason: "no group kvm after groupadd") }
        let gid = group.pointee.gr_gid
        var info = stat()
        guard stat("/dev/kvm", &info) == 0 else { throw .io(path: "/dev/kvm", reason: errnoText()) }
        if info.st_gid != gid || info.st_mode & 0o060 != 0o060 {
            guard chown("/dev/kvm", 0, gid) == 0, chmod("/dev/kvm", 0o660) == 0 else {
                throw .io(path: "/dev/kvm", reason: "cannot give it to the group kvm: \(errnoText())")
            }
        }
        return gid
    }
}
