import Sandbox
import Testing

/// Failure classes from literal makepkg 6.0.2 logs.
struct FailureClassifierTests {
    func classOf(_ lines: [String], status: Int32 = 4, timedOut: Bool = false) -> FailureClass? {
        FailureClassifier.classify(log: lines, exitStatus: status, timedOut: timedOut)?.failureClass
    }

    @Test func makepkgFunctions() {
        #expect(classOf(["==> Starting prepare()...", "==> ERROR: A failure occurred in prepare().", "    Aborting..."]) == .prepare)
        #expect(classOf(["==> ERROR: A failure occurred in build().", "    Aborting..."]) == .build)
        #expect(classOf(["==> ERROR: A failure occurred in check()."]) == .check)
        #expect(classOf(["==> ERROR: A failure occurred in package_ex-utils-doc()."]) == .package)
        #expect(classOf(["==> ERROR: A failure occurred in pkgver()."]) == .source)
    }

    @Test func sourcesDependenciesTimeoutsAndSandbox() {
        #expect(classOf(["==> ERROR: One or more files did not pass the validity check!"], status: 1) == .source)
        #expect(classOf(["==> ERROR: missing.txt was not found in the build directory and is not a URL."]) == .source)
        #expect(classOf(["==> ERROR: Failure while downloading https://example.org/x.tar.gz"]) == .source)
        #expect(classOf(["error: target not found: ex-nothing", FailureClassifier.dependencyMarker], status: 70) == .dependencies)
        #expect(classOf(["==> Starting build()..."], status: 143, timedOut: true) == .timeout)
        #expect(classOf(["pacbuild-sandbox: set-up failed"], status: 125) == .sandbox)
        #expect(classOf(["anything"], status: 0) == nil)
        #expect(classOf(["==> ERROR: Cannot find the strip binary required for object file stripping."], status: 15) == .build)
    }

    @Test func aLimitNotedByTheBackendIsClassLimits() {
        let log = ["==> Starting build()...", "pacbuild: limit reached: memory (8589934592 bytes)"]
        #expect(classOf(log, status: 137) == .limits)
        #expect(FailureClassifier.classify(log: log, exitStatus: 137, timedOut: false)?.reason == "the build hit its limit: memory (8589934592 bytes)")
        #expect(classOf(log, status: 0) == nil)
        #expect(classOf(log, status: 143, timedOut: true) == .timeout)
    }
}
