import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// `soname_rebuilds` in repos.d, and the planner's view of a repo holding a rebuild.
struct SonameRebuildConfigTests {
    @Test func theSettingIsReadAndChecked() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("a", extra: "soname_rebuilds = \"auto\"")
        try fixture.writeRepo("b")
        try fixture.writeRepo("c", extra: "soname_rebuilds = \"off\"")
        var config = fixture.load()
        #expect(config.messages == [])
        #expect(config.repo(named: "a")?.sonameRebuilds == .auto)
        #expect(config.repo(named: "b")?.sonameRebuilds == .plan, "plan by default")
        #expect(config.repo(named: "c")?.sonameRebuilds == .off)
        try fixture.writeRepo("c", extra: "soname_rebuilds = \"always\"")
        config = fixture.load()
        #expect(config.messages.map(\.description).contains { $0.contains("soname_rebuilds") && $0.contains("'auto', 'plan', 'off'") },
                "\(config.messages)")
    }

    @Test func aRepoHoldingARebuildOfThePKGBUILDIsCurrent() throws {
        let repo = PlanRepo(
            name: "core", carch: "x86_64", blacklist: [],
            pkgbuilds: [PlanTests.pkgbuild("app", "1.0-2"), PlanTests.pkgbuild("lib", "1.0-3"), PlanTests.pkgbuild("tool", "2-1")],
            database: [PlanTests.package("app", "1.0-2.1"), PlanTests.package("lib", "1.0-2.4"), PlanTests.package("tool", "2-1.x")])
        let plan = try Plan.make(repos: [repo])
        #expect(plan.entry(named: "app")?.status == .current)
        #expect(plan.entry(named: "app")?.reason == "the database holds this version with rebuild number 1")
        #expect(plan.entry(named: "lib")?.status == .outdated, "the PKGBUILD's own pkgrel clears the rebuild number")
        #expect(plan.entry(named: "tool")?.status == .repoAhead, "not a rebuild number")
    }
}

/// A rebuild is built from a copy of the pkgbase directory whose PKGBUILD sets the
/// rebuild's pkgrel last; the tree stays as it was.
struct RebuildSourceTests {
    @Test func theSandboxGetsACopyWithTheRebuildsPkgrel() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("core")
        let pkgbuild = "pkgname=app\npkgver=1.0\npkgrel=2\narch=(any)\nsource=(app.c)\npackage() { :; }\n"
        try fixture.write("abs/core/app/PKGBUILD", pkgbuild)
        try fixture.write("abs/core/app/app.c", "int main(void) { return 0; }\n")
        let repo = try #require(fixture.load().repo(named: "core"))
        let package = PackageBaseID(repo: "core", pkgbase: "app")
        let work = fixture.root + "/work"

        let plain = try BuildSource.locate(package, version: "1.0-2", in: repo)
        #expect(try plain.forBuilding("1.0-2", work: work, reader: repo.reader().reader).directory == plain.directory)

        let source = try BuildSource.locate(package, version: "1.0-2.3", in: repo)
        let copy = try source.forBuilding("1.0-2.3", work: work, reader: repo.reader().reader)
        #expect(copy.directory == work + "/rebuild/app")
        #expect(copy.srcinfo.fullVersion == "1.0-2.3")
        #expect(FileManager.default.fileExists(atPath: copy.directory + "/app.c"))
        #expect(try String(contentsOfFile: copy.directory + "/PKGBUILD", encoding: .utf8).hasSuffix("pkgrel=2.3\n"))
        #expect(try String(contentsOfFile: fixture.root + "/abs/core/app/PKGBUILD", encoding: .utf8) == pkgbuild, "the tree is never edited")
        #expect(throws: SchedulerError.self) { try BuildSource.locate(package, version: "1.0-3.1", in: repo) }
    }
}
