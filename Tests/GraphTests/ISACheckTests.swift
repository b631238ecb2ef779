import Testing
import Graph

/// The ISA table: which instructions each level has, and how a file's counts are judged.
@Suite struct ISACheckTests {
    private typealias R = X86Instructions.Registers

    @Test(arguments: [
        // mnemonic, registers, the lowest level that may ship it (nil: every level)
        ("mov", R.none, nil as ISALevel?), ("cmpxchg", .none, nil), ("bswap", .none, nil), ("xadd", .none, nil),
        ("fldl", .none, nil), ("ud2", .none, nil), ("nop", .none, nil), ("xchg", .none, nil),
        ("rdtsc", .none, .i586), ("cpuid", .none, .i586), ("cmpxchg8b", .none, .i586),
        ("cmovl", .none, .i686), ("cmovne", .none, .i686), ("fcmovbe", .none, .i686), ("fucomip", .none, .i686),
        ("sysenter", .none, .i686), ("nopw", .none, .i686), ("nopl", .none, .i686), ("endbr32", .none, .i686),
        ("emms", .none, .pentium4), ("paddd", .mmx, .pentium4), ("movaps", .xmm, .pentium4), ("movsd", .xmm, .pentium4),
        ("pxor", .xmm, .pentium4), ("lfence", .none, .pentium4), ("fxsave", .none, .pentium4),
        ("syscall", .none, .x86_64_v1),
        ("haddps", .xmm, .x86_64_v2), ("pshufb", .xmm, .x86_64_v2), ("pminud", .xmm, .x86_64_v2),
        ("pcmpistri", .xmm, .x86_64_v2), ("popcnt", .none, .x86_64_v2), ("crc32l", .none, .x86_64_v2),
        ("fisttpl", .none, .x86_64_v2), ("pmovzxbw", .xmm, .x86_64_v2), ("cmpxchg16b", .none, .x86_64_v2),
        ("vmovdqu", .ymm, .x86_64_v3), ("vpaddd", .ymm, .x86_64_v3), ("vaddps", .xmm, .x86_64_v3),
        ("vfmadd231ps", .xmm, .x86_64_v3), ("shlx", .none, .x86_64_v3), ("tzcnt", .none, .x86_64_v3),
        ("lzcnt", .none, .x86_64_v3), ("movbe", .none, .x86_64_v3),
        ("vmovdqu64", .zmm, .x86_64_v4), ("kmovw", .none, .x86_64_v4), ("vpternlogd", .xmm, .x86_64_v4),
    ])
    func lowestLevel(mnemonic: String, registers: X86Instructions.Registers, level: ISALevel?) {
        let requirement = X86Instructions.requirement(mnemonic: mnemonic, registers: registers)
        #expect(requirement?.level == level, "\(mnemonic) \(registers)")
        for candidate in ISALevel.allCases {
            let allowed = requirement?.allowed(at: candidate) ?? true
            #expect(allowed == (level.map { $0 <= candidate } ?? true), "\(mnemonic) at \(candidate)")
        }
    }

    @Test func extensionsOfNoLevelAreReportedEverywhere() {
        let aes = X86Instructions.requirement(mnemonic: "aesenc", registers: .xmm)
        #expect(aes?.level == nil && aes?.feature == "AES-NI")
        #expect(ISALevel.allCases.allSatisfy { aes?.allowed(at: $0) == false })
    }

    @Test func levelsAreOrderedAndKnowTheirMachine() {
        #expect(ISALevel.i486 < .i586 && .i586 < .i686 && .i686 < .pentium4 && .pentium4 < .x86_64_v1 && .x86_64_v3 < .x86_64_v4)
        #expect(ISALevel.i586.bits == 32 && ISALevel.i586.elfMachine == 3)
        #expect(ISALevel.x86_64_v2.bits == 64 && ISALevel.x86_64_v2.elfMachine == 62)
        #expect(ISALevel(rawValue: "x86-64-v3") == .x86_64_v3)
        #expect(ISALevel.implied(byCarch: "i586") == .i586 && ISALevel.implied(byCarch: "x86_64") == .x86_64_v1)
        #expect(ISALevel.implied(byCarch: "aarch64") == nil)
        #expect(["i486", "i586", "i686", "pentium4"].allSatisfy(ISALevel.isX86_32(carch:)) && !ISALevel.isX86_32(carch: "x86_64"))
    }

    @Test func judgeNamesTheFileTheInstructionsAndTheirCounts() throws {
        let counts = [ISACheck.Count(mnemonic: "mov", registers: .none, count: 40),
                      ISACheck.Count(mnemonic: "cmovl", registers: .none, count: 3),
                      ISACheck.Count(mnemonic: "cmove", registers: .none, count: 1),
                      ISACheck.Count(mnemonic: "movaps", registers: .xmm, count: 2)]
        let violation = try #require(ISACheck.judge(package: "ex-1-1-i586.pkg.tar.gz", file: "usr/lib/libex.so.1", bits: 32,
                                                    machine: 3, counts: counts, level: .i586))
        #expect(violation.instructions.map(\.mnemonic) == ["cmovl", "movaps", "cmove"])
        #expect(violation.description == "ex-1-1-i586.pkg.tar.gz: usr/lib/libex.so.1: cmovl x3, cmove x1 (i686: CMOV); movaps x2 (pentium4: SSE/SSE2)")
        // the same file is fine for pentium4, and only movaps is beyond i686
        #expect(ISACheck.judge(package: "p", file: "f", bits: 32, machine: 3, counts: counts, level: .pentium4) == nil)
        #expect(ISACheck.judge(package: "p", file: "f", bits: 32, machine: 3, counts: counts, level: .i686)?.instructions.map(\.mnemonic) == ["movaps"])
    }

    @Test func aFileOfAnotherMachineIsAViolationWhateverItsCode() throws {
        let wrong = try #require(ISACheck.judge(package: "p", file: "usr/bin/x", bits: 64, machine: 62, counts: [], level: .i586))
        #expect(wrong.description == "p: usr/bin/x: ELF 64-bit x86-64 (expected 32-bit Intel 80386)")
        #expect(ISACheck.judge(package: "p", file: "usr/bin/x", bits: 32, machine: 3, counts: [], level: .x86_64_v1)?.wrongMachine != nil)
        #expect(ISACheck.judge(package: "p", file: "usr/bin/x", bits: 64, machine: 62, counts: [], level: .x86_64_v1) == nil)
    }

    @Test func summaryLinesAreParsedStrictly() {
        #expect(ISACheck.parseCount("cmovl\t-\t3") == ISACheck.Count(mnemonic: "cmovl", registers: .none, count: 3))
        #expect(ISACheck.parseCount("vaddps\tymm\t12")?.registers == .ymm)
        for bad in ["cmovl\t-", "cmovl\tqmm\t3", "cmovl\t-\t-1", "cmo vl\t-\t3", "\t-\t3", "cmovl\t-\t3\textra", "x\t-\tmany"] {
            #expect(ISACheck.parseCount(Substring(bad)) == nil, "\(bad)")
        }
    }
}
