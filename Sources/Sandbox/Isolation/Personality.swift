import Graph

/// The kernel's execution domain of a sandboxed command (personality(2)).
public enum Personality: String, Sendable, Codable {
    /// The host's: `uname -m` says `x86_64` on an x86-64 kernel.
    case native
    /// `PER_LINUX32`: `uname -m` says `i686`, as on a 32-bit machine; what `setarch
    /// linux32` sets, and what Arch Linux 32's build machines run their builds under.
    case linux32

    /// The personality of a build for `carch`: 32-bit x86 CARCHes (``ISALevel``) run
    /// under ``linux32``, so configure scripts and `uname -m` see a 32-bit machine.
    public static func forBuild(carch: String) -> Personality {
        ISALevel.isX86_32(carch: carch) ? .linux32 : .native
    }

    /// The host command that sets it before the sandbox's first exec (inherited by every
    /// process of the sandbox across fork and exec); empty for ``native``.
    var prefix: [String] {
        switch self {
        case .native: []
        case .linux32: ["setarch", "linux32", "--"]
        }
    }
}
