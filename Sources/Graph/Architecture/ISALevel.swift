/// An x86 instruction-set level a repo promises its packages run on: the 32-bit
/// CPUs an i486 to pentium4 port targets (gcc's `-march` names), and the x86-64 psABI
/// levels. Ordered: each level runs every instruction of the levels below it.
///
/// `pentium4` is gcc's: MMX, SSE and SSE2 (no SSE3). `x86-64-v1` is the x86-64
/// baseline, which includes everything of `pentium4` (CMOV, SSE2).
public enum ISALevel: String, Sendable, Codable, CaseIterable, Comparable {
    case i486, i586, i686, pentium4
    case x86_64_v1 = "x86-64-v1", x86_64_v2 = "x86-64-v2", x86_64_v3 = "x86-64-v3", x86_64_v4 = "x86-64-v4"

    public static func < (a: ISALevel, b: ISALevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// 32 for the 32-bit levels, 64 for the x86-64 ones: the ELF class of its programs.
    public var bits: Int { self < .x86_64_v1 ? 32 : 64 }

    /// `e_machine` of its ELF files: `EM_386` (3) or `EM_X86_64` (62).
    public var elfMachine: Int { bits == 32 ? 3 : 62 }

    /// What `file` calls that machine, for messages.
    public var machineDescription: String { bits == 32 ? "32-bit Intel 80386" : "64-bit x86-64" }

    /// The CARCHes of 32-bit x86 ports, run under the 32-bit personality.
    public static let x86_32Carches = ["i386", "i486", "i586", "i686", "pentium4"]

    /// Whether packages of `carch` are 32-bit x86 programs.
    public static func isX86_32(carch: String) -> Bool { x86_32Carches.contains(carch) }

    /// The level a CARCH promises when the repo names none: `i486`...`pentium4` their
    /// own, `i386` as `i486` (the oldest level known here), `x86_64` the baseline;
    /// nil for other machines.
    public static func implied(byCarch carch: String) -> ISALevel? {
        if carch == "i386" { return .i486 }
        if carch == "x86_64" { return .x86_64_v1 }
        return ISALevel(rawValue: carch)
    }

    /// Every level's name, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
