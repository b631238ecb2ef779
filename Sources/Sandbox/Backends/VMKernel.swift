import Foundation

/// The guest kernel of the `vm` backend: Debian's `linux-image-*` package of the guest's
/// architecture, unpacked once under `STATE/vm/kernel-ARCH/` (never in git):
///
/// - `vmlinux`: the kernel itself, the xz payload of the package's `vmlinuz`, which QEMU
///   boots through its PVH entry (no decompressor, no real-mode set-up: faster under
///   software emulation, where the decompressor alone costs seconds); for i686, whose
///   Debian kernel has no PVH entry, the `vmlinuz` itself;
/// - `initrd.img`: an uncompressed initramfs of pacbuild's own: busybox (static: the
///   host's `busybox-static` for x86_64, the i386 package's for i686), the modules the guest needs before its root can be
///   mounted (Debian builds virtio-pci, virtio-blk and ext4 as modules), and
///   ``VMInit/script`` as `/init`;
/// - `release`: the kernel's release, written last: its presence says the rest is complete.
///
/// Made by `pacbuild sandbox create`, `scripts/setup` or the first VM build, under a file
/// lock so that runs starting at once wait for one of them.
struct VMKernel: Sendable, Equatable {
    /// The guest's architecture, as the root's programs are built.
    enum Architecture: String, Sendable, CaseIterable {
        case x86_64, i686

        /// Debian's architecture, kernel package and the QEMU that runs it.
        var debian: String { self == .x86_64 ? "amd64" : "i386" }
        var kernelPackage: String { self == .x86_64 ? "linux-image-amd64" : "linux-image-686" }
        var qemu: String { self == .x86_64 ? "qemu-system-x86_64" : "qemu-system-i386" }
    }

    let directory: String
    let architecture: Architecture
    var kernel: String { directory + "/vmlinux" }
    var initrd: String { directory + "/initrd.img" }
    var releaseFile: String { directory + "/release" }

    /// The modules the init loads, in this order after their dependencies.
    static let modules = ["virtio_pci", "virtio_blk", "crc32c_generic", "ext4"]

    /// The kernel for `architecture` under `stateDirectory`, unpacked first when missing.
    static func ensure(_ architecture: Architecture, stateDirectory: String) throws(SandboxError) -> VMKernel {
        let kernel = VMKernel(directory: stateDirectory + "/vm/kernel-" + architecture.rawValue, architecture: architecture)
        if FileManager.default.fileExists(atPath: kernel.releaseFile) { return kernel }
        try? FileManager.default.createDirectory(atPath: stateDirectory + "/vm", withIntermediateDirectories: true)
        let lockPath = stateDirectory + "/vm/.kernel.lock"
        let lock = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw .io(path: lockPath, reason: errnoText()) }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
        if FileManager.default.fileExists(atPath: kernel.releaseFile) { return kernel }
        try kernel.make()
        return kernel
    }

    /// Downloads the package with apt, unpacks it, extracts the kernel and builds the initramfs.
    private func make() throws(SandboxError) {
        try HostCommand.require("apt-get", package: "apt")
        try HostCommand.require("dpkg-deb", package: "dpkg")
        try HostCommand.require("xz", package: "xz-utils")
        let work = directory + ".partial"
        try? FileManager.default.removeItem(atPath: work)
        try makeDirectory(work + "/deb")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let apt = try aptOptions()
        let package = try Self.concretePackage(architecture.kernelPackage, apt: apt)
        try Self.unpack(package, apt: apt, into: work + "/unpacked", scratch: work + "/deb")
        var busybox = Self.busybox
        if architecture != .x86_64 {
            // the guest runs the initramfs's busybox: it must be the guest's architecture
            try Self.unpack("busybox-static", apt: apt, into: work + "/busybox", scratch: work + "/deb-busybox")
            busybox = work + "/busybox/bin/busybox"
        }
        guard FileManager.default.isExecutableFile(atPath: busybox) else { throw .toolMissing(tool: busybox, package: "busybox-static") }
        let boot = work + "/unpacked/boot"
        guard let image = (try? FileManager.default.contentsOfDirectory(atPath: boot))?.first(where: { $0.hasPrefix("vmlinuz-") }) else {
            throw .io(path: boot, reason: "the package \(package) holds no vmlinuz")
        }
        let release = String(image.dropFirst("vmlinuz-".count))
        try makeDirectory(work + "/out")
        if architecture == .x86_64 {
            try Self.extractVmlinux(from: boot + "/" + image, to: work + "/out/vmlinux")
        } else {
            // Debian's 32-bit kernel has no PVH entry: QEMU boots its bzImage as is
            try HostCommand.run(["cp", boot + "/" + image, work + "/out/vmlinux"])
        }
        try buildInitramfs(modules: work + "/unpacked/lib/modules/" + release + "/kernel", busybox: busybox,
                           into: work + "/out/initrd.img", scratch: work + "/initramfs")
        try? FileManager.default.removeItem(atPath: directory)
        try renameDirectory(work + "/out", to: directory)
        guard FileManager.default.createFile(atPath: releaseFile, contents: Data((release + "\n").utf8)) else {
            throw .io(path: releaseFile, reason: "cannot write")
        }
    }

    /// apt's options for the guest's packages: none for the host's own architecture; for
    /// another, an apt state of its own under `STATE/vm/apt-ARCH` (the host's sources, that
    /// architecture only), updated first, so the host's dpkg needs no foreign architecture.
    private func aptOptions() throws(SandboxError) -> [String] {
        guard architecture != .x86_64 else { return [] }
        let state = (directory as NSString).deletingLastPathComponent + "/apt-" + architecture.debian
        for path in [state + "/lists/partial", state + "/cache/archives/partial"] { try makeDirectory(path) }
        let options = ["-o", "APT::Architecture=\(architecture.debian)", "-o", "APT::Architectures::=\(architecture.debian)",
                       "-o", "Dir::State::Lists=\(state)/lists", "-o", "Dir::Cache=\(state)/cache", "-o", "Dir::State::status=/dev/null"]
        try HostCommand.run(["apt-get", "-q"] + options + ["update"])
        return options
    }

    /// Downloads `package` and unpacks it into `target`.
    static func unpack(_ package: String, apt: [String], into target: String, scratch: String) throws(SandboxError) {
        try makeDirectory(scratch)
        let script = #"cd "$1" && shift && apt-get -q "$@" && dpkg-deb -x ./*.deb "$0""#
        try HostCommand.run(["sh", "-c", script, target, scratch] + apt + ["download", package])
    }

    /// The versioned package a metapackage (`linux-image-amd64`) depends on.
    static func concretePackage(_ meta: String, apt: [String]) throws(SandboxError) -> String {
        let output = try HostCommand.run(["apt-cache"] + apt + ["depends", meta])
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "Depends:", words[1].hasPrefix("linux-image-") { return String(words[1]) }
        }
        throw .io(path: meta, reason: "apt knows no kernel package behind it (run `apt-get update`)")
    }

    static let busybox = "/bin/busybox"

    /// The kernel inside a bzImage: its payload is one xz stream (Debian's `CONFIG_KERNEL_XZ`).
    static func extractVmlinux(from bzImage: String, to target: String) throws(SandboxError) {
        guard let data = FileManager.default.contents(atPath: bzImage) else { throw .io(path: bzImage, reason: "cannot read") }
        let magic: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
        guard let start = data.firstRange(of: Data(magic))?.lowerBound else {
            throw .io(path: bzImage, reason: "holds no xz stream: not a kernel built with CONFIG_KERNEL_XZ")
        }
        let payload = target + ".xz"
        guard FileManager.default.createFile(atPath: payload, contents: data[start...]) else { throw .io(path: payload, reason: "cannot write") }
        defer { unlink(payload) }
        try HostCommand.run(["sh", "-c", #"xz -dc --single-stream <"$1" >"$2""#, "xz", payload, target])
    }

    /// The initramfs: busybox, the modules (dependencies first) and the init, as a newc cpio.
    private func buildInitramfs(modules: String, busybox: String, into target: String, scratch: String) throws(SandboxError) {
        let index = Self.moduleIndex(modules)
        var ordered: [String] = []
        func add(_ name: String) throws(SandboxError) {
            guard !ordered.contains(name) else { return }
            guard let path = index[name] else { throw .io(path: modules, reason: "the kernel has no module \(name)") }
            for dependency in Self.dependencies(of: path) { try add(dependency) }
            ordered.append(name)
        }
        for name in Self.modules { try add(name) }
        for directory in ["bin", "lib/modules", "dev", "proc", "sys", "root", "cgroup"] { try makeDirectory(scratch + "/" + directory) }
        do {
            try FileManager.default.copyItem(atPath: busybox, toPath: scratch + "/bin/busybox")
            for name in ordered { try FileManager.default.copyItem(atPath: index[name]!, toPath: scratch + "/lib/modules/\(name).ko") }
        } catch {
            throw .io(path: scratch, reason: "cannot assemble the initramfs: \(error.localizedDescription)")
        }
        let list = ordered.joined(separator: " ") + "\n"
        guard FileManager.default.createFile(atPath: scratch + "/lib/modules/order", contents: Data(list.utf8)),
              FileManager.default.createFile(atPath: scratch + "/init", contents: Data(VMInit.script.utf8), attributes: [.posixPermissions: 0o755]) else {
            throw .io(path: scratch, reason: "cannot write the init")
        }
        try HostCommand.run(["sh", "-c", #"cd "$1" && find . | "$3" cpio -o -H newc >"$2" 2>/dev/null"#, "cpio", scratch, target, Self.busybox])
    }

    /// Every module file below `directory` by module name (`-` read as `_`, as the kernel does).
    static func moduleIndex(_ directory: String) -> [String: String] {
        var index: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return index }
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".ko") else { continue }
            let name = ((relative as NSString).lastPathComponent as NSString).deletingPathExtension.replacingOccurrences(of: "-", with: "_")
            index[name] = directory + "/" + relative
        }
        return index
    }

    /// A module's `depends=` from its `.modinfo` (NUL-separated `key=value` strings).
    static func dependencies(of module: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: module),
              let range = data.firstRange(of: Data("\0depends=".utf8)) else { return [] }
        let rest = data[range.upperBound...]
        let end = rest.firstIndex(of: 0) ?? rest.endIndex
        return String(decoding: rest[rest.startIndex..<end], as: UTF8.self).split(separator: ",").map { $0.replacingOccurrences(of: "-", with: "_") }
    }
}
