import Foundation

/// A small package made with bsdtar, for the version a repo held before the build under
/// review: its own file list, depends and provides, so the review has differences to show.
struct FakePackage {
    var name: String
    var version: String
    var files: [String]
    var depends: [String] = []
    var provides: [String] = []
    var size = 100

    var fileName: String { "\(name)-\(version)-any.pkg.tar.zst" }

    /// Writes the package into `directory` and returns its path.
    func write(into directory: String) throws -> String {
        let work = NSTemporaryDirectory() + "pacbuild-fake-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        var info = ["pkgname = \(name)", "pkgbase = \(name)", "pkgver = \(version)", "pkgdesc = fake", "url = https://example.invalid",
                    "builddate = 1600000000", "packager = test", "size = \(size)", "arch = any"]
        info += depends.map { "depend = \($0)" } + provides.map { "provides = \($0)" }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try (info.joined(separator: "\n") + "\n").write(toFile: work + "/.PKGINFO", atomically: true, encoding: .utf8)
        for file in files {
            try FileManager.default.createDirectory(atPath: work + "/" + (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try "\(file)\n".write(toFile: work + "/" + file, atomically: true, encoding: .utf8)
        }
        let path = directory + "/" + fileName
        let tops = Set(files.map { String($0.split(separator: "/")[0]) }).sorted()
        let result = try PacbuildBinary.run(["-C", work, "--zstd", "-cf", path, ".PKGINFO"] + tops, executable: "/usr/bin/bsdtar")
        guard result.status == 0 else { throw FixtureError(description: "bsdtar: \(result.stderr)") }
        return path
    }
}
