/// Errors of the Repo module. Each names the file and, where there is one, the archive
/// entry, so that a maintainer can find the broken package or database without a
/// debugger; the archive library's own message is kept verbatim.
public enum RepoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, read, created or renamed (`reason` is strerror's text).
    case io(file: String, reason: String)
    /// libarchive refused the file or one of its entries (truncated, corrupt, unknown format).
    case archive(file: String, entry: String?, message: String)
    /// An entry name that could escape the target or that pacman cannot represent:
    /// absolute, containing `..`, or not UTF-8 (`name` shows invalid bytes as `\xNN`).
    case unsafeEntryName(file: String, name: String, reason: String)
    /// An entry or the whole archive is larger than the configured ``ReadLimits`` allow.
    case tooLarge(file: String, entry: String?, size: Int64, limit: Int64)
    /// A metadata file (`.PKGINFO`, a database `desc`) lacks a field pacman requires.
    case missingField(file: String, entry: String, field: String)
    /// A metadata file holds something other than what pacman writes there.
    case malformed(file: String, entry: String, expected: String, found: String)
    /// A package file without a `.PKGINFO`: not a package at all.
    case notAPackage(file: String)
    /// A database path without a `.db.tar[.EXT]` (or `.files.tar[.EXT]`) name, as repo-add requires.
    case badDatabaseName(file: String)
    /// Another process holds the database's lock file.
    case locked(lockFile: String, holder: String?)
    /// A package signature repo-add would refuse (armored, or over 16 KiB).
    case badSignature(file: String, reason: String)
    /// `repo remove` named a package the database does not hold.
    case packageNotFound(database: String, name: String)
    /// An external tool (gpg) failed.
    case tool(command: String, status: Int32, output: String)
    /// A package's name, version, arch or file name that would form a path or database
    /// entry makepkg would never make (`pkgname = ../../x`, a `/` in pkgver): `reason`
    /// is makepkg's sentence (``PackageNameRules``) or what is wrong with the file name.
    case refusedValue(file: String, field: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .io(let file, let reason):
            return "\(file): \(reason)"
        case .archive(let file, let entry, let message):
            return "\(file)\(entry.map { ": entry \($0)" } ?? ""): \(message)"
        case .unsafeEntryName(let file, let name, let reason):
            return "\(file): entry \(name): \(reason)"
        case .tooLarge(let file, let entry, let size, let limit):
            return "\(file)\(entry.map { ": entry \($0)" } ?? ""): \(size) bytes exceed the limit of \(limit) bytes"
        case .missingField(let file, let entry, let field):
            return "\(file): entry \(entry): missing field \(field)"
        case .malformed(let file, let entry, let expected, let found):
            return "\(file): entry \(entry): expected \(expected), found \(found)"
        case .notAPackage(let file):
            return "\(file): not a package file (no .PKGINFO)"
        case .badDatabaseName(let file):
            return "\(file): not a database archive name (expected NAME.db.tar[.gz|.xz|.zst|.bz2|.lz4|.Z])"
        case .locked(let lockFile, let holder):
            return "\(lockFile): lock held\(holder.map { " by process \($0)" } ?? "")"
        case .badSignature(let file, let reason):
            return "\(file): \(reason)"
        case .packageNotFound(let database, let name):
            return "\(database): no package named \(name)"
        case .tool(let command, let status, let output):
            return "\(command) exited with status \(status)\(output.isEmpty ? "" : ": \(output)")"
        case .refusedValue(let file, let field, let value, let reason):
            return "\(file): \(field) '\(value)' refused: \(reason)"
        }
    }
}
