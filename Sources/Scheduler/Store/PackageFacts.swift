import Repo

/// What one built package file's `.PKGINFO` says, with the file's size and sha256, as
/// the waka that built it read it when it reported the build (schema 10, table
/// `package_facts`). Review reads these instead of the package file, which for a remote
/// waka's build is on that waka's machine (or only in the store).
///
/// Dependency lists hold each entry's text as `.PKGINFO` has it (`libc.so=6-64`,
/// `python: for the bindings`), which is also how a database entry's lists compare.
public struct PackageFacts: Sendable, Hashable, Codable {
    /// The package file's name (its last path component), the key within a build.
    public var filename: String
    public var name: String
    public var base: String?
    /// The full `[epoch:]pkgver-pkgrel`.
    public var version: String
    public var arch: String?
    public var desc: String?
    public var url: String?
    /// `size`: bytes installed, as makepkg measured them.
    public var installedSize: Int64?
    /// `builddate`, seconds since the epoch.
    public var buildDate: Int64?
    public var packager: String?
    public var licenses: [String] = []
    public var groups: [String] = []
    public var depends: [String] = []
    public var optDepends: [String] = []
    public var provides: [String] = []
    public var conflicts: [String] = []
    public var replaces: [String] = []
    public var backup: [String] = []
    /// The sonames its ELF files provide (`DT_SONAME`) and need (`DT_NEEDED`), each with
    /// its class (`libfoo.so.1-64`, ``PackageLinkage``); nil in facts recorded before
    /// pacbuild read them (decoded from older JSON text as nil, so no schema change).
    public var sonamesProvided: [String]? = nil
    public var sonamesNeeded: [String]? = nil
    /// ELF files whose sonames could not be read (`entry: reason`); nil like the above.
    public var sonameProblems: [String]? = nil
    /// The package file's size in bytes.
    public var fileSize: Int64
    public var sha256: String

    public init(filename: String, name: String, version: String, fileSize: Int64, sha256: String) {
        self.filename = filename
        self.name = name
        self.version = version
        self.fileSize = fileSize
        self.sha256 = sha256
    }

    /// The facts of a package file already read.
    public init(_ file: PackageFile) {
        let info = file.info
        self.init(filename: String(file.path.split(separator: "/").last ?? Substring(file.path)), name: info.name ?? "",
                  version: info.version?.description ?? "", fileSize: file.checksums.compressedSize, sha256: file.checksums.sha256sum)
        base = info.base
        arch = info.arch
        desc = info.desc
        url = info.url
        installedSize = info.installedSize
        buildDate = info.buildDate
        packager = info.packager
        licenses = info.licenses
        groups = info.groups
        depends = info.depends.map(\.description)
        optDepends = info.optDepends.map(\.description)
        provides = info.provides.map(\.description)
        conflicts = info.conflicts.map(\.description)
        replaces = info.replaces.map(\.description)
        backup = info.backup
        if let linkage = file.linkage {
            sonamesProvided = linkage.provides
            sonamesNeeded = linkage.needs
            sonameProblems = linkage.problems.isEmpty ? nil : linkage.problems
        }
    }

    /// Reads the package file at `path`, its ELF files' sonames included; throws what
    /// ``PackageFile/read(at:limits:linkage:)`` throws.
    public static func read(at path: String) throws(RepoError) -> PackageFacts {
        PackageFacts(try PackageFile.read(at: path, linkage: true))
    }
}
