import CLibPQ
import CSQLite

/// The C libraries behind the two build-store backends (SQLite embedded, PostgreSQL
/// shared). The stores themselves arrive with the build store issue.
public enum StoreLibraries {
    /// sqlite3's library version, e.g. "3.40.1".
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
    /// libpq's version as an integer, e.g. 150018 for 15.18.
    public static var libpqVersion: Int { Int(PQlibVersion()) }
}
