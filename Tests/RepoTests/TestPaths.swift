import Foundation

/// Paths the Repo tests read: the package root and the shared corpus beside it.
enum TestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let corpus = packageRoot + "/../shared/corpus"
    static let dbs = corpus + "/dbs"
    static let tinyZst = dbs + "/tiny/zst"
}
