import Graph

/// One package of a sync or files database: the `desc` entry repo-add writes (and, in
/// a files database, its `files` list), with pacman's field names.
///
/// Versions and dependency lists arrive as Graph's value types, so the planner compares
/// a database against PKGBUILDs with the same `Version` ordering and `Dependency`
/// matching libalpm uses. Text fields keep pacman's spelling byte for byte.
public struct DatabaseEntry: Sendable {
    /// `%FILENAME%`: the package file's name in the repository directory.
    public var filename: String
    /// `%NAME%`.
    public var name: String
    /// `%BASE%`: the pkgbase of a split package; `nil` when the desc has none (old dbs).
    public var base: String?
    /// `%VERSION%`: `[epoch:]pkgver-pkgrel`.
    public var version: Version
    /// `%DESC%`: the one-line description.
    public var desc: String?
    /// `%GROUPS%`.
    public var groups: [String] = []
    /// `%CSIZE%`: the package file's size in bytes.
    public var compressedSize: Int64?
    /// `%ISIZE%`: the installed size in bytes, from `.PKGINFO`'s `size`.
    public var installedSize: Int64?
    /// `%MD5SUM%`: lower-case hex of the package file.
    public var md5sum: String?
    /// `%SHA256SUM%`: lower-case hex of the package file.
    public var sha256sum: String?
    /// `%PGPSIG%`: the base64 of the detached signature, when the package had one.
    public var pgpsig: String?
    /// `%URL%`.
    public var url: String?
    /// `%LICENSE%`.
    public var licenses: [String] = []
    /// `%ARCH%`.
    public var arch: String?
    /// `%BUILDDATE%`: seconds since the epoch.
    public var buildDate: Int64?
    /// `%PACKAGER%`.
    public var packager: String?
    /// `%REPLACES%`.
    public var replaces: [Dependency] = []
    /// `%CONFLICTS%`.
    public var conflicts: [Dependency] = []
    /// `%PROVIDES%`.
    public var provides: [Dependency] = []
    /// `%DEPENDS%`.
    public var depends: [Dependency] = []
    /// `%OPTDEPENDS%`, each with its description after `": "`.
    public var optDepends: [Dependency] = []
    /// `%MAKEDEPENDS%`.
    public var makeDepends: [Dependency] = []
    /// `%CHECKDEPENDS%`.
    public var checkDepends: [Dependency] = []
    /// `%FILES%` of a files database, in its order; `nil` in a plain sync database.
    public var files: [String]?

    /// An entry with the fields every pacman database entry has; the rest start empty.
    public init(filename: String, name: String, version: Version) {
        self.filename = filename
        self.name = name
        self.version = version
    }

    /// The entry's directory in the database archive, `name-version`, as repo-add names it.
    public var directoryName: String { name + "-" + version.description }
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
