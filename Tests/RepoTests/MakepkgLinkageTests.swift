import Foundation
import Repo
import Testing

/// A package real makepkg builds from a PKGBUILD that compiles a library and a program:
/// the sonames read from it agree with makepkg's own library provides and depends
/// (`find_libprovides`, `find_libdepends`: `libm2.so=2-64`), which makepkg reads with readelf.
@Suite struct MakepkgLinkageTests {
    init() { _ = Tools.localeSet }

    /// makepkg refuses root: as root it runs as the user `builder` (scripts/setup creates it).
    static func makepkg(in dir: String) throws -> Tools.Result {
        if geteuid() != 0 { return try Tools.run(["makepkg", "--nodeps", "--noconfirm"], in: dir) }
        let id = try Tools.run(["id", "builder"])
        guard id.status == 0 else { throw FixtureMissing(description: "no user 'builder' to run makepkg as; run scripts/setup") }
        #expect(try Tools.run(["chown", "-R", "builder:", dir]).status == 0)
        return try Tools.run(["runuser", "-u", "builder", "--", "env", "-i", "HOME=/tmp", "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
                              "PKGDEST=" + dir, "SRCDEST=" + dir, "BUILDDIR=" + dir + "/build", "makepkg", "--nodeps", "--noconfirm"], in: dir)
    }

    struct FixtureMissing: Error, CustomStringConvertible { let description: String }

    @Test func sonamesAgreeWithMakepkgsLibraryProvides() throws {
        let dir = try Tools.scratch()
        defer { Tools.cleanUp(dir) }
        chmod(dir, 0o755)
        try """
            pkgname=m2
            pkgver=2.0
            pkgrel=1
            arch=(x86_64)
            license=(MIT)
            provides=(libm2.so)
            depends=(libm2.so)
            options=(!debug !strip)
            build() {
              printf 'int m2(void) { return 2; }\\n' > m2.c
              printf 'int m2(void);\\nint main(void) { return m2(); }\\n' > main.c
              gcc -shared -fPIC -Wl,-soname,libm2.so.2 -o libm2.so.2.0 m2.c
              ln -sf libm2.so.2.0 libm2.so
              gcc -o m2 main.c -L. -lm2
            }
            package() {
              install -Dm755 libm2.so.2.0 "$pkgdir/usr/lib/libm2.so.2.0"
              ln -s libm2.so.2.0 "$pkgdir/usr/lib/libm2.so.2"
              ln -s libm2.so.2 "$pkgdir/usr/lib/libm2.so"
              install -Dm755 m2 "$pkgdir/usr/bin/m2"
            }
            """.write(toFile: dir + "/PKGBUILD", atomically: true, encoding: .utf8)
        let result = try Self.makepkg(in: dir)
        #expect(result.status == 0, "makepkg failed: \(result.stderr)")
        let built = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("m2-2.0-1-x86_64.pkg.tar") }
        let path = dir + "/" + (try #require(built.first, "no package in \(dir): \(result.stdout) \(result.stderr)"))
        let file = try PackageFile.read(at: path, linkage: true)
        let linkage = try #require(file.linkage)
        #expect(linkage.provides == ["libm2.so.2-64"])
        #expect(linkage.needs.contains("libm2.so.2-64"))
        #expect(linkage.problems.isEmpty)
        // makepkg's form of the same: libm2.so=2-64 in provides and depends.
        #expect(file.info.provides.map(\.description) == ["libm2.so=2-64"])
        #expect(file.info.depends.map(\.description).contains("libm2.so=2-64"))
    }
}
