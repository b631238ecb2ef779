import Foundation
import TestSupport

/// Paths the Graph tests read: the package root, the fixtures the repository makes with
/// the real makepkg (TestSupport's ``Fixtures``), and the external corpus for the
/// conformance suite (``Corpus``).
enum TestPaths {
    static let packageRoot = Fixtures.packageRoot
    static let examples = packageRoot + "/examples/abs"
    /// Tests/Fixtures/tiny-src with the `.SRCINFO.truth` makepkg printed at test time.
    static var tinySource: String { Fixtures.tinySource }
}
