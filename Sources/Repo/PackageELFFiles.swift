/// The ELF files of a package, one at a time, for checks that need their bytes (the
/// architecture check disassembles them): every regular file starting with `\x7fELF`,
/// as ``PackageLinkage`` reads them, streamed through libarchive without extracting
/// anything to disk.
public enum PackageELFFiles {
    /// One ELF file: its entry path, identification and bytes.
    public struct File: Sendable {
        public var header: ELFHeader
        public var bytes: [UInt8]
    }

    /// Calls `body` with each ELF file of the package at `path`, in archive order. An ELF
    /// file that cannot be read (malformed, beyond ``ReadLimits/maxELFBytes``) goes to
    /// `problem` as `entry: reason`, and the rest are still read; an archive error
    /// (a truncated package) is thrown.
    public static func forEach(in path: String, limits: ReadLimits = .package, problem: (String) -> Void,
                               _ body: (File) throws(RepoError) -> Void) throws(RepoError) {
        let reader = try ArchiveReader(file: path, limits: limits)
        while let header = try reader.next() {
            guard header.isRegularFile, !header.name.hasPrefix(".") || header.name.hasPrefix("./") else { continue }
            switch try reader.readELF(size: header.size, cap: limits.maxELFBytes) {
            case .notELF: continue
            case .tooLarge: problem("\(header.name): \(header.size) bytes exceed the limit of \(limits.maxELFBytes) bytes for ELF files")
            case .elf(let bytes):
                let identity: ELFHeader
                do throws(RepoError) {
                    identity = try ELFHeader.parse(bytes, file: path, entry: header.name)
                } catch {
                    guard case .malformedELF(_, _, let reason) = error else { throw error }
                    problem("\(header.name): malformed ELF file: \(reason)")
                    continue
                }
                try body(File(header: identity, bytes: bytes))
            }
        }
    }
}
