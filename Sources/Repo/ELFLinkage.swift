/// What one ELF file says about dynamic linking: its class, the soname it provides
/// (`DT_SONAME`) and the sonames it needs (`DT_NEEDED`), as `readelf -d` shows them.
///
/// Read by a pure parser over the file's bytes (ELF32 and ELF64, either byte order):
/// the `.dynamic` section and the string table its `sh_link` names, or, when the file
/// has no section headers (`sstrip`), the `PT_DYNAMIC` segment and `DT_STRTAB` mapped
/// through the `PT_LOAD` segments. Every offset, size and count is checked against the
/// bytes before use, so a hostile file gives ``RepoError/malformedELF(file:entry:reason:)``,
/// never a crash or an allocation beyond the file's own size.
public struct ELFLinkage: Sendable, Hashable, Codable {
    /// 32 or 64 (`EI_CLASS`): a 32-bit program needs the 32-bit library of its soname.
    public var bits: Int
    /// `DT_SONAME`, nil for an executable or a library linked without `-soname`.
    public var soname: String?
    /// `DT_NEEDED`, in the file's order.
    public var needed: [String]

    public init(bits: Int, soname: String?, needed: [String]) {
        self.bits = bits
        self.soname = soname
        self.needed = needed
    }

    /// Whether `bytes` start with the ELF magic `\x7fELF`.
    public static func isELF(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46])
    }

    /// Parses `bytes`, an ELF file; nil when it has no dynamic section (a static
    /// program, an object file). `file` and `entry` name it in errors.
    public static func parse(_ bytes: [UInt8], file: String, entry: String) throws(RepoError) -> ELFLinkage? {
        var reader = try ELFReader(bytes, file: file, entry: entry)
        return try reader.linkage()
    }
}

/// A soname with the class of the files that provide or need it, as text: the full
/// soname, `-`, and 32 or 64 (`libfoo.so.1-64`). The class follows makepkg's library
/// provides (`libfoo.so=1-64`), but the soname is kept whole, since a bump is a change
/// of the whole soname (`libfoo.so.1` to `libfoo.so.2`, or `libfoo-1.0.so` to `libfoo-1.1.so`).
public func sonameText(_ soname: String, bits: Int) -> String { "\(soname)-\(bits)" }

/// The ELF header fields and dynamic-section walk behind ``ELFLinkage/parse(_:file:entry:)``.
struct ELFReader {
    private let bytes: [UInt8]
    private let file: String
    private let entry: String
    private let is64: Bool
    private let bigEndian: Bool

    private enum Tag {
        static let null: UInt64 = 0, needed: UInt64 = 1, strtab: UInt64 = 5, strsz: UInt64 = 10, soname: UInt64 = 14
    }

    init(_ bytes: [UInt8], file: String, entry: String) throws(RepoError) {
        self.bytes = bytes
        self.file = file
        self.entry = entry
        guard bytes.count >= 16, ELFLinkage.isELF(bytes) else { throw .malformedELF(file: file, entry: entry, reason: "no ELF identification (16 bytes starting \\x7fELF)") }
        switch bytes[4] {
        case 1: is64 = false
        case 2: is64 = true
        default: throw .malformedELF(file: file, entry: entry, reason: "EI_CLASS \(bytes[4]), expected 1 (ELF32) or 2 (ELF64)")
        }
        switch bytes[5] {
        case 1: bigEndian = false
        case 2: bigEndian = true
        default: throw .malformedELF(file: file, entry: entry, reason: "EI_DATA \(bytes[5]), expected 1 (little endian) or 2 (big endian)")
        }
        guard bytes.count >= (is64 ? 64 : 52) else { throw fail("the ELF header is cut off after \(bytes.count) bytes") }
    }

    /// The linkage, from the section headers when there are any, else the program headers.
    mutating func linkage() throws(RepoError) -> ELFLinkage? {
        var dynamic = try dynamicFromSections()
        if dynamic == nil { dynamic = try dynamicFromSegments() }
        guard let (entries, strings) = dynamic else { return nil }
        var soname: String?
        var needed: [String] = []
        for (tag, value) in entries {
            if tag == Tag.soname { soname = try string(at: value, in: strings) }
            if tag == Tag.needed { needed.append(try string(at: value, in: strings)) }
        }
        return ELFLinkage(bits: is64 ? 64 : 32, soname: soname, needed: needed)
    }

    // MARK: Tables

    /// `.dynamic` (`SHT_DYNAMIC`) and the string table section its `sh_link` names.
    private func dynamicFromSections() throws(RepoError) -> ([(UInt64, UInt64)], Range<Int>)? {
        let offset = try word(at: is64 ? 0x28 : 0x20), entrySize = Int(try u16(at: is64 ? 0x3a : 0x2e))
        let count = Int(try u16(at: is64 ? 0x3c : 0x30))
        guard offset != 0, count != 0 else { return nil }
        let table = try range(offset, count: count, size: entrySize, minimum: is64 ? 64 : 40, what: "section header table")
        func header(_ index: Int) throws(RepoError) -> (type: UInt32, offset: UInt64, size: UInt64, link: UInt32) {
            let base = table.lowerBound + index * entrySize
            return (try u32(at: base + 4), try word(at: base + (is64 ? 0x18 : 0x10)),
                    try word(at: base + (is64 ? 0x20 : 0x14)), try u32(at: base + (is64 ? 0x28 : 0x18)))
        }
        for index in 0..<count {
            let section = try header(index)
            guard section.type == 6 else { continue }   // SHT_DYNAMIC
            guard Int(section.link) < count else { throw fail("the dynamic section links to section \(section.link) of \(count)") }
            let strtab = try header(Int(section.link))
            guard strtab.type == 3 else { throw fail("the dynamic section's string table (section \(section.link)) is of type \(strtab.type), expected 3 (SHT_STRTAB)") }
            let strings = try range(strtab.offset, count: 1, size: try int(strtab.size, "string table size"), minimum: 0, what: "dynamic string table")
            return (try dynamicEntries(in: try range(section.offset, count: 1, size: try int(section.size, "dynamic section size"), minimum: 0, what: "dynamic section")), strings)
        }
        return nil
    }

    /// `PT_DYNAMIC`, with `DT_STRTAB`/`DT_STRSZ` mapped to the file through `PT_LOAD`.
    private func dynamicFromSegments() throws(RepoError) -> ([(UInt64, UInt64)], Range<Int>)? {
        let offset = try word(at: is64 ? 0x20 : 0x1c), entrySize = Int(try u16(at: is64 ? 0x36 : 0x2a))
        let count = Int(try u16(at: is64 ? 0x38 : 0x2c))
        guard offset != 0, count != 0 else { return nil }
        let table = try range(offset, count: count, size: entrySize, minimum: is64 ? 56 : 32, what: "program header table")
        var loads: [(vaddr: UInt64, offset: UInt64, size: UInt64)] = []
        var dynamic: Range<Int>?
        for index in 0..<count {
            let base = table.lowerBound + index * entrySize
            let type = try u32(at: base)
            let fileOffset = try word(at: base + (is64 ? 8 : 4)), vaddr = try word(at: base + (is64 ? 0x10 : 8))
            let fileSize = try word(at: base + (is64 ? 0x20 : 0x10))
            if type == 1 { loads.append((vaddr, fileOffset, fileSize)) }   // PT_LOAD
            if type == 2 { dynamic = try range(fileOffset, count: 1, size: try int(fileSize, "dynamic segment size"), minimum: 0, what: "dynamic segment") }
        }
        guard let dynamic else { return nil }
        let entries = try dynamicEntries(in: dynamic)
        guard let address = entries.first(where: { $0.0 == Tag.strtab })?.1 else { throw fail("the dynamic segment has no DT_STRTAB") }
        let size = entries.first(where: { $0.0 == Tag.strsz })?.1 ?? 0
        guard let load = loads.first(where: { address >= $0.vaddr && address - $0.vaddr < $0.size }) else {
            throw fail("DT_STRTAB 0x\(String(address, radix: 16)) lies in no PT_LOAD segment")
        }
        let strings = try range(load.offset &+ (address - load.vaddr), count: 1,
                                size: try int(min(size, load.size - (address - load.vaddr)), "DT_STRSZ"), minimum: 0, what: "dynamic string table")
        return (entries, strings)
    }

    /// The `(d_tag, d_val)` pairs up to `DT_NULL` or the end of `area`.
    private func dynamicEntries(in area: Range<Int>) throws(RepoError) -> [(UInt64, UInt64)] {
        let size = is64 ? 16 : 8
        var entries: [(UInt64, UInt64)] = []
        var at = area.lowerBound
        while at + size <= area.upperBound {
            let tag = try word(at: at), value = try word(at: at + size / 2)
            if tag == Tag.null { break }
            entries.append((tag, value))
            at += size
        }
        return entries
    }

    /// The NUL-terminated string at `offset` within the string table `table`.
    private func string(at offset: UInt64, in table: Range<Int>) throws(RepoError) -> String {
        guard offset < UInt64(table.count) else { throw fail("string offset \(offset) beyond the \(table.count)-byte dynamic string table") }
        let start = table.lowerBound + Int(offset)
        guard let end = bytes[start..<table.upperBound].firstIndex(of: 0) else {
            throw fail("the string at offset \(offset) of the dynamic string table has no terminating NUL")
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    // MARK: Bounds-checked reads

    /// `count` entries of `size` bytes (at least `minimum` each) from `offset`, inside the file.
    private func range(_ offset: UInt64, count: Int, size: Int, minimum: Int, what: String) throws(RepoError) -> Range<Int> {
        guard size >= minimum else { throw fail("the \(what)'s entries are \(size) bytes, expected at least \(minimum)") }
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, offset <= UInt64(bytes.count), UInt64(total) <= UInt64(bytes.count) - offset else {
            throw fail("the \(what) (\(count) × \(size) bytes at offset \(offset)) extends beyond the file's \(bytes.count) bytes")
        }
        return Int(offset)..<Int(offset) + total
    }

    private func int(_ value: UInt64, _ what: String) throws(RepoError) -> Int {
        guard value <= UInt64(bytes.count) else { throw fail("\(what) \(value) exceeds the file's \(bytes.count) bytes") }
        return Int(value)
    }

    private func fail(_ reason: String) -> RepoError { .malformedELF(file: file, entry: entry, reason: reason) }

    private func unsigned(at offset: Int, width: Int) throws(RepoError) -> UInt64 {
        guard offset >= 0, offset <= bytes.count - width else { throw fail("a \(width)-byte field at offset \(offset) lies beyond the file's \(bytes.count) bytes") }
        var value: UInt64 = 0
        for index in 0..<width {
            let byte = UInt64(bytes[offset + (bigEndian ? index : width - 1 - index)])
            value = value << 8 | byte
        }
        return value
    }

    /// 32 or 64, from `EI_CLASS`.
    var bits: Int { is64 ? 64 : 32 }
    /// `e_machine`, at offset 18 in both classes.
    func machine() throws(RepoError) -> UInt16 { try u16(at: 18) }

    private func u16(at offset: Int) throws(RepoError) -> UInt16 { UInt16(try unsigned(at: offset, width: 2)) }
    private func u32(at offset: Int) throws(RepoError) -> UInt32 { UInt32(try unsigned(at: offset, width: 4)) }
    /// An address, offset or size: 4 bytes in ELF32, 8 in ELF64.
    private func word(at offset: Int) throws(RepoError) -> UInt64 { try unsigned(at: offset, width: is64 ? 8 : 4) }
}
