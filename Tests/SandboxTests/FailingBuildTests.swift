import Foundation
import Sandbox
import Testing

/// Builds that misbehave: each is contained, stopped if need be, and classified, and
/// neither the host nor the build root changes.
@Suite(.enabled(if: TestRoot.canRun, "needs root"), .serialized)
struct FailingBuildTests {
    static func pkgbuild(_ name: String, build: String, extra: String = "") -> String {
        """
        pkgname=\(name)
        pkgver=1.0
        pkgrel=1
        arch=('any')
        \(extra)
        build() {
        \(build)
        }
        package() { install -d "$pkgdir/usr/share/\(name)"; }
        """
    }

    func build(_ text: String, timeout: Duration = .seconds(120), repositories: [LocalRepository] = [],
               adjust: (inout BuildJob) -> Void = { _ in }) throws -> (BuildResult, String) {
        let root = try TestRoot.debian12()
        let work = try TestRoot.temporaryDirectory("fail")
        let dir = try ExampleBuilder.pkgbuild(text, in: work + "/pkg")
        let result = try ExampleBuilder(root: root, work: work).build(dir, repositories: repositories, timeout: timeout, adjust: adjust)
        return (result, try String(contentsOfFile: result.logPath, encoding: .utf8))
    }

    @Test func writingOutsideTheBuildDirectoryFailsInBuildAndChangesNothing() throws {
        let root = try TestRoot.debian12()
        let before = try TestRoot.fingerprint(root.rootfs)
        let (result, log) = try build(Self.pkgbuild("ex-escape", build: """
            echo escaped > /etc/pacbuild-escape || echo etc-refused
            echo escaped > /pacbuild-escape || echo root-refused
            echo escaped > /usr/bin/pacbuild-escape
            """))
        #expect(result.failure?.failureClass == .build, "\(log)")
        #expect(log.contains("etc-refused") && log.contains("root-refused"))
        #expect(result.logTail.contains { $0.contains("A failure occurred in build()") })
        #expect(!FileManager.default.fileExists(atPath: "/etc/pacbuild-escape"))
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/pacbuild-escape"))
        #expect(try TestRoot.fingerprint(root.rootfs) == before)
    }

    @Test func reachingTheNetworkFails() throws {
        let listener = try TestRoot.temporaryDirectory("listener")
        let port = 20000 + Int.random(in: 0..<20000)
        try TestRoot.listen(on: port, marker: listener + "/reached")
        let (result, log) = try build(Self.pkgbuild("ex-network", build: """
            cat /proc/net/dev
            exec 3<>/dev/tcp/127.0.0.1/\(port)
            """))
        #expect(result.failure?.failureClass == .build, "\(log)")
        #expect(!log.contains("eth0"))
        #expect(!FileManager.default.fileExists(atPath: listener + "/reached"))
        #expect(try TestRoot.reachFromHost(port: port, marker: listener + "/reached"))
    }

    @Test func runningPastTheTimeoutIsKilledAndClassified() throws {
        let marker = "pacbuild-slow-\(UUID().uuidString.prefix(8))"
        let (result, log) = try build(Self.pkgbuild("ex-slow", build: "exec -a \(marker) sleep 600"), timeout: .seconds(4))
        #expect(result.failure?.failureClass == .timeout, "\(log)")
        #expect(result.seconds < 15)
        #expect(log.contains("timeout after"))
        let (_, count) = try TestRoot.shell("ps -eo args | grep -c '^\(marker)' || true")
        #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func failingCheckAndPackageAreClassified() throws {
        let (check, checkLog) = try build(Self.pkgbuild("ex-check", build: "true") + "\ncheck() { false; }\n")
        #expect(check.failure?.failureClass == .check, "\(checkLog)")
        let (source, sourceLog) = try build(Self.pkgbuild("ex-source", build: "true", extra: "source=('missing.txt')\nsha256sums=('SKIP')"))
        #expect(source.failure?.failureClass == .source, "\(sourceLog)")
    }

    @Test func wrongOrMissingPackagesFailVerification() throws {
        let (result, _) = try build(Self.pkgbuild("ex-right", build: "true")) { job in
            job.expected[0].version = "2.0-1"
            job.expected.append(ExpectedPackage(name: "ex-right-doc", version: "1.0-1", arch: "any"))
        }
        #expect(result.failure?.failureClass == .package)
        #expect(result.failure?.reason.contains("ex-right has version 1.0-1, expected 2.0-1") == true)
        #expect(result.failure?.reason.contains("ex-right-doc was not built") == true)
    }

    @Test func unsatisfiableDependencyFailsInDependencies() throws {
        let work = try TestRoot.temporaryDirectory("deprepo")
        let repo = try ExampleBuilder.repository("current", in: work)
        let root = try TestRoot.debian12()
        let base = try ExampleBuilder(root: root, work: work).build(TestRoot.examples + "/current/ex-tzinfo")
        try ExampleBuilder.publish(base, to: repo)
        let (result, log) = try build(Self.pkgbuild("ex-needy", build: "true", extra: "depends=('ex-tzinfo>=1:9' 'bash')"),
                                      repositories: [repo])
        #expect(result.failure?.failureClass == .dependencies, "\(log)")
        #expect(result.assumedInstalled == ["bash"])
    }
}
