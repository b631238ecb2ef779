import Foundation
import Testing

/// `pacbuild plan` with the makepkg fallback over the sandbox tests' cached root: a
/// PKGBUILD only makepkg can read is planned like any other with it, and stays
/// `needs-fallback` without it.
@Suite(.enabled(if: RunFixture.canRun, "needs root"), .serialized)
struct PlanFallbackTests {
    /// A configuration of one repo holding one PKGBUILD whose version needs `tr`.
    func configuration(buildRoot: String) throws -> String {
        let directory = RunFixture.testState + "/tests/plan-fallback-\(UUID().uuidString.prefix(8))"
        let pkg = directory + "/abs/fb-plan"
        try FileManager.default.createDirectory(atPath: pkg, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/repos.d", withIntermediateDirectories: true)
        try """
            pkgname=fb-plan
            pkgver=$(echo 2.0.1 | awk '{ gsub(/[.]/, "_"); print }')
            pkgrel=1
            arch=('any')
            package() { :; }
            """.write(toFile: pkg + "/PKGBUILD", atomically: true, encoding: .utf8)
        try "state_dir = \"state\"\nbuild_root = \"\(buildRoot)\"\n"
            .write(toFile: directory + "/pacbuild.toml", atomically: true, encoding: .utf8)
        try "name = \"main\"\narch = \"x86_64\"\nabs = \"abs\"\ndb = \"state/repo/main.db.tar.gz\"\npool = \"state/repo\"\n"
            .write(toFile: directory + "/repos.d/main.toml", atomically: true, encoding: .utf8)
        return directory
    }

    func plan(_ directory: String, _ extra: [String]) throws -> (entry: [String: Any], text: String) {
        let (status, out, err) = try RunFixture.execute(RunFixture.binary, ["plan", "--config", directory, "--format", "json"] + extra)
        #expect(status == 0, "\(err)")
        let json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        let entry = (json?["entries"] as? [[String: Any]])?.first ?? [:]
        let (_, text, _) = try RunFixture.execute(RunFixture.binary, ["plan", "--config", directory] + extra)
        return (entry, text)
    }

    @Test func aPKGBUILDOnlyMakepkgCanReadIsPlannedWithTheFallback() throws {
        let directory = try configuration(buildRoot: try RunFixture.buildRoot().directory)
        let (with, text) = try plan(directory, [])
        #expect(with["status"] as? String == "new", "\(with)")
        #expect(with["newVersion"] as? String == "2_0_1-1")
        #expect((with["diagnostics"] as? [String])?.last == "read by makepkg in a sandbox")
        #expect(text.contains("fallback: makepkg in a namespace sandbox over build root 'debian12-v4': 1 PKGBUILD read"), "\(text)")
        let cached = try FileManager.default.contentsOfDirectory(atPath: directory + "/state/cache/srcinfo-fallback")
        #expect(cached.count == 1)

        let (without, noneText) = try plan(directory, ["--fallback", "none"])
        #expect(without["status"] as? String == "needs-fallback", "\(without)")
        #expect(noneText.contains("fallback: none (--fallback none)"))
    }

    @Test func withoutABuildRootTheReportSaysTheFallbackIsUnavailable() throws {
        let directory = try configuration(buildRoot: "missing-root")
        let (entry, text) = try plan(directory, [])
        #expect(entry["status"] as? String == "needs-fallback")
        #expect(text.contains("fallback: none (unavailable: no build root 'missing-root'"), "\(text)")
        let (status, _, err) = try RunFixture.execute(RunFixture.binary, ["plan", "--config", directory, "--fallback", "sandbox"])
        #expect(status != 0 && err.contains("--fallback sandbox: no build root 'missing-root'"), "\(err)")
    }
}
