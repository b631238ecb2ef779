import Foundation
import Testing
@testable import Scheduler

/// The rendered-plan cache: its fingerprint moves with every input, distrusts fresh
/// files, and a damaged cache file is simply a miss.
struct PlanOutputCacheTests {
    /// A one-repo configuration whose PKGBUILD is dated `age` seconds ago.
    func fixture(age: Double = 60) throws -> (ConfigFixture, String) {
        let fixture = try ConfigFixture()
        try fixture.write("abs/hello/PKGBUILD", "pkgname=hello\npkgver=1\npkgrel=1\narch=(any)\n")
        try fixture.write("repos.d/core.toml", "name = \"core\"\narch = \"x86_64\"\nabs = \"abs\"\ndb = \"repo/core.db.tar.gz\"\n")
        let pkgbuild = fixture.root + "/abs/hello/PKGBUILD"
        try setAge(pkgbuild, age)
        for file in [fixture.root + "/repos.d/core.toml"] { try setAge(file, age) }
        return (fixture, pkgbuild)
    }

    func setAge(_ path: String, _ seconds: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-seconds)], ofItemAtPath: path)
    }

    @Test func theFingerprintFollowsTheInputs() throws {
        let (fixture, pkgbuild) = try fixture()
        defer { fixture.remove() }
        let config = Configuration.load(directory: fixture.root)
        #expect(config.errors.isEmpty, "\(config.errors)")
        let first = try #require(config.planFingerprint(options: "json"))
        #expect(config.planFingerprint(options: "json") == first)
        #expect(config.planFingerprint(options: "text") != first)
        // same size, older mtime: another input
        try setAge(pkgbuild, 120)
        let older = try #require(config.planFingerprint(options: "json"))
        #expect(older != first)
        // a database appearing is another input too
        try fixture.write("repo/core.db.tar.gz", "x")
        try setAge(fixture.root + "/repo/core.db.tar.gz", 60)
        #expect(config.planFingerprint(options: "json") != older)
        // a file written just now cannot be trusted by its mtime
        try "pkgname=hello\npkgver=2\npkgrel=1\narch=(any)\n".write(toFile: pkgbuild, atomically: false, encoding: .utf8)
        #expect(config.planFingerprint(options: "json") == nil)
    }

    @Test func savedOutputIsReturnedForItsFingerprintOnly() throws {
        let dir = NSTemporaryDirectory() + "pacbuild-plan-output-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = PlanOutputCache.file(stateDirectory: dir)
        let output = PlanOutputCache.Output(stdout: "plan: 1 pkgbases\n", warnings: ["warning: core: x", "warning: core: y"])
        PlanOutputCache.save(output, to: file, fingerprint: 42)
        #expect(PlanOutputCache.load(from: file, fingerprint: 42) == output)
        #expect(PlanOutputCache.load(from: file, fingerprint: 43) == nil)
        try Data("PBPO1\ngarbage".utf8).write(to: URL(fileURLWithPath: file))
        #expect(PlanOutputCache.load(from: file, fingerprint: 42) == nil)
        PlanOutputCache.save(PlanOutputCache.Output(stdout: "", warnings: []), to: file, fingerprint: 7)
        #expect(PlanOutputCache.load(from: file, fingerprint: 7) == PlanOutputCache.Output(stdout: "", warnings: []))
    }
}
