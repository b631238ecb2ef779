import Foundation
@testable import Sandbox
import Testing

/// The output disk as the host reads it, made here without a VM: a header block, then a
/// tar written by busybox (the guest's writer) or bytes as a hostile guest could write them.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"), "needs busybox-static (scripts/setup)"))
struct VMOutputDiskTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.path + "/vm-output-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/out", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/host-out", withIntermediateDirectories: true)
    }

    func shell(_ script: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh", directory]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(script)")
    }

    /// Writes the disk as the init does: the header padded to a block, then `tar -cf - .` of out/.
    func writeDisk(status: Int = 0) throws -> String {
        try shell("""
            cd "$1" && { printf '\(VMInit.headerMagic)\\nstatus \(status)\\noom_kill 0\\npids_max 0\\njob_free_kb 900000\\ntmp_free_kb 900000\\n' \
              | busybox dd bs=512 count=1 conv=sync 2>/dev/null; (cd out && busybox tar -cf - .); } >disk.img
            """)
        return directory + "/disk.img"
    }

    @Test func regularFilesComeOutAndEverythingElseIsNamed() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let long = String(repeating: "l", count: 150) + "-1.0-1-any.pkg.tar.zst"
        try shell("""
            cd "$1/out" && printf package >p-1.0-1-any.pkg.tar.zst && printf long >\(long)
            ln -s /etc/shadow link.pkg.tar.zst && mkfifo fifo.pkg.tar.zst && mkdir sub && printf x >sub/inner
            ln p-1.0-1-any.pkg.tar.zst hardlink.pkg.tar.zst
            """)
        let contents = try VMOutputDisk.read(try writeDisk(status: 7), into: directory + "/host-out", sizeLimit: 1 << 20)
        #expect(contents.status == 7)
        // of the two names of one file, the first tar meets is a file, the second a hard link
        let names: Set = ["p-1.0-1-any.pkg.tar.zst", "hardlink.pkg.tar.zst"]
        #expect(Set(contents.copied).subtracting(names) == [long], "\(contents)")
        #expect(Set(contents.copied).intersection(names).count == 1, "\(contents)")
        #expect(try String(contentsOfFile: directory + "/host-out/" + long, encoding: .utf8) == "long")
        let rejected = Set(contents.rejected)
        #expect(rejected.contains("link.pkg.tar.zst (symbolic link)"), "\(rejected)")
        #expect(rejected.contains("fifo.pkg.tar.zst (FIFO)"), "\(rejected)")
        #expect(rejected.contains("sub (directory)"), "\(rejected)")
        #expect(rejected.contains("sub/inner (regular file in a subdirectory)"), "\(rejected)")
        #expect(rejected.contains { $0.hasSuffix("(hard link)") && names.contains(String($0.dropLast(" (hard link)".count))) }, "\(rejected)")
        let host = try FileManager.default.contentsOfDirectory(atPath: directory + "/host-out")
        #expect(!host.contains("link.pkg.tar.zst") && !host.contains("fifo.pkg.tar.zst") && !host.contains("sub"), "\(host)")
    }

    /// Bytes no tar writer makes: a `../` name, a checksum that does not add up, a size
    /// past the disk's end. Nothing lands outside the host's directory.
    @Test func hostileBytesAreRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var disk = Data("\(VMInit.headerMagic)\nstatus 0\n".utf8)
        disk.append(Data(count: 512 - disk.count))
        disk.append(Self.header(name: "../escaped", size: 5))
        disk.append(Data("evil!".utf8) + Data(count: 507))
        disk.append(Self.header(name: "huge", size: 1 << 40))
        let path = directory + "/disk.img"
        try disk.write(to: URL(fileURLWithPath: path))
        let contents = try VMOutputDisk.read(path, into: directory + "/host-out", sizeLimit: 1 << 50)
        #expect(contents.copied.isEmpty, "\(contents)")
        #expect(contents.rejected.contains("../escaped (regular file in a subdirectory)"), "\(contents.rejected)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/escaped"))
        #expect(contents.rejected.count == 2, "the huge entry goes past the disk's end: \(contents.rejected)")

        var corrupt = Data("\(VMInit.headerMagic)\nstatus 0\n".utf8)
        corrupt.append(Data(count: 512 - corrupt.count))
        var bad = Self.header(name: "p.pkg.tar.zst", size: 0)
        bad[0] ^= 1
        corrupt.append(bad)
        try corrupt.write(to: URL(fileURLWithPath: path))
        let refused = try VMOutputDisk.read(path, into: directory + "/host-out", sizeLimit: 1 << 20)
        #expect(refused.rejected == ["(an unreadable tar header)"])
        #expect(refused.copied.isEmpty)

        // no header at all: the guest died before writing it
        try Data(count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(try VMOutputDisk.read(path, into: directory + "/host-out", sizeLimit: 1 << 20) == VMOutputDisk.Contents())
    }

    /// A ustar header block for a regular file.
    static func header(name: String, size: UInt64) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte } }
        put(name, at: 0)
        put("0000644", at: 100)
        put(String(size, radix: 8).leftPadded(to: 11), at: 124)
        put("0", at: 156)
        put("ustar", at: 257)
        put("00", at: 263)
        for i in 148..<156 { block[i] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(sum, radix: 8).leftPadded(to: 6), at: 148)
        block[154] = 0
        return Data(block)
    }
}

extension String {
    func leftPadded(to count: Int) -> String { String(repeating: "0", count: max(0, count - self.count)) + self }
}
