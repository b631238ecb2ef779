import Foundation
import Testing
@testable import Graph

/// Arch-specific arrays set inside `package_NAME()` (`depends_x86_64`, `provides_x86_64`,
/// ...): makepkg prints them for every arch the package has, inherited or its own, and
/// the graph takes those of its CARCH. Checked against the real `makepkg --printsrcinfo`.
struct PackageArchArrayTests {
    static let pkgbuild = """
        pkgbase=multi
        pkgname=(multi-a multi-b multi-c)
        pkgver=1
        pkgrel=1
        arch=(x86_64 i686)
        depends_x86_64=(basedep64)
        package_multi-a() {
          depends_x86_64=(adep64 'libx.so=1-64')
          depends_i686=(adep32)
          provides_x86_64=(aprov64)
          optdepends_x86_64=('opt64: why')
          conflicts_x86_64=(con64)
          replaces_x86_64=(rep64)
        }
        package_multi-b() {
          depends=(bdep)
          depends_x86_64=()
        }
        package_multi-c() {
          arch=(i686)
          depends_i686+=(cdep32)
          depends_x86_64=(never-printed)
        }

        """

    /// `makepkg --printsrcinfo` of `text` as `nobody`, its stdout; throws saying what is
    /// missing where it cannot run.
    static func makepkg(_ text: String) throws -> String {
        for tool in ["/usr/bin/makepkg", "/usr/sbin/runuser"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Missing(what: "\(tool) (scripts/setup installs makepkg; the tests run as root)")
        }
        guard getuid() == 0 else { throw Missing(what: "root, to run makepkg as nobody") }
        let dir = NSTemporaryDirectory() + "pacbuild-arch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/PKGBUILD"))
        chmod(dir, 0o777)
        chmod(dir + "/PKGBUILD", 0o644)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", "nobody", "--", "/usr/bin/env", "-i", "HOME=\(dir)", "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
                             "/bin/bash", "-c", "cd \"$1\" && makepkg --printsrcinfo", "_", dir]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Missing(what: "a makepkg that reads the PKGBUILD (status \(process.terminationStatus))") }
        return String(decoding: data, as: UTF8.self)
    }

    struct Missing: Error, CustomStringConvertible {
        var what: String
        var description: String { "cannot run the real makepkg: needs \(what)" }
    }

    @Test func theReaderPrintsWhatMakepkgPrints() throws {
        let srcinfo = try #require(PKGBUILDReader().read(text: Self.pkgbuild, file: "PKGBUILD").srcinfo)
        let expected = try Self.makepkg(Self.pkgbuild)
        #expect(srcinfo.text == expected)
        #expect(expected.contains("\tprovides_x86_64 = aprov64\n"), "makepkg prints a package's own arch arrays")
        // parsed back, it is the same description
        #expect(try SrcInfo(parsing: expected).text == expected)
    }

    @Test func theGraphTakesThoseOfItsCARCH() throws {
        let srcinfo = try #require(PKGBUILDReader().read(text: Self.pkgbuild, file: "PKGBUILD").srcinfo)
        let x86 = PackageNode(srcinfo, repo: "core", carch: "x86_64")
        #expect(x86.buildDependencies.map(\.dependency.description) == ["bdep", "basedep64", "adep64", "libx.so=1-64"])
        #expect(x86.provides["multi-a"]?.map(\.description) == ["aprov64"])
        let i686 = PackageNode(srcinfo, repo: "core", carch: "i686")
        #expect(i686.buildDependencies.map(\.dependency.description) == ["bdep", "adep32", "cdep32"])
        #expect(i686.provides["multi-a"] == [])
        // a dependency on the provided name resolves to the package that provides it on x86_64 only
        let user = PKGBUILDReader().read(text: "pkgname=user\npkgver=1\npkgrel=1\narch=(x86_64 i686)\ndepends=(aprov64)\n", file: "u").srcinfo!
        let graph = PackageGraph(repos: [RepoContents(name: "core", carch: "x86_64", pkgbuilds: [srcinfo, user])])
        #expect(graph.dependencies(of: PackageBaseID(repo: "core", pkgbase: "user")) == [PackageBaseID(repo: "core", pkgbase: "multi")])
        let port = PackageGraph(repos: [RepoContents(name: "core", carch: "i686", pkgbuilds: [srcinfo, user])])
        #expect(port.isUnresolvable(PackageBaseID(repo: "core", pkgbase: "user")))
    }
}
