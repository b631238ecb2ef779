import Foundation
import Repo
import Sandbox
import TestSupport
import Testing

/// A real build of a PKGBUILD whose source is a URL, through the namespace sandbox
/// (no network): the host fetches it from a loopback server once, and makepkg finds it
/// in SRCDEST, checks it and builds from it; a second build asks the server nothing.
@Suite(.enabled(if: TestRoot.canRun, "needs root"), .serialized)
struct SourceBuildTests {
    @Test func makepkgUsesTheFetchedSourceOffline() throws {
        let root = try TestRoot.debian12()
        let work = try TestRoot.temporaryDirectory("source-build")
        let served = work + "/served"
        try FileManager.default.createDirectory(atPath: served + "/fetched-1.0", withIntermediateDirectories: true)
        try "hello from a URL source\n".write(toFile: served + "/fetched-1.0/greeting", atomically: true, encoding: .utf8)
        try Subprocess.run(["tar", "-C", served, "-czf", served + "/fetched-1.0.tar.gz", "fetched-1.0"])
        let sha256 = String(try Subprocess.run(["sha256sum", served + "/fetched-1.0.tar.gz"]).prefix(64))
        let server = try SourceServer(directory: served)
        let directory = try ExampleBuilder.pkgbuild("""
            pkgname=fetched
            pkgver=1.0
            pkgrel=1
            pkgdesc='built from a downloaded tarball'
            arch=('any')
            license=('CC0-1.0')
            source=("\(server.url("fetched-1.0.tar.gz"))")
            sha256sums=('\(sha256)')
            package() {
              install -Dm644 "$srcdir/fetched-1.0/greeting" "$pkgdir/usr/share/fetched/greeting"
            }
            """, in: work + "/abs/fetched")
        let builder = ExampleBuilder(root: root, work: work)
        for round in 1...2 {
            let result = try builder.build(directory)
            #expect(result.succeeded, "round \(round): \(String(describing: result.failure)) \(result.logTail.joined(separator: "\n"))")
            let log = try String(contentsOfFile: result.logPath, encoding: .utf8)
            #expect(log.contains("Found fetched-1.0.tar.gz") && log.contains("fetched-1.0.tar.gz ... Passed"), "makepkg did not use SRCDEST:\n\(log)")
            #expect(!log.contains("Downloading"), "\(log)")
            let package = try #require(result.packages.first?.path)
            let greeting = try Subprocess.run(["bsdtar", "-xOf", package, "usr/share/fetched/greeting"])
            #expect(greeting == "hello from a URL source\n")
            #expect(try server.requests()["/fetched-1.0.tar.gz"] == 1, "round \(round)")
        }
        // the cache is untouched by the builds: still the file that was verified
        #expect(String(try Subprocess.run(["sha256sum", work + "/sources/sha256/" + sha256]).prefix(64)) == sha256)
    }

    @Test func aMismatchFailsBeforeTheSandboxWithClassSource() throws {
        let root = try TestRoot.debian12()
        let work = try TestRoot.temporaryDirectory("source-mismatch")
        try FileManager.default.createDirectory(atPath: work + "/served", withIntermediateDirectories: true)
        try "not what the PKGBUILD says\n".write(toFile: work + "/served/data.txt", atomically: true, encoding: .utf8)
        let server = try SourceServer(directory: work + "/served")
        let wrong = String(repeating: "1", count: 64)
        let directory = try ExampleBuilder.pkgbuild("""
            pkgname=mismatch
            pkgver=1.0
            pkgrel=1
            arch=('any')
            source=("\(server.url("data.txt"))")
            sha256sums=('\(wrong)')
            package() { :; }
            """, in: work + "/abs/mismatch")
        let result = try ExampleBuilder(root: root, work: work).build(directory)
        #expect(result.failure?.failureClass == .source)
        #expect(result.failure?.reason.contains("sha256sums says \(wrong), the file has") == true, "\(String(describing: result.failure))")
        let log = try String(contentsOfFile: result.logPath, encoding: .utf8)
        #expect(log.contains("==> pacbuild: source") && log.contains(wrong), "\(log)")
    }
}
