import Foundation
import Graph
import Sandbox
import Testing
@testable import Scheduler

/// `build_root`, `isa` and `isa_check` of a repo file, and the findings a build's log
/// carries to `checkbuilds` and `show`.
@Suite struct ArchitectureConfigTests {
    let fixture: ConfigFixture

    init() throws { fixture = try ConfigFixture() }

    @Test func buildRootIsANameOrAPathAndOverridesTheGlobalOne() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("current", extra: "build_root = \"i386\"")
        try fixture.writeRepo("extra", extra: "build_root = \"roots/mine\"")
        try fixture.writeRepo("other")
        let config = fixture.load()
        #expect(config.messages == [])
        #expect(config.repo(named: "current")?.buildRoot == "i386")
        #expect(config.repo(named: "extra")?.buildRoot == fixture.root + "/roots/mine")
        #expect(config.repo(named: "other")?.buildRoot == nil)
        // a waka opens each repo's root: a missing one is named with the way to make it
        #expect(throws: SandboxError.rootNotFound(name: "i386", rootsDirectory: config.global.stateDir + "/roots")) {
            try config.openBuildRoots(arches: ["i586"])
        }
    }

    @Test func isaAndIsaCheck() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("current", extra: "isa = \"i586\"")
        try fixture.writeRepo("extra", extra: "isa = \"x86-64-v3\"\nisa_check = \"warn\"")
        try fixture.writeRepo("other")
        let config = fixture.load()
        #expect(config.messages == [])
        #expect(config.repo(named: "current")?.architectureCheck == ArchitectureCheck(level: .i586, mode: .fail))
        #expect(config.repo(named: "extra")?.architectureCheck == ArchitectureCheck(level: .x86_64_v3, mode: .warn))
        #expect(config.repo(named: "other")?.architectureCheck == nil)
    }

    @Test func aWrongIsaIsAnErrorAtItsLine() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("current", extra: "isa = \"i386\"\nisa_check = \"strict\"")
        #expect(fixture.load().messages == [
            "repos.d/current.toml:5: key 'isa': expected an x86 ISA level: \(ISALevel.names), found 'i386'",
            "repos.d/current.toml:6: key 'isa_check': expected one of 'fail', 'warn', 'off', found 'strict'",
        ])
        try fixture.writeRepo("current", extra: "isa_check = \"warn\"")
        #expect(fixture.load().messages == [
            "repos.d/current.toml:5: key 'isa_check': expected 'isa' set too: the level the packages are checked against, found isa_check without isa",
        ])
    }

    @Test func findingsComeBackFromTheLog() throws {
        defer { fixture.remove() }
        try fixture.write("build.log", """
            [    1.000] ==> Finished making: ex 1-1
            [  check  ] pacbuild: architecture check: warning: beyond i586: ex-1-1-i586.pkg.tar.gz: usr/lib/libex.so: cmovl x2 (i686: CMOV)
            [    1.100] pacbuild: architecture check: warning: printed by the build itself, without the host's prefix
            [  check  ] pacbuild: architecture check: every ELF file runs on i586

            """)
        let findings = ArchitectureFindings.fromLog(at: fixture.root + "/build.log")
        #expect(findings == ["warning: beyond i586: ex-1-1-i586.pkg.tar.gz: usr/lib/libex.so: cmovl x2 (i686: CMOV)"])
        #expect(ArchitectureFindings.fromLog(at: fixture.root + "/missing.log") == [])
    }
}
