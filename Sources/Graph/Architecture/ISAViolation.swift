/// One ELF file of a package that does not run on the repo's ``ISALevel``: the wrong
/// class or machine, or instructions beyond the level, with their counts.
public struct ISAViolation: Sendable, Hashable, Codable {
    /// The package file's name, then the entry's path inside it.
    public var package: String
    public var file: String
    /// `64-bit x86_64 (expected 32-bit Intel 80386)`; nil when the machine is right.
    public var wrongMachine: String?
    /// The instructions beyond the level, most frequent first.
    public var instructions: [Instruction]

    /// One mnemonic, how often it occurs in the file, and why it is beyond the level.
    public struct Instruction: Sendable, Hashable, Codable {
        public var mnemonic: String
        public var count: Int
        public var requirement: X86Instructions.Requirement

        public init(mnemonic: String, count: Int, requirement: X86Instructions.Requirement) {
            self.mnemonic = mnemonic
            self.count = count
            self.requirement = requirement
        }
    }

    public init(package: String, file: String, wrongMachine: String? = nil, instructions: [Instruction] = []) {
        self.package = package
        self.file = file
        self.wrongMachine = wrongMachine
        self.instructions = instructions
    }

    /// `PKG: usr/lib/libfoo.so.1: cmovl x3, cmove x1 (i686: CMOV)`: instructions grouped
    /// by the extension that needs them.
    public var description: String {
        var parts: [String] = []
        if let wrongMachine { parts.append("ELF \(wrongMachine)") }
        var groups: [X86Instructions.Requirement: [Instruction]] = [:]
        var order: [X86Instructions.Requirement] = []
        for instruction in instructions {
            if groups[instruction.requirement] == nil { order.append(instruction.requirement) }
            groups[instruction.requirement, default: []].append(instruction)
        }
        for requirement in order {
            let names = groups[requirement]!.map { "\($0.mnemonic) x\($0.count)" }.joined(separator: ", ")
            parts.append("\(names) (\(requirement.description))")
        }
        return "\(package): \(file): " + parts.joined(separator: "; ")
    }
}

/// Judges the ELF files of a package against a level: pure, over what the ELF reader
/// and the disassembler found.
public enum ISACheck {
    /// One disassembled instruction kind and its count (`cmovl`, registers `-`, 3).
    public struct Count: Sendable, Hashable {
        public var mnemonic: String
        public var registers: X86Instructions.Registers
        public var count: Int

        public init(mnemonic: String, registers: X86Instructions.Registers, count: Int) {
            self.mnemonic = mnemonic
            self.registers = registers
            self.count = count
        }
    }

    /// The file's violation of `level`, nil when it has none. A file of the wrong class or
    /// machine is a violation whatever its instructions (which are then not judged: they
    /// are another machine's).
    public static func judge(package: String, file: String, bits: Int, machine: Int, counts: [Count],
                             level: ISALevel) -> ISAViolation? {
        guard bits == level.bits, machine == level.elfMachine else {
            let found = "\(bits)-bit \(machineName(machine))"
            return ISAViolation(package: package, file: file, wrongMachine: "\(found) (expected \(level.machineDescription))")
        }
        var totals: [String: (Int, X86Instructions.Requirement)] = [:]
        for count in counts {
            guard let requirement = X86Instructions.requirement(mnemonic: count.mnemonic, registers: count.registers),
                  !requirement.allowed(at: level) else { continue }
            totals[count.mnemonic, default: (0, requirement)].0 += count.count
        }
        guard !totals.isEmpty else { return nil }
        let instructions = totals.map { ISAViolation.Instruction(mnemonic: $0.key, count: $0.value.0, requirement: $0.value.1) }
            .sorted { ($0.count, $1.mnemonic) > ($1.count, $0.mnemonic) }
        return ISAViolation(package: package, file: file, instructions: instructions)
    }

    /// Parses one line of the disassembler's summary, `MNEMONIC<TAB>REGISTERS<TAB>COUNT`;
    /// nil for anything else (a hostile or broken line is skipped, never trusted further).
    public static func parseCount(_ line: Substring) -> Count? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 3, !fields[0].isEmpty, fields[0].count <= 32,
              fields[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }),
              let registers = X86Instructions.Registers(rawValue: String(fields[1])),
              let count = Int(fields[2]), count > 0 else { return nil }
        return Count(mnemonic: String(fields[0]), registers: registers, count: count)
    }

    private static func machineName(_ machine: Int) -> String {
        switch machine {
        case 3: "Intel 80386"
        case 62: "x86-64"
        case 183: "aarch64"
        case 40: "ARM"
        default: "machine \(machine)"
        }
    }
}
