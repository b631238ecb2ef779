import Foundation
import Testing
@testable import Repo

/// Package files against md5sum, sha256sum and bsdtar.
@Suite struct PackageFileTests {
    init() { _ = Tools.localeSet }

    /// The package files in `directories`, sorted.
    static func packages(in directories: [String]) -> [String] {
        var paths: [String] = []
        for dir in directories {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []) where name.contains(".pkg.tar") {
                paths.append(dir + "/" + name)
            }
        }
        return paths.sorted()
    }

    /// What real makepkg built from the fixtures: tiny as .zst and .xz, examples/abs.
    static var fixturePackages: [String] {
        packages(in: [TestPaths.tinyZst, TestPaths.dbs + "/tiny/xz", TestPaths.dbs + "/examples/current", TestPaths.dbs + "/examples/extra"])
    }

    @Test func everyFixturePackageIsThere() {
        #expect(Self.fixturePackages.count == 9 + 9 + 7 + 4, "\(Self.fixturePackages)")
    }

    @Test(arguments: fixturePackages)
    func matchesTheRealTools(path: String) throws {
        let package = try PackageFile.read(at: path)
        let md5 = try Tools.run(["md5sum", path]).stdout.split(separator: " ").first.map(String.init)
        let sha = try Tools.run(["sha256sum", path]).stdout.split(separator: " ").first.map(String.init)
        #expect(package.checksums.md5sum == md5)
        #expect(package.checksums.sha256sum == sha)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(package.checksums.compressedSize == Int64(size ?? -1))
        let listed = try Tools.run(["bsdtar", "--exclude=^.*", "-tf", path]).stdout
        #expect(package.files.map { $0 + "\n" }.joined() == listed)
        let pkginfo = try Tools.run(["bsdtar", "-xOf", path, ".PKGINFO"]).stdout
        let lines = pkginfo.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        #expect(package.info.fields.map { "\($0.key) = \($0.value)" } == lines)
        let buildinfo = try Tools.run(["bsdtar", "-xOf", path, ".BUILDINFO"]).stdout
        #expect(package.buildInfo?.fields.count == buildinfo.split(separator: "\n").filter { !$0.hasPrefix("#") }.count)
    }

    /// The same package recompressed every way makepkg can (PKGEXT) reads the same.
    @Test(arguments: ["gz", "bz2", "lz4", "xz", ""])
    func everyCompressionReadsTheSame(compression: String) throws {
        let source = TestPaths.tinyZst + "/tiny-py-docs-3.12.1-1-any.pkg.tar.zst"
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let target = scratch + "/tiny-py-docs-3.12.1-1-any.pkg.tar" + (compression.isEmpty ? "" : "." + compression)
        let flag = ["gz": ["-z"], "bz2": ["-j"], "lz4": ["--lz4"], "xz": ["-J"], "": []][compression]!
        #expect(try Tools.run(["bsdtar", "-cf", target] + flag + ["@" + source]).status == 0)
        let original = try PackageFile.read(at: source), copy = try PackageFile.read(at: target)
        #expect(copy.info.fields == original.info.fields)
        #expect(copy.files == original.files)
        #expect(copy.info.base == "tiny-py")
        #expect(copy.info.name == "tiny-py-docs")
        #expect(copy.checksums.md5sum != original.checksums.md5sum)
    }

    /// `.PKGINFO` lines read exactly as repo-add's bash reads them, checked against bash.
    @Test func keyValueLinesFollowBash() throws {
        let lines = ["k = v=", "k = a  b\tc ", "k=v", "k = = v", "k =v", "k= v", "k  =  v = w", "k = v =", "k = ",
                     "k = v==", "k = v= =", "k = a=b", "k = a == ", "  k = v", "k = =", "k = ==", "k = x =", "# comment",
                     "pkgdesc = Ünïcode  text"]
        let script = #"shopt -s extglob; while read -r line; do [[ ${line:0:1} = '#' ]] && continue; IFS=' =' read -r var val < <(printf '%s\n' "$line"); printf '%s|%s\n' "$var" "${val//+([[:space:]])/ }"; done"#
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let input = scratch + "/in"
        let text = lines.joined(separator: "\n") + "\n"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let bash = try Tools.run(["bash", "-c", script + " < \"$1\"", "_", input])
        let ours = parseKeyValueLines(Array(text.utf8)).map { "\($0.key)|\($0.value)\n" }.joined()
        #expect(ours == bash.stdout)
    }

    @Test func aSignatureBecomesPgpsigAsRepoAddWritesIt() throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let package = scratch + "/tiny-ca-20240101-1-any.pkg.tar.zst"
        try FileManager.default.copyItem(atPath: TestPaths.tinyZst + "/tiny-ca-20240101-1-any.pkg.tar.zst", toPath: package)
        let signature = Data((0..<300).map { UInt8($0 % 256) })
        try signature.write(to: URL(fileURLWithPath: package + ".sig"))
        let entry = try PackageFile.read(at: package).databaseEntry()
        let base64 = try Tools.run(["sh", "-c", "base64 \"$1\" | tr -d '\\n'", "_", package + ".sig"]).stdout
        #expect(entry.pgpsig == base64)
        try Data("-----BEGIN PGP SIGNATURE-----\n".utf8).write(to: URL(fileURLWithPath: package + ".sig"))
        #expect(throws: RepoError.badSignature(file: package + ".sig", reason: "armored signatures cannot be used for packages")) {
            try PackageFile.read(at: package).databaseEntry()
        }
    }
}
