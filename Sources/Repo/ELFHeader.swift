/// The identification of one ELF file: its class and machine (`e_machine`), as
/// `readelf -h` shows them. Read for every ELF file, static programs and object files
/// included, which ``ELFLinkage`` leaves out (they have no dynamic section): an
/// architecture check must see every file of a package.
public struct ELFHeader: Sendable, Hashable, Codable {
    /// The path inside the package (or the file's name).
    public var path: String
    /// 32 or 64 (`EI_CLASS`).
    public var bits: Int
    /// `e_machine`: 3 for 32-bit x86 (`EM_386`), 62 for x86-64 (`EM_X86_64`).
    public var machine: Int

    public init(path: String, bits: Int, machine: Int) {
        self.path = path
        self.bits = bits
        self.machine = machine
    }

    /// Parses the header of `bytes`, an ELF file; throws ``RepoError/malformedELF(file:entry:reason:)``
    /// for a cut-off or unknown header.
    public static func parse(_ bytes: [UInt8], file: String, entry: String) throws(RepoError) -> ELFHeader {
        let reader = try ELFReader(bytes, file: file, entry: entry)
        return ELFHeader(path: entry, bits: reader.bits, machine: Int(try reader.machine()))
    }

    /// The machine as the kernel's `uname -m` family names it: `i386` for every 32-bit
    /// x86 (i486 to pentium4 alike), `x86_64`, `aarch64`, ...; `machine N` otherwise.
    public var machineName: String { Self.machineName(machine) }

    public static func machineName(_ machine: Int) -> String {
        switch machine {
        case 3: "i386"
        case 62: "x86_64"
        case 40: "arm"
        case 183: "aarch64"
        case 243: "riscv"
        case 20: "powerpc"
        case 21: "ppc64"
        case 8: "mips"
        case 22: "s390"
        default: "machine \(machine)"
        }
    }
}
