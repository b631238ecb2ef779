import Foundation
@testable import Scheduler

/// A throw-away configuration directory: tests write small TOML files into it and load.
struct ConfigFixture {
    let root: String

    /// The package root, for the shipped example.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    init() throws {
        let template = FileManager.default.temporaryDirectory.path + "/pacbuild-config-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        root = String(cString: made)
        try FileManager.default.createDirectory(atPath: root + "/repos.d", withIntermediateDirectories: true)
    }

    /// Writes `text` to `path` (relative to the root), creating directories.
    func write(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: root + "/" + path, withIntermediateDirectories: true)
    }

    /// A minimal valid repo file for `name` over `abs/NAME` (created).
    func writeRepo(_ name: String, file: String? = nil, extra: String = "") throws {
        try makeDirectory("abs/\(name)")
        try write("repos.d/\(file ?? name).toml", """
            name = "\(name)"
            arch = "i586"
            abs = "abs/\(name)"
            db = "repo/\(name).db.tar.gz"
            \(extra)
            """)
    }

    func load() -> Configuration { Configuration.load(directory: root) }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

extension Configuration {
    /// The error descriptions, for exact comparisons.
    var messages: [String] { errors.map(\.description) }
}
