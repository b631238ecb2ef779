import Foundation

/// Paths the Graph tests read: the package root and the shared corpus beside it.
enum TestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let corpus = packageRoot + "/../shared/corpus"
    static let examples = packageRoot + "/examples/abs"
}
