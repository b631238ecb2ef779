import Graph

/// The `%FIELD%` text format of database entries (`desc`, the old `depends`, `files`).
extension DatabaseEntry {
    /// An entry named only by its archive directory, `name-pkgver-pkgrel`, as libalpm
    /// first creates it before reading `desc`; `nil` if the name has fewer than two `-`.
    init?(directoryName: String) {
        let parts = directoryName.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        let nameEnd = directoryName.utf8.count - parts[parts.count - 1].count - parts[parts.count - 2].count - 2
        let name = String(directoryName.utf8.prefix(nameEnd))!
        let version = String(directoryName.utf8.dropFirst(nameEnd + 1))!
        guard !name.isEmpty else { return nil }
        self.init(filename: "", name: name, version: Version(version))
    }

    /// Reads one `%FIELD%` file of this entry's directory, as libalpm's `sync_db_read`
    /// does: a header line, then one value (or, for lists, values up to an empty line).
    /// Unknown fields are skipped, as libalpm skips them; `NAME` and `VERSION` must match
    /// the directory name, or libalpm would refuse the database as inconsistent.
    mutating func read(fieldFile text: [UInt8], file: String, entry: String) throws(RepoError) {
        var lines = LineCursor(text)
        while let header = lines.next() {
            guard header.count > 2, header.first == UInt8(ascii: "%"), header.last == UInt8(ascii: "%") else { continue }
            let field = String(decoding: header.dropFirst().dropLast(), as: UTF8.self)
            switch field {
            case "NAME", "VERSION":
                let value = lines.next().map { String(decoding: $0, as: UTF8.self) } ?? ""
                let expected = field == "NAME" ? name : version.description
                if value != expected {
                    throw .malformed(file: file, entry: entry, expected: "\(field) \(expected) as in the directory name", found: value)
                }
            case "FILENAME": filename = lines.nextString() ?? ""
            case "BASE": base = lines.nextString()
            case "DESC": desc = lines.nextString()
            case "CSIZE": compressedSize = lines.nextString().flatMap { Int64($0) }
            case "ISIZE": installedSize = lines.nextString().flatMap { Int64($0) }
            case "MD5SUM": md5sum = lines.nextString()
            case "SHA256SUM": sha256sum = lines.nextString()
            case "PGPSIG": pgpsig = lines.nextString()
            case "URL": url = lines.nextString()
            case "ARCH": arch = lines.nextString()
            case "BUILDDATE": buildDate = lines.nextString().flatMap { Int64($0) }
            case "PACKAGER": packager = lines.nextString()
            case "GROUPS": groups = lines.list()
            case "LICENSE": licenses = lines.list()
            case "REPLACES": replaces = lines.list().map(Dependency.init)
            case "CONFLICTS": conflicts = lines.list().map(Dependency.init)
            case "PROVIDES": provides = lines.list().map(Dependency.init)
            case "DEPENDS": depends = lines.list().map(Dependency.init)
            case "OPTDEPENDS": optDepends = lines.list().map(Dependency.init)
            case "MAKEDEPENDS": makeDepends = lines.list().map(Dependency.init)
            case "CHECKDEPENDS": checkDepends = lines.list().map(Dependency.init)
            case "FILES": files = lines.list()
            default: _ = lines.list()
            }
        }
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

/// Walks the lines of a `%FIELD%` file, stripping `\n` and `\r` as libalpm's
/// `_alpm_strip_newline` does.
private struct LineCursor {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> ArraySlice<UInt8>? {
        guard position < bytes.count else { return nil }
        let start = position
        var end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        position = end + 1
        while end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return bytes[start..<end]
    }

    mutating func nextString() -> String? {
        next().map { String(decoding: $0, as: UTF8.self) }
    }

    /// Values up to the next empty line or the end.
    mutating func list() -> [String] {
        var values: [String] = []
        while let line = next(), !line.isEmpty { values.append(String(decoding: line, as: UTF8.self)) }
        return values
    }
}
