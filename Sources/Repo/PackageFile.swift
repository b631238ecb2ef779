import Foundation
import Graph

/// The checksums and size of a package file that repo-add records in its desc entry.
public struct PackageChecksums: Sendable, Hashable, Codable {
    /// `%MD5SUM%`: lower-case hex.
    public var md5sum: String
    /// `%SHA256SUM%`: lower-case hex.
    public var sha256sum: String
    /// `%CSIZE%`: the file's size in bytes.
    public var compressedSize: Int64
}

/// A built package file (`.pkg.tar.zst`, `.xz`, `.gz`, `.bz2`, `.lz4`, or plain tar):
/// its metadata, file list and checksums, read in one pass without extracting anything.
///
/// This is what pacbuild verifies after a build and what ``DatabaseWriter`` turns into
/// a database entry, so everything repo-add takes from a package is here.
public struct PackageFile: Sendable, Encodable {
    /// The file read, as given.
    public let path: String
    /// `.PKGINFO`.
    public var info: PackageInfo
    /// `.BUILDINFO`, which makepkg writes since pacman 5.0; `nil` in older packages.
    public var buildInfo: BuildInfo?
    /// Every entry except pacman's metadata (`.PKGINFO`, `.MTREE`, `.INSTALL`, ...), in
    /// archive order, directories with their trailing `/`.
    public var files: [String]
    /// The sum of the regular files' sizes, what the package occupies once installed
    /// (makepkg's `size` counts the same bytes, by `du`, so the two can differ slightly).
    public var unpackedSize: Int64
    /// MD5, SHA-256 and size of the file.
    public var checksums: PackageChecksums
    /// The detached signature `PATH.sig`, if there is one.
    public var signature: Data?
    /// The sonames its ELF files provide and need; nil unless asked for (`linkage: true`),
    /// since reading them decompresses every ELF file.
    public var linkage: PackageLinkage? = nil

    /// Reads `path` and, when present, `path.sig`.
    ///
    /// Throws on a truncated or corrupt archive, an unsafe entry name, a `.PKGINFO` that
    /// is missing or lacks `pkgname`/`pkgver` (repo-add's own check), or an archive
    /// beyond `limits`; every error names the file and, where known, the entry.
    /// With `linkage`, the ELF files' sonames are read too (``PackageLinkage``).
    public static func read(at path: String, limits: ReadLimits = .package, linkage readLinkage: Bool = false) throws(RepoError) -> PackageFile {
        let md5 = Digest(.md5), sha256 = Digest(.sha256)
        let reader = try ArchiveReader(file: path, limits: limits, digests: [md5, sha256])
        var info: PackageInfo?
        var buildInfo: BuildInfo?
        var files: [String] = []
        var unpacked: Int64 = 0
        var linkage = PackageLinkage()
        while let header = try reader.next() {
            switch strippingDotSlash(header.name) {
            case ".PKGINFO": info = PackageInfo(fields: parseKeyValueLines(try reader.readData(size: header.size)))
            case ".BUILDINFO": buildInfo = BuildInfo(fields: parseKeyValueLines(try reader.readData(size: header.size)))
            case let name where name.hasPrefix("."): continue
            default:
                files.append(header.name)
                if header.isRegularFile { unpacked += header.size }
                if readLinkage && header.isRegularFile { try readELF(header, from: reader, into: &linkage, limits: limits) }
            }
        }
        try reader.finishDigests()
        guard let info else { throw .notAPackage(file: path) }
        for field in ["pkgname", "pkgver"] where (info.value(field) ?? "").isEmpty {
            throw .missingField(file: path, entry: ".PKGINFO", field: field)
        }
        let checksums = PackageChecksums(md5sum: md5.finalHex(), sha256sum: sha256.finalHex(),
                                         compressedSize: reader.compressedBytesRead)
        let signature = FileManager.default.contents(atPath: path + ".sig")
        linkage.finish()
        return PackageFile(path: path, info: info, buildInfo: buildInfo, files: files,
                           unpackedSize: unpacked, checksums: checksums, signature: signature,
                           linkage: readLinkage ? linkage : nil)
    }

    /// Adds the entry's sonames when it is an ELF file; a malformed or too large one goes
    /// into the linkage's problems, an archive error (a truncated package) is thrown.
    private static func readELF(_ header: ArchiveEntryHeader, from reader: ArchiveReader, into linkage: inout PackageLinkage,
                                limits: ReadLimits) throws(RepoError) {
        switch try reader.readELF(size: header.size, cap: limits.maxELFBytes) {
        case .notELF: return
        case .tooLarge: linkage.problems.append("\(header.name): \(header.size) bytes exceed the limit of \(limits.maxELFBytes) bytes for ELF files")
        case .elf(let bytes):
            do throws(RepoError) {
                if let elf = try ELFLinkage.parse(bytes, file: reader.file, entry: header.name) { linkage.add(elf) }
            } catch {
                guard case .malformedELF(_, _, let reason) = error else { throw error }
                linkage.problems.append("\(header.name): malformed ELF file: \(reason)")
            }
        }
    }

    /// The database entry repo-add 6.0.2 writes for this package (`db_write_entry`),
    /// with `files` set to its files-database list (`bsdtar --exclude='^.*' -tf | LC_ALL=C
    /// sort -u`).
    ///
    /// Throws for a signature repo-add refuses: armored, or larger than 16 KiB.
    public func databaseEntry() throws(RepoError) -> DatabaseEntry {
        var entry = DatabaseEntry(filename: String(path.split(separator: "/").last ?? Substring(path)),
                                  name: info.name ?? "", version: info.version ?? Version(""))
        entry.base = info.base
        entry.desc = info.desc
        entry.groups = info.groups
        entry.compressedSize = checksums.compressedSize
        entry.installedSize = info.installedSize
        entry.md5sum = checksums.md5sum
        entry.sha256sum = checksums.sha256sum
        entry.pgpsig = try signature.map { data throws(RepoError) in try pgpsigField(data) }
        entry.url = info.url
        entry.licenses = info.licenses
        entry.arch = info.arch
        entry.buildDate = info.buildDate
        entry.packager = info.packager
        entry.replaces = info.replaces
        entry.conflicts = info.conflicts
        entry.provides = info.provides
        entry.depends = info.depends
        entry.optDepends = info.optDepends
        entry.makeDepends = info.makeDepends
        entry.checkDepends = info.checkDepends
        entry.files = sortedUnique(files)
        return entry
    }

    /// `%PGPSIG%`: the signature in base64 on one line, after repo-add's two checks.
    private func pgpsigField(_ data: Data) throws(RepoError) -> String {
        if data.range(of: Data("BEGIN PGP SIGNATURE".utf8)) != nil {
            throw .badSignature(file: path + ".sig", reason: "armored signatures cannot be used for packages")
        }
        if data.count > 16384 {
            throw .badSignature(file: path + ".sig", reason: "signature larger than 16384 bytes")
        }
        return data.base64EncodedString()
    }
}

/// The name with leading `./` removed, as libarchive's path matching sees it; repo-add's
/// `--exclude='^.*'` drops exactly the entries whose name then starts with a dot.
private func strippingDotSlash(_ name: String) -> Substring {
    var rest = Substring(name)
    while rest.hasPrefix("./") { rest = rest.dropFirst(2) }
    return rest
}

/// `LC_ALL=C sort -u`: byte order, duplicates dropped.
func sortedUnique(_ names: [String]) -> [String] {
    let sorted = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    var result: [String] = []
    result.reserveCapacity(sorted.count)
    for name in sorted where result.last.map({ !$0.utf8.elementsEqual(name.utf8) }) ?? true {
        result.append(name)
    }
    return result
}
