import Foundation
import Sandbox
import Testing

/// Output attacks as real builds (issue 13's): top-level PKGBUILD code, run by makepkg
/// before any check, leaves in `$PKGDEST` what no package is and skips makepkg.
@Suite(.enabled(if: VMTestRoot.canRun, "needs root"), .serialized)
struct VMOutputAttackTests {
    static func pkgbuild(_ name: String, attack: String) -> String {
        """
        pkgname=\(name)
        pkgver=1.0
        pkgrel=1
        arch=('any')
        if [ -n "$PKGDEST" ]; then
          \(attack)
          exit 0
        fi
        package() { install -d "$pkgdir/usr/share/\(name)"; }
        """
    }

    /// A link to a host file and a FIFO, named as the package and its signature: neither
    /// is copied out, both are named, the build fails as `verification`.
    @Test func linksAndFIFOsInPKGDESTAreRefused() throws {
        let root = try VMTestRoot.debian12()
        let work = try VMTestRoot.temporaryDirectory("links")
        let directory = try VMTestRoot.pkgbuild(Self.pkgbuild("ex-link", attack: """
            ln -s /etc/shadow "$PKGDEST/ex-link-1.0-1-any.pkg.tar.gz"
              mkfifo "$PKGDEST/ex-link-1.0-1-any.pkg.tar.gz.sig"
            """), in: work + "/ex-link")
        let result = try VMTestRoot.build(directory, root: root, work: work, backend: VMTestRoot.backend())
        #expect(result.failure?.failureClass == .verification, "\(String(describing: result.failure))\n\(VMTestRoot.log(result))")
        let message = result.failure?.reason ?? ""
        #expect(message.contains("ex-link-1.0-1-any.pkg.tar.gz (symbolic link)"), "\(message)")
        #expect(message.contains("ex-link-1.0-1-any.pkg.tar.gz.sig (FIFO)"), "\(message)")
        #expect(result.packages.isEmpty)
        let out = work + "/work-ex-link-vm/job/out"
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? ["?"]).isEmpty, "the host's out/ holds what the guest left")
        #expect(VMTestRoot.scratchLeft(in: work).isEmpty)
    }

    /// A package named right whose `.PKGINFO` says `pkgname = ../../evil2`.
    @Test func aDotDotPackageNameIsRefused() throws {
        let root = try VMTestRoot.debian12()
        let work = try VMTestRoot.temporaryDirectory("dotdot")
        let directory = try VMTestRoot.pkgbuild(Self.pkgbuild("evil2", attack: """
            d=$(mktemp -d)
              printf 'pkgname = ../../evil2\\npkgbase = evil2\\npkgver = 1.0-1\\narch = any\\nsize = 0\\n' >"$d/.PKGINFO"
              mkdir -p "$d/usr/share/evil2"
              bsdtar -C "$d" -czf "$PKGDEST/evil2-1.0-1-any.pkg.tar.gz" .PKGINFO usr
            """), in: work + "/evil2")
        let result = try VMTestRoot.build(directory, root: root, work: work, backend: VMTestRoot.backend())
        #expect(result.failure?.failureClass == .verification, "\(String(describing: result.failure))\n\(VMTestRoot.log(result))")
        #expect(result.packages.isEmpty)
        let stray = ((try? FileManager.default.subpathsOfDirectory(atPath: work)) ?? []).filter { $0.hasSuffix("evil2") && !$0.hasPrefix("evil2") }
        #expect(stray.isEmpty, "\(stray)")
        #expect(VMTestRoot.scratchLeft(in: work).isEmpty)
    }
}
