import Foundation
import Graph
import Repo
import Sandbox
import TestSupport
import Testing

/// Real builds in Debian 12's i386 root: the i586 port's library passes the architecture
/// check; the same code forced to i686 fails it, naming the file and CMOV; builds run
/// under the 32-bit personality.
@Suite(.enabled(if: TestRoot.canRun, "needs root"), .serialized)
struct I386BuildTests {
    static let i586Conf = TestRoot.packageRoot + "/makepkg/i586.conf"

    @Test func theI586LibraryIsA32BitLibraryWithinI586() throws {
        let root = try TestRoot.debian12i386()
        #expect(root.stamp()?.architecture == "i386")
        let work = try TestRoot.temporaryDirectory("i586")
        let result = try ExampleBuilder(root: root, work: work).build(TestRoot.examples + "/current/ex-libbase", carch: "i586") {
            $0.makepkgConf = Self.i586Conf
            $0.architectureCheck = ArchitectureCheck(level: .i586, mode: .fail)
        }
        #expect(result.succeeded, "\(String(describing: result.failure)) \(result.logTail.joined(separator: "\n"))")
        #expect(result.architectureFindings.isEmpty)
        let package = try #require(result.packages.first)
        #expect(package.arch == "i586")
        // makepkg's own soname provide, from the 32-bit library it built
        let file = try PackageFile.read(at: package.path, linkage: true)
        #expect(file.info.provides.map(\.description).contains("libexbase.so=1-32"), "\(file.info.provides)")
        // what file(1) says of the library, extracted from the package
        let extracted = work + "/extracted"
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        let (status, output) = try TestRoot.shell("bsdtar -xf '\(package.path)' -C '\(extracted)' usr/lib && file -b '\(extracted)/usr/lib/libexbase.so.1.2.0'")
        #expect(status == 0)
        #expect(output.hasPrefix("ELF 32-bit LSB shared object, Intel 80386"), "\(output)")
        let log = try String(contentsOfFile: result.logPath, encoding: .utf8)
        #expect(log.contains("Starting check()"))
        #expect(log.contains("architecture check: every ELF file runs on i586"), "\(log)")
    }

    /// ex-libbase's sources (`exbase_max` is a conditional move at -O2 for i686) built with
    /// `-march=i686` added, `uname -m` printed into the log.
    @Test func anI686LibraryInAnI586RepoFailsNamingTheFileAndCMOV() throws {
        let root = try TestRoot.debian12i386()
        let work = try TestRoot.temporaryDirectory("i686")
        let directory = work + "/ex-isa"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["exbase.c", "exbase.h"] {
            try FileManager.default.copyItem(atPath: TestRoot.examples + "/current/ex-libbase/" + name, toPath: directory + "/" + name)
        }
        _ = try ExampleBuilder.pkgbuild("""
            pkgname=ex-isa
            pkgver=1
            pkgrel=1
            arch=('i586')
            source=('exbase.c' 'exbase.h')
            sha256sums=('SKIP' 'SKIP')
            build() {
              echo "machine inside: $(uname -m)"
              ${CC:-gcc} $CFLAGS -march=i686 -fPIC -shared -Wl,-soname,libexbase.so.1 -o libexbase.so.1.2.0 exbase.c
            }
            package() {
              install -Dm755 libexbase.so.1.2.0 -t "$pkgdir/usr/lib"
            }
            """, in: directory)
        let result = try ExampleBuilder(root: root, work: work).build(directory, carch: "i586") {
            $0.makepkgConf = Self.i586Conf
            $0.architectureCheck = ArchitectureCheck(level: .i586, mode: .fail)
        }
        let failure = try #require(result.failure, "the build passed: \(result.logTail.joined(separator: "\n"))")
        #expect(failure.failureClass == .arch)
        #expect(failure.reason.contains("usr/lib/libexbase.so.1.2.0: cmov"), "\(failure.reason)")
        #expect(failure.reason.contains("(i686: CMOV)"), "\(failure.reason)")
        #expect(result.packages.isEmpty)
        let log = try String(contentsOfFile: result.logPath, encoding: .utf8)
        #expect(log.contains("machine inside: i686"), "\(log)")
        #expect(log.contains("architecture check: error: beyond i586: ex-isa-1-1-i586.pkg.tar"), "\(log)")
        // the same package is within i686
        let again = try ExampleBuilder(root: root, work: work + "/again").build(directory, carch: "i586") {
            $0.makepkgConf = Self.i586Conf
            $0.architectureCheck = ArchitectureCheck(level: .i686, mode: .fail)
        }
        #expect(again.succeeded, "\(String(describing: again.failure))")
    }
}
