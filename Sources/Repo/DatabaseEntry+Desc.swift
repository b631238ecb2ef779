import Glibc
import Graph

/// The `%FIELD%` text format of database entries (`desc`, the old `depends`, `files`).
extension DatabaseEntry {
    /// An entry named only by its archive directory, `name-pkgver-pkgrel`, as libalpm
    /// first creates it before reading `desc`; `nil` if the name has fewer than two `-`.
    init?(directoryName: String) {
        let utf8 = directoryName.utf8
        guard let releaseDash = utf8.lastIndex(of: UInt8(ascii: "-")),
              let versionDash = utf8[..<releaseDash].lastIndex(of: UInt8(ascii: "-")),
              versionDash > utf8.startIndex
        else { return nil }
        self.init(filename: "", name: String(directoryName[..<versionDash]),
                  version: Version(String(directoryName[utf8.index(after: versionDash)...])))
    }

    /// Reads one `%FIELD%` file of this entry's directory, as libalpm's `sync_db_read`
    /// does: a header line, then one value (or, for lists, values up to an empty line).
    /// Unknown fields are skipped, as libalpm skips them; `NAME` and `VERSION` must match
    /// the directory name, or libalpm would refuse the database as inconsistent.
    ///
    /// Works on the bytes: headers are recognised without making strings, and a string
    /// is made only for a value that is kept (this runs ~20 times per package).
    mutating func read(fieldFile text: UnsafeBufferPointer<UInt8>, file: String, entry: String) throws(RepoError) {
        try withFields { (fields) throws(RepoError) in
            var lines = LineCursor(text)
            while let header = lines.next() {
                guard let field = DescField(header: header) else {
                    if header.count > 2, header.first == UInt8(ascii: "%"), header.last == UInt8(ascii: "%") { lines.skipList() }
                    continue
                }
                switch field {
                case .name, .version:
                    let value = lines.next() ?? UnsafeBufferPointer(start: nil, count: 0)
                    let expected = field == .name ? fields.name : fields.version.description
                    let same = expected.utf8.withContiguousStorageIfAvailable { expected in
                        expected.count == value.count && (value.count == 0 || memcmp(expected.baseAddress!, value.baseAddress!, value.count) == 0)
                    } ?? value.elementsEqual(expected.utf8)
                    if !same {
                        throw .malformed(file: file, entry: entry, expected: "\(field.header) \(expected) as in the directory name",
                                         found: String(decoding: value, as: UTF8.self))
                    }
                case .filename: fields.filename = lines.nextString() ?? ""
                case .base: fields.base = lines.nextString()
                case .desc: fields.desc = lines.nextString()
                case .csize: fields.compressedSize = lines.next().flatMap(decimalInt64)
                case .isize: fields.installedSize = lines.next().flatMap(decimalInt64)
                case .md5sum: fields.md5sum = lines.nextString()
                case .sha256sum: fields.sha256sum = lines.nextString()
                case .pgpsig: fields.pgpsig = lines.nextString()
                case .url: fields.url = lines.nextString()
                case .arch: fields.arch = lines.nextString()
                case .builddate: fields.buildDate = lines.next().flatMap(decimalInt64)
                case .packager: fields.packager = lines.nextString()
                case .groups: fields.groups = lines.list()
                case .license: fields.licenses = lines.list()
                case .replaces: fields.replaces = lines.dependencies()
                case .conflicts: fields.conflicts = lines.dependencies()
                case .provides: fields.provides = lines.dependencies()
                case .depends: fields.depends = lines.dependencies()
                case .optdepends: fields.optDepends = lines.dependencies()
                case .makedepends: fields.makeDepends = lines.dependencies()
                case .checkdepends: fields.checkDepends = lines.dependencies()
                case .files: fields.files = lines.list()
                }
            }
        }
    }

    /// ``read(fieldFile:file:entry:)`` over an array.
    mutating func read(fieldFile text: [UInt8], file: String, entry: String) throws(RepoError) {
        try text.withUnsafeBufferPointer { (buffer) throws(RepoError) in try read(fieldFile: buffer, file: file, entry: entry) }
    }

    /// The `desc` file exactly as repo-add 6.0.2's `db_write_entry` writes it: its field
    /// order, one value a line, a blank line after each field, and a field left out
    /// when its (first) value is empty (`format_entry`).
    public var descText: String {
        var text = ""
        func field(_ name: String, _ values: [String]) {
            guard let first = values.first, !first.isEmpty else { return }
            text += "%\(name)%\n"
            for value in values { text += value + "\n" }
            text += "\n"
        }
        func field(_ name: String, _ value: String?) { field(name, value.map { [$0] } ?? []) }
        field("FILENAME", filename)
        field("NAME", name)
        field("BASE", base)
        field("VERSION", version.description)
        field("DESC", desc)
        field("GROUPS", groups)
        field("CSIZE", compressedSize.map(String.init))
        field("ISIZE", installedSize.map(String.init))
        field("MD5SUM", md5sum)
        field("SHA256SUM", sha256sum)
        field("PGPSIG", pgpsig)
        field("URL", url)
        field("LICENSE", licenses)
        field("ARCH", arch)
        field("BUILDDATE", buildDate.map(String.init))
        field("PACKAGER", packager)
        field("REPLACES", replaces.map(\.description))
        field("CONFLICTS", conflicts.map(\.description))
        field("PROVIDES", provides.map(\.description))
        field("DEPENDS", depends.map(\.description))
        field("OPTDEPENDS", optDepends.map(\.description))
        field("MAKEDEPENDS", makeDepends.map(\.description))
        field("CHECKDEPENDS", checkDepends.map(\.description))
        return text
    }

    /// The `files` file of a files database: `%FILES%`, then one path a line.
    public var filesText: String {
        "%FILES%\n" + (files ?? []).map { $0 + "\n" }.joined()
    }
}

/// The `%FIELD%` headers libalpm's `sync_db_read` knows.
private enum DescField: CaseIterable {
    case filename, name, base, version, desc, groups, csize, isize, md5sum, sha256sum, pgpsig, url, license, arch,
         builddate, packager, replaces, conflicts, provides, depends, optdepends, makedepends, checkdepends, files

    /// The field's name between the `%`s.
    var header: StaticString {
        switch self {
        case .filename: "FILENAME"
        case .name: "NAME"
        case .base: "BASE"
        case .version: "VERSION"
        case .desc: "DESC"
        case .groups: "GROUPS"
        case .csize: "CSIZE"
        case .isize: "ISIZE"
        case .md5sum: "MD5SUM"
        case .sha256sum: "SHA256SUM"
        case .pgpsig: "PGPSIG"
        case .url: "URL"
        case .license: "LICENSE"
        case .arch: "ARCH"
        case .builddate: "BUILDDATE"
        case .packager: "PACKAGER"
        case .replaces: "REPLACES"
        case .conflicts: "CONFLICTS"
        case .provides: "PROVIDES"
        case .depends: "DEPENDS"
        case .optdepends: "OPTDEPENDS"
        case .makedepends: "MAKEDEPENDS"
        case .checkdepends: "CHECKDEPENDS"
        case .files: "FILES"
        }
    }

    /// The field a `%NAME%` line names: the candidate is picked by the name's length and
    /// first letter (second for the two 8-letter `P` names), then compared whole.
    init?(header line: UnsafeBufferPointer<UInt8>) {
        let count = line.count - 2
        guard count >= 3, line[0] == UInt8(ascii: "%"), line[count + 1] == UInt8(ascii: "%") else { return nil }
        let candidate: DescField
        switch (count, line[1]) {
        case (3, UInt8(ascii: "U")): candidate = .url
        case (4, UInt8(ascii: "N")): candidate = .name
        case (4, UInt8(ascii: "B")): candidate = .base
        case (4, UInt8(ascii: "D")): candidate = .desc
        case (4, UInt8(ascii: "A")): candidate = .arch
        case (5, UInt8(ascii: "C")): candidate = .csize
        case (5, UInt8(ascii: "I")): candidate = .isize
        case (5, UInt8(ascii: "F")): candidate = .files
        case (6, UInt8(ascii: "G")): candidate = .groups
        case (6, UInt8(ascii: "M")): candidate = .md5sum
        case (6, UInt8(ascii: "P")): candidate = .pgpsig
        case (7, UInt8(ascii: "V")): candidate = .version
        case (7, UInt8(ascii: "L")): candidate = .license
        case (7, UInt8(ascii: "D")): candidate = .depends
        case (8, UInt8(ascii: "F")): candidate = .filename
        case (8, UInt8(ascii: "P")): candidate = line[2] == UInt8(ascii: "A") ? .packager : .provides
        case (8, UInt8(ascii: "R")): candidate = .replaces
        case (9, UInt8(ascii: "S")): candidate = .sha256sum
        case (9, UInt8(ascii: "B")): candidate = .builddate
        case (9, UInt8(ascii: "C")): candidate = .conflicts
        case (10, UInt8(ascii: "O")): candidate = .optdepends
        case (11, UInt8(ascii: "M")): candidate = .makedepends
        case (12, UInt8(ascii: "C")): candidate = .checkdepends
        default: return nil
        }
        let name = candidate.header
        guard name.utf8CodeUnitCount == count, memcmp(name.utf8Start, line.baseAddress! + 1, count) == 0 else { return nil }
        self = candidate
    }
}

/// A decimal number as `Int64(String)` reads one (optional sign, digits only, `nil` on
/// overflow or anything else), without making the string.
private func decimalInt64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    var digits = bytes[...]
    let negative = digits.first == UInt8(ascii: "-")
    if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
    guard !digits.isEmpty else { return nil }
    var value: Int64 = 0
    for byte in digits {
        let digit = byte &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = negative ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
        if overflow1 || overflow2 { return nil }
        value = sum
    }
    return value
}

/// Walks the lines of a `%FIELD%` file, stripping `\n` and `\r` as libalpm's
/// `_alpm_strip_newline` does.
private struct LineCursor {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func next() -> UnsafeBufferPointer<UInt8>? {
        guard position < bytes.count, let base = bytes.baseAddress else { return nil }
        let start = position
        var end = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
            .map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? bytes.count
        position = end + 1
        while end > start, base[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    mutating func nextString() -> String? {
        next().map { String(decoding: $0, as: UTF8.self) }
    }

    /// How many values a list has from here: lines up to the next empty line or the end
    /// (so a list's array is allocated once, at its size).
    func valueCount() -> Int {
        var cursor = self
        var count = 0
        while let line = cursor.next(), !line.isEmpty { count += 1 }
        return count
    }

    /// Values up to the next empty line or the end.
    mutating func list() -> [String] {
        var values: [String] = []
        values.reserveCapacity(valueCount())
        while let line = next(), !line.isEmpty { values.append(String(decoding: line, as: UTF8.self)) }
        return values
    }

    /// Dependency values up to the next empty line or the end, as `alpm_dep_from_string` reads them.
    mutating func dependencies() -> [Dependency] {
        var values: [Dependency] = []
        values.reserveCapacity(valueCount())
        while let line = next(), !line.isEmpty { values.append(Dependency(String(decoding: line, as: UTF8.self))) }
        return values
    }

    /// Skips an unknown field's values.
    mutating func skipList() {
        while let line = next(), !line.isEmpty {}
    }
}
