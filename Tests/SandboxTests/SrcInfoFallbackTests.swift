import Foundation
import Graph
import Sandbox
import Testing

/// The makepkg fallback on the real Debian root: what it prints is what makepkg prints on
/// the host, it has no network, and its cache spares a second sandbox.
@Suite(.enabled(if: TestRoot.canRun, "needs root"), .serialized)
struct SrcInfoFallbackTests {
    /// A PKGBUILD directory of its own, with `files` beside the PKGBUILD.
    func pkgbuild(_ text: String, files: [String: String] = [:]) throws -> String {
        let dir = try TestRoot.temporaryDirectory("fallback") + "/pkg"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/PKGBUILD", atomically: true, encoding: .utf8)
        for (name, content) in files { try content.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    func fallback(cache: String? = nil, timeout: Duration = .seconds(60)) throws -> SrcInfoFallback {
        let work = try TestRoot.temporaryDirectory("fallback-work")
        return try SrcInfoFallback(root: try TestRoot.debian12(), makepkgConf: nil, carch: nil,
                                   cacheDirectory: cache ?? work + "/cache", workParent: work, timeout: timeout)
    }

    /// makepkg --printsrcinfo on the host as builder, as corpus/tools/truth.sh makes the
    /// reference `.SRCINFO`, on a copy of the directory.
    func hostMakepkg(_ directory: String) throws -> String {
        let (status, output) = try TestRoot.shell("""
            work=$(mktemp -d) && cp -a '\(directory)/.' "$work/" && chown -R builder "$work" && \
            runuser -u builder -- env -i HOME=/home/builder USER=builder PATH=/usr/bin:/bin LANG=C.UTF-8 \
              sh -c 'cd "$1" && makepkg --printsrcinfo 2>/dev/null' _ "$work"; s=$?; rm -rf "$work"; exit $s
            """)
        #expect(status == 0, "host makepkg: \(output)")
        return output
    }

    static let commandSubstitution = """
        pkgname=fb-subst
        pkgver=$(echo 1.2.3 | awk '{ gsub(/[.]/, "_"); print }')
        pkgrel=1
        pkgdesc="version $pkgver from awk"
        arch=('any')
        package() { :; }
        """

    static let sourcedHelper = """
        source ./helper.sh
        pkgname=(fb-helper fb-helper-doc)
        pkgver=$_helper_version
        pkgrel=2
        arch=('x86_64')
        depends=("${_helper_depends[@]}")
        package_fb-helper() { :; }
        package_fb-helper-doc() { depends=(fb-helper); }
        """
    static let helper = "_helper_version=4.5\n_helper_depends=(glibc 'zlib>=1.2')\n"

    @Test(arguments: [(commandSubstitution, [String: String]()), (sourcedHelper, ["helper.sh": helper])])
    func printsWhatMakepkgPrintsOnTheHost(text: String, files: [String: String]) throws {
        let dir = try pkgbuild(text, files: files)
        #expect(PKGBUILDTree.readOne(dir, with: PKGBUILDReader()).needsFallback, "the native reader should need makepkg here")
        let result = try fallback().read(directory: dir)
        #expect(result.failure == nil, "\(result.failure ?? "")")
        let expected = try hostMakepkg(dir)
        #expect(result.text == expected)
        #expect(result.srcinfo?.text == expected)
        #expect(!result.fromCache)
    }

    @Test func theNetworkIsUnreachable() throws {
        let listener = try TestRoot.temporaryDirectory("listener")
        let port = 20000 + Int.random(in: 0..<20000)
        try TestRoot.listen(on: port, marker: listener + "/reached")
        let dir = try pkgbuild("""
            pkgname=fb-network
            pkgver=1
            pkgrel=1
            pkgdesc=$( (exec 3<>/dev/tcp/127.0.0.1/\(port)) 2>/dev/null && echo reached || echo unreachable)
            arch=('any')
            package() { :; }
            """)
        let result = try fallback().read(directory: dir)
        #expect(result.srcinfo?.base["pkgdesc"] == ["unreachable"], "\(result.failure ?? result.text ?? "")")
        #expect(!FileManager.default.fileExists(atPath: listener + "/reached"))
        #expect(try TestRoot.reachFromHost(port: port, marker: listener + "/reached"))
    }

    @Test func aCacheHitRunsNoSandboxAndAnEditMisses() throws {
        let dir = try pkgbuild(Self.sourcedHelper, files: ["helper.sh": Self.helper])
        let reader = try fallback()
        let first = reader.read(directory: dir)
        let second = reader.read(directory: dir)
        #expect(!first.fromCache && second.fromCache)
        #expect(second.text == first.text && first.text != nil)
        // a sandbox run costs hundreds of milliseconds; a hit, one hash of a few files
        #expect(second.seconds < first.seconds / 4, "\(first.seconds) s, then \(second.seconds) s")
        try "_helper_version=4.6\n_helper_depends=(glibc)\n".write(toFile: dir + "/helper.sh", atomically: true, encoding: .utf8)
        let edited = reader.read(directory: dir)
        #expect(!edited.fromCache)
        #expect(edited.srcinfo?.base["pkgver"] == ["4.6"])
    }

    @Test func aMakepkgErrorIsTheFailureWithItsMessage() throws {
        let dir = try pkgbuild("""
            pkgname=fb-broken
            pkgver=1.0-beta
            pkgrel=1
            arch=('any')
            package() { :; }
            """)
        let reader = try fallback()
        let result = reader.read(directory: dir)
        #expect(result.srcinfo == nil)
        #expect(result.failure?.contains("pkgver is not allowed to contain colons, forward slashes, hyphens or whitespace") == true,
                "\(result.failure ?? "")")
        // a failure is cached like a success: the second read runs no sandbox
        let again = reader.read(directory: dir)
        #expect(again.fromCache && again.srcinfo == nil)
        #expect(again.failure?.hasPrefix(result.failure ?? "?") == true)
        #expect(again.failure?.contains("(remembered from an earlier run: \(reader.cache.directory)/") == true, "\(again.failure ?? "")")
    }

    /// A PKGBUILD that runs out of time fails twice with one sandbox: the timeout is
    /// cached with its limit; a longer limit tries again.
    @Test func aTimeoutIsCachedWithItsLimit() throws {
        let dir = try pkgbuild("""
            pkgname=fb-slow
            pkgver=$(sleep 600; echo 1)
            pkgrel=1
            arch=('any')
            package() { :; }
            """)
        let reader = try fallback(timeout: .seconds(2))
        let first = reader.read(directory: dir)
        #expect(!first.fromCache && first.srcinfo == nil)
        #expect(first.failure?.contains("did not finish within 2.0 seconds") == true, "\(first.failure ?? "")")
        #expect(first.seconds >= 2)
        let second = reader.read(directory: dir)
        #expect(second.fromCache && second.srcinfo == nil, "no second sandbox")
        #expect(second.seconds < 1)
        #expect(second.failure?.contains("did not finish within 2.0 seconds (remembered from an earlier run: ") == true)
        var longer = reader
        longer.timeout = .seconds(3)
        let third = longer.read(directory: dir)
        #expect(!third.fromCache && third.failure?.contains("within 3.0 seconds") == true, "\(third.failure ?? "")")
    }
}
