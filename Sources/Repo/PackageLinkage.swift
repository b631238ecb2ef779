/// The sonames a package's ELF files provide and need, each with its class
/// (``sonameText(_:bits:)``: `libfoo.so.1-64`), sorted and without duplicates.
///
/// Read from every regular file of the package that starts with `\x7fELF`
/// (``PackageFile/read(at:limits:linkage:)``), whatever its name or mode, as makepkg's
/// `find_libprovides` reads every file `readelf` accepts. A file that cannot be read (a
/// malformed ELF, one beyond ``ReadLimits/maxELFBytes``) is named in ``problems`` and
/// the rest of the package is still read: one odd test fixture inside a package must not
/// hide the sonames of its libraries.
public struct PackageLinkage: Sendable, Hashable, Codable {
    /// `DT_SONAME` of each shared library.
    public var provides: [String] = []
    /// `DT_NEEDED` of each ELF file.
    public var needs: [String] = []
    /// ELF files not read, each as `entry: reason`.
    public var problems: [String] = []

    public init(provides: [String] = [], needs: [String] = [], problems: [String] = []) {
        self.provides = provides
        self.needs = needs
        self.problems = problems
    }

    /// Adds one ELF file's linkage.
    mutating func add(_ linkage: ELFLinkage) {
        if let soname = linkage.soname { provides.append(sonameText(soname, bits: linkage.bits)) }
        needs += linkage.needed.map { sonameText($0, bits: linkage.bits) }
    }

    /// Sorts and deduplicates both lists (`LC_ALL=C sort -u`).
    mutating func finish() {
        provides = sortedUnique(provides)
        needs = sortedUnique(needs)
    }
}
