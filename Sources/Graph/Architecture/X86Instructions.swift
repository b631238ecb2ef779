/// Which x86 instructions need which ``ISALevel``, by the mnemonic `objdump -d` prints
/// (AT&T syntax, prefixes stripped) and the registers among its operands. A pure table:
/// the disassembly itself is run elsewhere (in a sandbox) and handed in as counts.
///
/// The classification follows the CPUs' manuals: CMOV, FCMOV, FCOMI, SYSENTER and the
/// multi-byte/hint NOPs (`nopw`/`nopl`, `endbr32`) came with the Pentium Pro (i686);
/// MMX, SSE, SSE2, FXSR and the fences are `pentium4`'s (gcc's `-march=pentium4`);
/// SSE3/SSSE3/SSE4.1/SSE4.2/POPCNT/CMPXCHG16B are `x86-64-v2`; AVX/AVX2/BMI1/BMI2/FMA/
/// F16C/LZCNT/MOVBE/XSAVE are `x86-64-v3`; AVX-512 (`%zmm`, mask registers) is
/// `x86-64-v4`. Extensions no level includes (AES-NI, PCLMULQDQ, SHA, RDRAND) are
/// beyond every level: code using them must check CPUID at run time, which a static
/// check cannot see, so they are reported wherever they occur.
public enum X86Instructions {
    /// Where an instruction's operands say it belongs, whatever its mnemonic.
    public enum Registers: String, Sendable, Codable, CaseIterable {
        /// General-purpose and x87 registers only, or none.
        case none = "-"
        /// `%mm0`-`%mm7`: MMX.
        case mmx = "mm"
        /// `%xmm`: SSE and later (VEX-encoded when the mnemonic starts with `v`).
        case xmm
        /// `%ymm`: AVX/AVX2.
        case ymm
        /// `%zmm` or a mask register `%k0`-`%k7`: AVX-512.
        case zmm
    }

    /// What an instruction needs: the level that first has it (nil: none does) and the
    /// extension's name.
    public struct Requirement: Sendable, Hashable, Codable {
        public var level: ISALevel?
        public var feature: String

        public init(level: ISALevel?, feature: String) {
            self.level = level
            self.feature = feature
        }

        /// Whether a repo of `level` may ship it.
        public func allowed(at repoLevel: ISALevel) -> Bool { level.map { $0 <= repoLevel } ?? false }

        /// `i686: CMOV`, `beyond every level: AES-NI`.
        public var description: String { "\(level?.rawValue ?? "beyond every level"): \(feature)" }
    }

    /// The requirement of one instruction; nil when every level (i486 and up) has it.
    public static func requirement(mnemonic: String, registers: Registers) -> Requirement? {
        let m = mnemonic.lowercased()
        switch registers {
        case .zmm: return Requirement(level: .x86_64_v4, feature: "AVX-512")
        case .ymm: return byName(m) ?? Requirement(level: .x86_64_v3, feature: m.hasPrefix("vp") ? "AVX2" : "AVX")
        case .xmm:
            if let named = byName(m) { return named }
            if m.hasPrefix("v") { return Requirement(level: .x86_64_v3, feature: "AVX") }
            return Requirement(level: .pentium4, feature: "SSE/SSE2")
        case .mmx: return byName(m) ?? Requirement(level: .pentium4, feature: "MMX")
        case .none: return byName(m)
        }
    }

    /// The requirement implied by the mnemonic alone.
    static func byName(_ m: String) -> Requirement? {
        if let exact = exact[m] { return exact }
        for (prefix, requirement) in prefixes where m.hasPrefix(prefix) { return requirement }
        return nil
    }

    private static func table(_ level: ISALevel?, _ feature: String, _ names: [String]) -> [(String, Requirement)] {
        names.map { ($0, Requirement(level: level, feature: feature)) }
    }

    /// Mnemonics matched whole.
    static let exact: [String: Requirement] = Dictionary(uniqueKeysWithValues: [
        table(.i586, "Pentium (CPUID, RDTSC, CMPXCHG8B, MSR)", ["cpuid", "rdtsc", "cmpxchg8b", "rdmsr", "wrmsr", "rsm"]),
        table(.i686, "FCOMI", ["fcomi", "fcomip", "fucomi", "fucomip", "fcompi", "fucompi"]),
        table(.i686, "SYSENTER", ["sysenter", "sysexit"]),
        table(.i686, "RDPMC", ["rdpmc"]),
        table(.i686, "multi-byte NOP", ["nopw", "nopl", "nopq"]),
        table(.i686, "CET hint (hint-NOP space)", ["endbr32", "endbr64"]),
        table(.pentium4, "MMX", ["emms"]),
        table(.pentium4, "SSE", ["ldmxcsr", "stmxcsr", "sfence", "prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2",
                                 "maskmovq", "movntq"]),
        table(.pentium4, "SSE2", ["lfence", "mfence", "clflush", "movnti", "movntil"]),
        table(.pentium4, "FXSR", ["fxsave", "fxrstor", "fxsave64", "fxrstor64"]),
        table(.x86_64_v1, "SYSCALL", ["syscall", "sysret"]),
        table(.x86_64_v2, "SSE3", ["addsubps", "addsubpd", "haddps", "haddpd", "hsubps", "hsubpd", "lddqu", "movddup",
                                   "movshdup", "movsldup", "monitor", "mwait"]),
        table(.x86_64_v2, "SSSE3", ["pabsb", "pabsw", "pabsd", "palignr", "phaddw", "phaddd", "phaddsw", "phsubw", "phsubd",
                                    "phsubsw", "pmaddubsw", "pmulhrsw", "pshufb", "psignb", "psignw", "psignd"]),
        table(.x86_64_v2, "SSE4.1", ["blendpd", "blendps", "blendvpd", "blendvps", "dppd", "dpps", "extractps", "insertps",
                                     "movntdqa", "mpsadbw", "packusdw", "pblendvb", "pblendw", "pcmpeqq", "pextrb", "pextrd",
                                     "pextrq", "phminposuw", "pinsrb", "pinsrd", "pinsrq", "pmaxsb", "pmaxsd", "pmaxud",
                                     "pmaxuw", "pminsb", "pminsd", "pminud", "pminuw", "pmuldq", "pmulld", "ptest",
                                     "roundpd", "roundps", "roundsd", "roundss"]),
        table(.x86_64_v2, "SSE4.2", ["pcmpestri", "pcmpestrm", "pcmpistri", "pcmpistrm", "pcmpgtq"]),
        table(.x86_64_v2, "POPCNT", ["popcnt", "popcntw", "popcntl", "popcntq"]),
        table(.x86_64_v2, "CMPXCHG16B", ["cmpxchg16b"]),
        table(.x86_64_v3, "BMI1", ["andn", "bextr", "blsi", "blsmsk", "blsr", "tzcnt", "tzcntw", "tzcntl", "tzcntq"]),
        table(.x86_64_v3, "BMI2", ["bzhi", "mulx", "pdep", "pext", "rorx", "sarx", "shlx", "shrx"]),
        table(.x86_64_v3, "LZCNT", ["lzcnt", "lzcntw", "lzcntl", "lzcntq"]),
        table(.x86_64_v3, "MOVBE", ["movbe", "movbew", "movbel", "movbeq"]),
        table(.x86_64_v3, "F16C", ["vcvtph2ps", "vcvtps2ph"]),
        table(.x86_64_v3, "XSAVE", ["xsave", "xrstor", "xgetbv", "xsetbv", "xsaveopt", "xsave64", "xrstor64"]),
        table(nil, "AES-NI", ["aesenc", "aesenclast", "aesdec", "aesdeclast", "aesimc", "aeskeygenassist"]),
        table(nil, "PCLMULQDQ", ["pclmulqdq", "pclmullqlqdq", "pclmulhqlqdq", "pclmullqhqdq", "pclmulhqhqdq"]),
        table(nil, "SHA", ["sha1rnds4", "sha1nexte", "sha1msg1", "sha1msg2", "sha256rnds2", "sha256msg1", "sha256msg2"]),
        table(nil, "RDRAND/RDSEED", ["rdrand", "rdseed"]),
    ].flatMap { $0 })

    /// Mnemonic families matched by prefix, longest first where two overlap.
    static let prefixes: [(String, Requirement)] = [
        ("fcmov", Requirement(level: .i686, feature: "FCMOV")),
        ("cmov", Requirement(level: .i686, feature: "CMOV")),
        ("fisttp", Requirement(level: .x86_64_v2, feature: "SSE3")),
        ("pmovsx", Requirement(level: .x86_64_v2, feature: "SSE4.1")),
        ("pmovzx", Requirement(level: .x86_64_v2, feature: "SSE4.1")),
        ("crc32", Requirement(level: .x86_64_v2, feature: "SSE4.2")),
        ("vfmadd", Requirement(level: .x86_64_v3, feature: "FMA")),
        ("vfmsub", Requirement(level: .x86_64_v3, feature: "FMA")),
        ("vfnmadd", Requirement(level: .x86_64_v3, feature: "FMA")),
        ("vfnmsub", Requirement(level: .x86_64_v3, feature: "FMA")),
        ("kmov", Requirement(level: .x86_64_v4, feature: "AVX-512")),
        ("vpternlog", Requirement(level: .x86_64_v4, feature: "AVX-512")),
        ("aes", Requirement(level: nil, feature: "AES-NI")),
    ]
}
