import Testing
@testable import Scheduler

/// Which `arch=()` arrays a repo builds, for a native repo and for an i586 port.
@Suite struct ArchPolicyTests {
    @Test func strictNeedsTheRepoArchOrAny() {
        #expect(ArchPolicy.strict.accepts(["i586"], repoArch: "i586"))
        #expect(ArchPolicy.strict.accepts(["any"], repoArch: "i586"))
        #expect(ArchPolicy.strict.accepts(["x86_64", "i586"], repoArch: "i586"))
        #expect(!ArchPolicy.strict.accepts(["x86_64"], repoArch: "i586"))
        #expect(!ArchPolicy.strict.accepts([], repoArch: "i586"))
    }

    @Test func portAlsoTakesTheMappedArches() {
        let port = ArchPolicy.port(map: ["x86_64", "i686"])
        #expect(port.accepts(["x86_64"], repoArch: "i586"))
        #expect(port.accepts(["i686"], repoArch: "i586"))
        #expect(port.accepts(["any"], repoArch: "i586"))
        #expect(port.accepts(["i586"], repoArch: "i586"))
        #expect(!port.accepts(["aarch64", "armv7h"], repoArch: "i586"))
        #expect(!port.accepts([], repoArch: "i586"))
    }

    @Test func repoConfigAppliesItsOwnPolicy() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("port", extra: "arch_policy = \"port\"\narch_map = [\"x86_64\"]")
        try fixture.writeRepo("native")
        let config = fixture.load()
        #expect(config.messages == [])
        let port = try #require(config.repo(named: "port")), native = try #require(config.repo(named: "native"))
        #expect(port.accepts(arch: ["x86_64"]) && !native.accepts(arch: ["x86_64"]))
        #expect(port.accepts(arch: ["any"]) && native.accepts(arch: ["any"]))
        #expect(native.archPolicy == .strict)
    }
}
