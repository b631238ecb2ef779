import Graph

/// The names pacbuild forms paths and database entries from: a package file's name,
/// `NAME-VERSION-ARCH.pkg.tar[.EXT]` as makepkg writes it (`PKGEXT`), and the
/// `.PKGINFO` values it is made of. Every value is checked with makepkg's own rules
/// (``PackageNameRules``) before it becomes part of a path or a `name-version/` entry:
/// a package is built by code nobody reviewed, and `pkgname=../../x` must not reach
/// a pool, a cache or a database.
public enum PackageFileName {
    /// The compressions makepkg's `PKGEXT` may name after `.pkg.tar`.
    public static let compressionSuffixes = ["", ".gz", ".bz2", ".xz", ".zst", ".lzo", ".lrz", ".lz4", ".lz", ".Z"]

    /// Why `fileName` cannot be used as one path component below a pool, cache or
    /// artifact directory, or `nil` when it can: it must not be empty, contain `/` or a
    /// NUL byte, or start with `.` (no `..`, no hidden or temporary file's name).
    public static func problem(_ fileName: String) -> String? {
        if fileName.isEmpty { return "the file name is empty" }
        if fileName.utf8.contains(UInt8(ascii: "/")) { return "the file name contains '/'" }
        if fileName.utf8.contains(0) { return "the file name contains a NUL byte" }
        if fileName.hasPrefix(".") { return "the file name starts with '.'" }
        return nil
    }

    /// Throws ``RepoError/refusedValue(file:field:value:reason:)`` for a file name
    /// ``problem(_:)`` refuses; `file` names what it came from.
    public static func check(_ fileName: String, from file: String) throws(RepoError) {
        if let reason = problem(fileName) { throw .refusedValue(file: file, field: "file name", value: fileName, reason: reason) }
    }

    /// `NAME-VERSION-ARCH`, each value checked by makepkg's rule first; `file` names
    /// where the values came from, for the error.
    public static func stem(name: String, version: String, arch: String, from file: String) throws(RepoError) -> String {
        if let reason = PackageNameRules.nameProblem(name) { throw .refusedValue(file: file, field: "pkgname", value: name, reason: reason) }
        if let reason = PackageNameRules.fullVersionProblem(version) {
            throw .refusedValue(file: file, field: "pkgver", value: version, reason: reason)
        }
        if let reason = PackageNameRules.archProblem(arch) { throw .refusedValue(file: file, field: "arch", value: arch, reason: reason) }
        return "\(name)-\(version)-\(arch)"
    }

    /// The name, version and arch a package file name says, each valid by makepkg's
    /// rules, or `nil` when it is not such a name (`.sig` names are not package names).
    public static func parse(_ fileName: String) -> (name: String, version: String, arch: String)? {
        guard let marker = fileName.range(of: ".pkg.tar", options: .backwards),
              compressionSuffixes.contains(String(fileName[marker.upperBound...])) else { return nil }
        let parts = fileName[..<marker.lowerBound].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4 else { return nil }
        let name = parts.dropLast(3).joined(separator: "-")
        let version = parts[parts.count - 3] + "-" + parts[parts.count - 2]
        let arch = String(parts[parts.count - 1])
        guard (try? stem(name: name, version: String(version), arch: arch, from: fileName)) != nil else { return nil }
        return (name, String(version), arch)
    }
}

extension PackageInfo {
    /// Checks the values of this `.PKGINFO` that become file names and database entries
    /// (`pkgname`, `pkgbase`, `pkgver`, `arch`) with makepkg's rules; `file` is the
    /// package, for the error. An absent `pkgbase` or `arch` passes unless required
    /// (old packages lack them; repo-add does not need them).
    public func checkNames(file: String, requireArch: Bool = false) throws(RepoError) {
        let name = self.name ?? ""
        if let reason = PackageNameRules.nameProblem(name) { throw .refusedValue(file: file, field: "pkgname", value: name, reason: reason) }
        if let base, let reason = PackageNameRules.nameProblem(base, field: "pkgbase") {
            throw .refusedValue(file: file, field: "pkgbase", value: base, reason: reason)
        }
        let version = value("pkgver") ?? ""
        if let reason = PackageNameRules.fullVersionProblem(version) {
            throw .refusedValue(file: file, field: "pkgver", value: version, reason: reason)
        }
        if arch != nil || requireArch, let reason = PackageNameRules.archProblem(arch ?? "") {
            throw .refusedValue(file: file, field: "arch", value: arch ?? "", reason: reason)
        }
    }
}
