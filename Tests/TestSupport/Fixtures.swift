import Foundation

/// The fixtures the repository makes itself with the real tools (Tests/Fixtures/make-fixtures):
/// its PKGBUILDs with the `.SRCINFO` real makepkg prints for them, the packages real makepkg
/// builds from them and the databases real repo-add makes of those, and what the real pacman
/// installs from them. Made once per content of their inputs and kept in
/// `.build/test-fixtures/KEY/`; every test target of one `swift test` shares them.
public enum Fixtures {
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The directory make-fixtures filled, or why it could not be made.
    public static let made: Result<String, Subprocess.Failure> = make()

    /// The fixture directory. When making it failed, a path that does not exist and names
    /// the failure, so every test reading it fails; ``FixtureCheck`` prints the reason.
    public static var root: String {
        switch made {
        case .success(let path): path
        case .failure: "/nonexistent/make-fixtures-failed(see the fixture test)"
        }
    }

    /// `root/relative`.
    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// Tests/Fixtures/tiny-src with `.SRCINFO.truth` files: 8 pkgbases, 9 packages.
    public static var tinySource: String { path("tiny-src") }
    /// The tiny packages as .pkg.tar.zst with repo-add's `tiny.db.tar.gz` and `tiny.files.tar.gz`.
    public static var tinyZst: String { path("dbs/tiny/zst") }
    /// The same packages as .pkg.tar.xz with their own databases.
    public static var tinyXz: String { path("dbs/tiny/xz") }
    /// Every fixture PKGBUILD tree with makepkg's truth: tiny-src, shapes, examples.
    public static var pkgbuildTrees: [String] { ["tiny-src", "shapes", "examples/current", "examples/extra"].map(path) }

    /// The inputs whose content decides the cache key.
    static let inputs = ["Tests/Fixtures/make-fixtures", "Tests/Fixtures/tiny-src", "Tests/Fixtures/srcinfo-shapes", "examples/abs",
                         "examples/sources"]

    static func make() -> Result<String, Subprocess.Failure> {
        let fm = FileManager.default
        let cache = packageRoot + "/.build/test-fixtures"
        let directory = cache + "/" + key()
        if fm.fileExists(atPath: directory + "/.complete") { return .success(link(directory, cache: cache)) }
        do {
            try fm.createDirectory(atPath: cache, withIntermediateDirectories: true)
            let temporary = directory + ".making-\(getpid())"
            try? fm.removeItem(atPath: temporary)
            try Subprocess.run([packageRoot + "/Tests/Fixtures/make-fixtures", temporary])
            try Data().write(to: URL(fileURLWithPath: temporary + "/.complete"))
            if rename(temporary, directory) != 0 {
                // another test process made them meanwhile: use theirs
                try? fm.removeItem(atPath: temporary)
                guard fm.fileExists(atPath: directory + "/.complete") else {
                    return .failure(Subprocess.Failure(message: "cannot move \(temporary) to \(directory): \(String(cString: strerror(errno)))"))
                }
            }
            return .success(link(directory, cache: cache))
        } catch let failure as Subprocess.Failure {
            return .failure(Subprocess.Failure(message: "Tests/Fixtures/make-fixtures failed: \(failure.message)"))
        } catch {
            return .failure(Subprocess.Failure(message: "Tests/Fixtures/make-fixtures: \(error)"))
        }
    }

    /// Points `cache/current` at `directory` (scripts/test runs the fidelity checks there).
    static func link(_ directory: String, cache: String) -> String {
        let temporary = cache + "/current.\(getpid())"
        unlink(temporary)
        if symlink((directory as NSString).lastPathComponent, temporary) == 0, rename(temporary, cache + "/current") != 0 {
            unlink(temporary)
        }
        return directory
    }

    /// FNV-1a over the inputs' relative paths, modes and contents.
    static func key() -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ bytes: some Sequence<UInt8>) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        let fm = FileManager.default
        for input in inputs {
            var files = [input]
            if let enumerator = fm.enumerator(atPath: packageRoot + "/" + input) {
                files = []
                while let relative = enumerator.nextObject() as? String { files.append(input + "/" + relative) }
            }
            for file in files.sorted() {
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: packageRoot + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                add(file.utf8)
                add([0])
                add((fm.isExecutableFile(atPath: packageRoot + "/" + file) ? "x" : "-").utf8)
                add((fm.contents(atPath: packageRoot + "/" + file) ?? Data()))
            }
        }
        return String(hash, radix: 16)
    }
}
