import Foundation
import Repo
import Testing

/// ``ELFLinkage`` against binaries gcc builds here, compared with `readelf -d`.
@Suite struct ELFLinkageTests {
    /// A library `libx.so.1` and a program linked to it, built with `flags` (`-m32`).
    static func build(in dir: String, flags: [String]) throws -> (library: String, program: String) {
        try "int x(void) { return 1; }\n".write(toFile: dir + "/x.c", atomically: true, encoding: .utf8)
        try "int x(void);\nint main(void) { return x(); }\n".write(toFile: dir + "/main.c", atomically: true, encoding: .utf8)
        let library = dir + "/libx.so.1.0", program = dir + "/main"
        for command in [["gcc"] + flags + ["-shared", "-fPIC", "-Wl,-soname,libx.so.1", "-o", library, dir + "/x.c"],
                        ["ln", "-sf", "libx.so.1.0", dir + "/libx.so"],
                        ["gcc"] + flags + ["-o", program, dir + "/main.c", "-L" + dir, "-lx"]] {
            let result = try Tools.run(command)
            #expect(result.status == 0, "\(command.joined(separator: " ")) failed (for -m32: apt-get install gcc-multilib): \(result.stderr)")
        }
        return (library, program)
    }

    /// What `readelf -d` says: the soname and the needed libraries, in order.
    static func readelf(_ path: String) throws -> (soname: String?, needed: [String]) {
        let output = try Tools.run(["readelf", "-d", path]).stdout
        func bracketed(_ marker: String) -> [String] {
            output.split(separator: "\n").filter { $0.contains(marker) }.compactMap { line in
                guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
                return String(line[line.index(after: open)..<close])
            }
        }
        return (bracketed("Library soname:").first, bracketed("Shared library:"))
    }

    static func parse(_ path: String) throws -> ELFLinkage? {
        try ELFLinkage.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), file: path, entry: "x")
    }

    @Test(arguments: [[], ["-m32"]])
    func matchesReadelf(flags: [String]) throws {
        let dir = try Tools.scratch()
        defer { Tools.cleanUp(dir) }
        let (library, program) = try Self.build(in: dir, flags: flags)
        let bits = flags.isEmpty ? 64 : 32
        for path in [library, program] {
            let parsed = try #require(try Self.parse(path))
            let expected = try Self.readelf(path)
            #expect(parsed.bits == bits)
            #expect(parsed.soname == expected.soname)
            #expect(parsed.needed == expected.needed)
        }
        #expect(try Self.parse(library)?.soname == "libx.so.1")
        #expect(try Self.parse(program)?.needed.contains("libx.so.1") == true)
        #expect(try Self.parse(program)?.soname == nil)
    }

    /// Without section headers (as `sstrip` leaves a file) the program headers are read.
    @Test func withoutSectionHeaders() throws {
        let dir = try Tools.scratch()
        defer { Tools.cleanUp(dir) }
        let (library, program) = try Self.build(in: dir, flags: [])
        for path in [library, program] {
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            for offset in [0x28, 0x3c, 0x3d] { bytes[offset..<offset + (offset == 0x28 ? 8 : 1)] = ArraySlice(repeating: 0, count: offset == 0x28 ? 8 : 1) }
            let parsed = try #require(try ELFLinkage.parse(bytes, file: path, entry: "x"))
            let expected = try Self.readelf(path)
            #expect(parsed.soname == expected.soname)
            #expect(parsed.needed == expected.needed)
        }
    }

    /// A big-endian ELF32 built by hand: header, one PT_LOAD, one PT_DYNAMIC, strings.
    @Test func bigEndian32() throws {
        var bytes = [UInt8](repeating: 0, count: 0x100)
        func put(_ value: UInt64, at offset: Int, width: Int) {
            for index in 0..<width { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(width - 1 - index))) }
        }
        bytes[0..<6] = [0x7f, 0x45, 0x4c, 0x46, 1, 2]
        put(52, at: 0x1c, width: 4); put(32, at: 0x2a, width: 2); put(2, at: 0x2c, width: 2)   // e_phoff, e_phentsize, e_phnum
        put(1, at: 52, width: 4); put(0, at: 56, width: 4); put(0x1000, at: 60, width: 4); put(0x100, at: 68, width: 4)   // PT_LOAD
        put(2, at: 84, width: 4); put(0x80, at: 88, width: 4); put(0x1080, at: 92, width: 4); put(0x28, at: 100, width: 4)   // PT_DYNAMIC
        let strings = Array("\0libbe.so.3\0libc.so.6\0".utf8)
        bytes[0xc0..<0xc0 + strings.count] = ArraySlice(strings)
        for (index, pair) in [(14, 1), (1, 12), (5, 0x10c0), (10, UInt64(strings.count)), (0, 0)].enumerated() {
            put(UInt64(pair.0), at: 0x80 + 8 * index, width: 4); put(UInt64(pair.1), at: 0x84 + 8 * index, width: 4)
        }
        let parsed = try #require(try ELFLinkage.parse(bytes, file: "be", entry: "x"))
        #expect(parsed == ELFLinkage(bits: 32, soname: "libbe.so.3", needed: ["libc.so.6"]))
    }

    /// Every truncation of a real library, and corrupted offsets, give an error or a
    /// result, never a crash; a cut inside the headers or tables is an error.
    @Test func truncatedAndCorrupted() throws {
        let dir = try Tools.scratch()
        defer { Tools.cleanUp(dir) }
        let (library, _) = try Self.build(in: dir, flags: [])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: library)))
        for length in [0, 3, 4, 15, 16, 40, 63] {
            #expect(throws: RepoError.self) { try ELFLinkage.parse(Array(bytes.prefix(length)), file: "t", entry: "x") }
        }
        // Cut before the section headers (at the end) and the dynamic segment: an error.
        #expect(throws: RepoError.self) { try ELFLinkage.parse(Array(bytes.prefix(bytes.count - 10)), file: "t", entry: "x") }
        for length in stride(from: 64, to: bytes.count, by: 97) {
            _ = try? ELFLinkage.parse(Array(bytes.prefix(length)), file: "t", entry: "x")
        }
        var huge = bytes
        for index in 0x28..<0x30 { huge[index] = 0xff }   // e_shoff far beyond the file
        #expect(throws: RepoError.self) { try ELFLinkage.parse(huge, file: "t", entry: "x") }
        var wrongClass = bytes
        wrongClass[4] = 9
        let error = #expect(throws: RepoError.self) { try ELFLinkage.parse(wrongClass, file: "pkg.tar", entry: "usr/lib/x") }
        #expect(error?.description.contains("pkg.tar: entry usr/lib/x: malformed ELF file: EI_CLASS 9") == true)
        // Corrupting any byte of the ELF header, the program headers or the section
        // headers (at the end of the file) never crashes.
        for index in Array(0..<min(bytes.count, 0x200)) + Array(max(0, bytes.count - 0x800)..<bytes.count) {
            var copy = bytes
            copy[index] ^= 0xa5
            _ = try? ELFLinkage.parse(copy, file: "t", entry: "x")
        }
    }
}

/// ``PackageFile/read(at:limits:linkage:)`` over a package of real ELF files.
@Suite struct PackageLinkageTests {
    init() { _ = Tools.localeSet }

    /// A package holding the library and program, a text file, a truncated ELF file and,
    /// under a name that hides it, a second copy of the library.
    @Test func sonamesOfEveryELFFileAndProblemsOfTheBadOnes() throws {
        let dir = try Tools.scratch()
        defer { Tools.cleanUp(dir) }
        let (library, program) = try ELFLinkageTests.build(in: dir, flags: [])
        let tree = dir + "/tree"
        for sub in ["usr/lib", "usr/bin", "usr/share/x"] { try FileManager.default.createDirectory(atPath: tree + "/" + sub, withIntermediateDirectories: true) }
        try FileManager.default.copyItem(atPath: library, toPath: tree + "/usr/lib/libx.so.1.0")
        try FileManager.default.copyItem(atPath: program, toPath: tree + "/usr/bin/main")
        try FileManager.default.copyItem(atPath: library, toPath: tree + "/usr/share/x/data.bin")
        try "\u{7f}ELF is not enough\n".write(toFile: tree + "/usr/share/x/readme", atomically: true, encoding: .utf8)
        try "plain text\n".write(toFile: tree + "/usr/share/x/notes", atomically: true, encoding: .utf8)
        try "pkgname = x\npkgver = 1-1\narch = x86_64\n".write(toFile: tree + "/.PKGINFO", atomically: true, encoding: .utf8)
        let path = dir + "/x-1-1-x86_64.pkg.tar.zst"
        #expect(try Tools.run(["bsdtar", "--zstd", "-cf", path, ".PKGINFO", "usr"], in: tree).status == 0)

        let file = try PackageFile.read(at: path, linkage: true)
        let linkage = try #require(file.linkage)
        #expect(linkage.provides == ["libx.so.1-64"])
        let expected = Set(try ELFLinkageTests.readelf(program).needed + ELFLinkageTests.readelf(library).needed).map { $0 + "-64" }.sorted()
        #expect(linkage.needs == expected)
        #expect(linkage.problems.count == 1 && linkage.problems[0].hasPrefix("usr/share/x/readme: malformed ELF file:"), "\(linkage.problems)")
        #expect(try PackageFile.read(at: path).linkage == nil)

        var small = ReadLimits.package
        small.maxELFBytes = 1024
        let capped = try #require(try PackageFile.read(at: path, limits: small, linkage: true).linkage)
        #expect(capped.provides.isEmpty && capped.problems.count == 4, "\(capped.problems)")
        #expect(capped.problems.contains { $0.hasPrefix("usr/lib/libx.so.1.0: ") && $0.contains("exceed the limit of 1024 bytes for ELF files") })
    }
}
