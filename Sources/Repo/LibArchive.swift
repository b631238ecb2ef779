import CArchive

/// The libarchive this module is linked against; pacman database and package I/O arrives
/// with the Repo issue and goes through this library only.
public enum LibArchive {
    /// libarchive's own version string, e.g. "libarchive 3.6.2 zlib/1.2.13 ...".
    public static var versionDetails: String { String(cString: archive_version_details()) }
}
