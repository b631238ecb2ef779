import Foundation
import TestSupport

/// Paths the Repo tests read: the package root and the fixtures the repository makes
/// with the real makepkg and repo-add (TestSupport's ``Fixtures``).
enum TestPaths {
    static let packageRoot = Fixtures.packageRoot
    /// The fixture databases and packages (see Tests/Fixtures/make-fixtures).
    static var dbs: String { Fixtures.path("dbs") }
    /// The tiny packages as .pkg.tar.zst with repo-add's databases.
    static var tinyZst: String { Fixtures.tinyZst }
}
