/// Bounds on what reading one archive may decompress, so that a hostile package or
/// database (a "zip bomb": a few kilobytes that inflate to terabytes, or a header that
/// declares an entry of exabytes) fails with ``RepoError/tooLarge(file:entry:size:limit:)``
/// instead of exhausting memory or running for hours.
public struct ReadLimits: Sendable, Equatable {
    /// The largest metadata entry held in memory: a `desc`, a `files` list, a `.PKGINFO`.
    public var maxMetadataBytes: Int64
    /// The most bytes the whole archive may decompress to, counting skipped file data.
    public var maxUnpackedBytes: Int64
    /// The largest ELF file of a package read for its sonames (``PackageLinkage``); a
    /// larger one is named in ``PackageLinkage/problems`` instead.
    public var maxELFBytes: Int64 = 512 << 20

    public init(maxMetadataBytes: Int64, maxUnpackedBytes: Int64) {
        self.maxMetadataBytes = maxMetadataBytes
        self.maxUnpackedBytes = maxUnpackedBytes
    }

    /// For sync and files databases: Arch's largest files list entry is a few MiB and its
    /// largest files database well under 1 GiB unpacked.
    public static let database = ReadLimits(maxMetadataBytes: 64 << 20, maxUnpackedBytes: 4 << 30)
    /// For package files: the largest Arch packages unpack to a few GiB; metadata is tiny.
    public static let package = ReadLimits(maxMetadataBytes: 16 << 20, maxUnpackedBytes: 64 << 30)
}
