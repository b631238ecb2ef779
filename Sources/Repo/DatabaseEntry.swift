import Graph

/// One package of a sync or files database: the `desc` entry repo-add writes (and, in
/// a files database, its `files` list), with pacman's field names.
///
/// Versions and dependency lists arrive as Graph's value types, so the planner compares
/// a database against PKGBUILDs with the same `Version` ordering and `Dependency`
/// matching libalpm uses. Text fields keep pacman's spelling byte for byte.
public struct DatabaseEntry: Sendable {
    /// The fields, in one copy-on-write box: an entry is one pointer in an array, so a
    /// database of 15,000 entries is sorted and handed around without copying ~350 bytes
    /// per entry, and a copy costs a retain until one side changes a field.
    private var box: Box

    /// `%FILENAME%`: the package file's name in the repository directory.
    public var filename: String {
        get { box.fields.filename }
        _modify { yield &uniqueBox().fields.filename }
    }
    /// `%NAME%`.
    public var name: String {
        get { box.fields.name }
        _modify { yield &uniqueBox().fields.name }
    }
    /// `%BASE%`: the pkgbase of a split package; `nil` when the desc has none (old dbs).
    public var base: String? {
        get { box.fields.base }
        _modify { yield &uniqueBox().fields.base }
    }
    /// `%VERSION%`: `[epoch:]pkgver-pkgrel`.
    public var version: Version {
        get { box.fields.version }
        _modify { yield &uniqueBox().fields.version }
    }
    /// `%DESC%`: the one-line description.
    public var desc: String? {
        get { box.fields.desc }
        _modify { yield &uniqueBox().fields.desc }
    }
    /// `%GROUPS%`.
    public var groups: [String] {
        get { box.fields.groups }
        _modify { yield &uniqueBox().fields.groups }
    }
    /// `%CSIZE%`: the package file's size in bytes.
    public var compressedSize: Int64? {
        get { box.fields.compressedSize }
        _modify { yield &uniqueBox().fields.compressedSize }
    }
    /// `%ISIZE%`: the installed size in bytes, from `.PKGINFO`'s `size`.
    public var installedSize: Int64? {
        get { box.fields.installedSize }
        _modify { yield &uniqueBox().fields.installedSize }
    }
    /// `%MD5SUM%`: lower-case hex of the package file.
    public var md5sum: String? {
        get { box.fields.md5sum }
        _modify { yield &uniqueBox().fields.md5sum }
    }
    /// `%SHA256SUM%`: lower-case hex of the package file.
    public var sha256sum: String? {
        get { box.fields.sha256sum }
        _modify { yield &uniqueBox().fields.sha256sum }
    }
    /// `%PGPSIG%`: the base64 of the detached signature, when the package had one.
    public var pgpsig: String? {
        get { box.fields.pgpsig }
        _modify { yield &uniqueBox().fields.pgpsig }
    }
    /// `%URL%`.
    public var url: String? {
        get { box.fields.url }
        _modify { yield &uniqueBox().fields.url }
    }
    /// `%LICENSE%`.
    public var licenses: [String] {
        get { box.fields.licenses }
        _modify { yield &uniqueBox().fields.licenses }
    }
    /// `%ARCH%`.
    public var arch: String? {
        get { box.fields.arch }
        _modify { yield &uniqueBox().fields.arch }
    }
    /// `%BUILDDATE%`: seconds since the epoch.
    public var buildDate: Int64? {
        get { box.fields.buildDate }
        _modify { yield &uniqueBox().fields.buildDate }
    }
    /// `%PACKAGER%`.
    public var packager: String? {
        get { box.fields.packager }
        _modify { yield &uniqueBox().fields.packager }
    }
    /// `%REPLACES%`.
    public var replaces: [Dependency] {
        get { box.fields.replaces }
        _modify { yield &uniqueBox().fields.replaces }
    }
    /// `%CONFLICTS%`.
    public var conflicts: [Dependency] {
        get { box.fields.conflicts }
        _modify { yield &uniqueBox().fields.conflicts }
    }
    /// `%PROVIDES%`.
    public var provides: [Dependency] {
        get { box.fields.provides }
        _modify { yield &uniqueBox().fields.provides }
    }
    /// `%DEPENDS%`.
    public var depends: [Dependency] {
        get { box.fields.depends }
        _modify { yield &uniqueBox().fields.depends }
    }
    /// `%OPTDEPENDS%`, each with its description after `": "`.
    public var optDepends: [Dependency] {
        get { box.fields.optDepends }
        _modify { yield &uniqueBox().fields.optDepends }
    }
    /// `%MAKEDEPENDS%`.
    public var makeDepends: [Dependency] {
        get { box.fields.makeDepends }
        _modify { yield &uniqueBox().fields.makeDepends }
    }
    /// `%CHECKDEPENDS%`.
    public var checkDepends: [Dependency] {
        get { box.fields.checkDepends }
        _modify { yield &uniqueBox().fields.checkDepends }
    }
    /// `%FILES%` of a files database, in its order; `nil` in a plain sync database.
    public var files: [String]? {
        get { box.fields.files }
        _modify { yield &uniqueBox().fields.files }
    }

    /// An entry with the fields every pacman database entry has; the rest start empty.
    public init(filename: String, name: String, version: Version) {
        box = Box(Fields(filename: filename, name: name, version: version))
    }

    /// Runs `body` on the fields in place: one uniqueness check and one exclusive access
    /// for many changes (the desc reader sets ~20 fields per entry, each of which would
    /// otherwise be a run-time checked access to the box).
    mutating func withFields<R, E: Error>(_ body: (inout Fields) throws(E) -> R) throws(E) -> R {
        try body(&uniqueBox().fields)
    }

    /// The box, copied first if another entry shares it.
    private mutating func uniqueBox() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        return box
    }

    /// The entry's directory in the database archive, `name-version`, as repo-add names it.
    public var directoryName: String { name + "-" + version.description }
}

extension DatabaseEntry {
    /// The stored fields of an entry (see the properties of ``DatabaseEntry``).
    struct Fields {
        var filename: String
        var name: String
        var base: String?
        var version: Version
        var desc: String?
        var groups: [String] = []
        var compressedSize: Int64?
        var installedSize: Int64?
        var md5sum: String?
        var sha256sum: String?
        var pgpsig: String?
        var url: String?
        var licenses: [String] = []
        var arch: String?
        var buildDate: Int64?
        var packager: String?
        var replaces: [Dependency] = []
        var conflicts: [Dependency] = []
        var provides: [Dependency] = []
        var depends: [Dependency] = []
        var optDepends: [Dependency] = []
        var makeDepends: [Dependency] = []
        var checkDepends: [Dependency] = []
        var files: [String]?
    }

    /// Holds one entry's fields. `@unchecked Sendable`: a box is mutated only through
    /// `uniqueBox()`, i.e. when no other entry (on any thread) refers to it.
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }
}

extension DatabaseEntry: Encodable {
    private enum CodingKeys: String, CodingKey {
        case filename, name, base, version, desc, groups, compressedSize, installedSize, md5sum, sha256sum,
             pgpsig, url, licenses, arch, buildDate, packager, replaces, conflicts, provides, depends,
             optDepends, makeDepends, checkDepends, files
    }

    /// Encodes dependencies as pacman spells them (`foo>=1.0: why`), the form every tool reads.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(filename, forKey: .filename)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(base, forKey: .base)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(desc, forKey: .desc)
        try c.encode(groups, forKey: .groups)
        try c.encodeIfPresent(compressedSize, forKey: .compressedSize)
        try c.encodeIfPresent(installedSize, forKey: .installedSize)
        try c.encodeIfPresent(md5sum, forKey: .md5sum)
        try c.encodeIfPresent(sha256sum, forKey: .sha256sum)
        try c.encodeIfPresent(pgpsig, forKey: .pgpsig)
        try c.encodeIfPresent(url, forKey: .url)
        try c.encode(licenses, forKey: .licenses)
        try c.encodeIfPresent(arch, forKey: .arch)
        try c.encodeIfPresent(buildDate, forKey: .buildDate)
        try c.encodeIfPresent(packager, forKey: .packager)
        let lists: [(CodingKeys, [Dependency])] = [
            (.replaces, replaces), (.conflicts, conflicts), (.provides, provides), (.depends, depends),
            (.optDepends, optDepends), (.makeDepends, makeDepends), (.checkDepends, checkDepends),
        ]
        for (key, list) in lists { try c.encode(list.map(\.description), forKey: key) }
        try c.encodeIfPresent(files, forKey: .files)
    }
}
