import Foundation
import Sandbox
import Testing

/// An i386 root boots Debian's 32-bit kernel (`linux-image-686`) in `qemu-system-i386`:
/// the guest's architecture is told by the root's own `/bin/sh`.
@Suite(.enabled(if: VMTestRoot.canRun, "needs root"), .serialized)
struct VMI386Tests {
    /// A Debian 12 i386 minbase root with the build tools, debootstrapped once into the
    /// test state (from the mirror the amd64 test root came from) and reused.
    static func i386Root() throws -> BuildRoot {
        let amd64 = try VMTestRoot.debian12()
        let store = BuildRootStore(stateDirectory: VMTestRoot.stateDirectory)
        let name = "debian12-i386-v1"
        let lock = open(VMTestRoot.stateDirectory + "/.create-i386.lock", O_CREAT | O_RDWR, 0o644)
        defer { close(lock) }
        flock(lock, LOCK_EX)
        if let root = try? store.root(named: name) { return root }
        let source = amd64.stamp()?.source.split(separator: " ") ?? []
        let mirror = try #require(source.count == 3 ? String(source[2]) : nil, "the amd64 test root's stamp names no mirror")
        let directory = VMTestRoot.stateDirectory + "/i386-debootstrap"
        try? FileManager.default.removeItem(atPath: directory)
        let include = BuildRootSource.debootstrapPackages.joined(separator: ",")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/debootstrap")
        process.arguments = ["--arch", "i386", "--variant=minbase", "--include=" + include, "bookworm", directory, mirror]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "debootstrap --arch i386 failed")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try store.create(name, from: .directory(directory), reuse: true)
    }

    /// makepkg's `check()` in the 32-bit machine sees an i686 kernel, and the package is built.
    @Test func aBuildInAnI386RootRunsUnderA32BitKernel() throws {
        let root = try Self.i386Root()
        let work = try VMTestRoot.temporaryDirectory("i386")
        let directory = try VMTestRoot.pkgbuild("""
            pkgname=ex-uname
            pkgver=1.0
            pkgrel=1
            arch=('any')
            check() { echo "machine: $(uname -m) $(getconf LONG_BIT)-bit"; }
            package() { install -d "$pkgdir/usr/share/ex-uname"; uname -m >"$pkgdir/usr/share/ex-uname/machine"; }
            """, in: work + "/ex-uname")
        let result = try VMTestRoot.build(directory, root: root, work: work, backend: VMTestRoot.backend())
        let log = VMTestRoot.log(result)
        #expect(result.succeeded, "\(String(describing: result.failure))\n\(log)")
        #expect(log.contains("machine: i686 32-bit"), "\(log)")
        #expect(result.packages.map(\.name) == ["ex-uname"])
        #expect(VMTestRoot.scratchLeft(in: work).isEmpty)
    }
}
