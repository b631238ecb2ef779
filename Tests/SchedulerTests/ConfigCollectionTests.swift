import Sandbox
import Testing
@testable import Scheduler

/// One run reports everything: a broken file never hides the errors of another, and
/// the valid repos are still returned.
@Suite struct ConfigCollectionTests {
    @Test func errorsOfEveryFileAreCollected() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.write("pacbuild.toml", "state_dr = \"x\"\n")
        try fixture.write("repos.d/a-broken.toml", "name = [\n")
        try fixture.writeRepo("current", file: "b-current", extra: "review = 3")
        try fixture.writeRepo("extra", file: "c-extra", extra: "depends_on = [\"current\", \"nowhere\"]")
        try fixture.writeRepo("fine", file: "d-fine")
        let config = fixture.load()
        #expect(config.errors.map(\.file) == [
            "pacbuild.toml", "repos.d/a-broken.toml", "repos.d/b-current.toml", "repos.d/c-extra.toml",
        ])
        #expect(config.messages.first == "pacbuild.toml:1: key 'state_dr': unknown key (did you mean 'state_dir'?)")
        #expect(config.messages.last == "repos.d/c-extra.toml:5: key 'depends_on': unknown repo 'nowhere' (known: current, extra, fine)")
        #expect(config.repos.map(\.name) == ["fine"])
    }

    @Test func brokenDependenciesDropTheirDependentsToo() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("a-base", extra: "staging = 1")
        try fixture.writeRepo("b-mid", extra: "depends_on = [\"a-base\"]")
        try fixture.writeRepo("c-top", extra: "depends_on = [\"b-mid\"]")
        let config = fixture.load()
        #expect(config.messages == [
            "repos.d/a-base.toml:5: key 'staging': expected true or false, found an integer",
            "repos.d/b-mid.toml:5: key 'depends_on': repo 'a-base' is not loaded because its own configuration has errors",
            "repos.d/c-top.toml:5: key 'depends_on': repo 'b-mid' is not loaded because its own configuration has errors",
        ])
        #expect(config.repos.isEmpty)
    }

    @Test func reposKeepFileNameOrderAndDefaults() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.write("pacbuild.toml", "sandbox = \"uml\"\n")
        try fixture.writeRepo("zeta", file: "10-zeta")
        try fixture.writeRepo("alpha", file: "20-alpha", extra: "depends_on = [\"zeta\"]\nsandbox = \"host\"")
        let config = fixture.load()
        #expect(config.messages == [])
        #expect(config.repos.map(\.name) == ["zeta", "alpha"])
        let zeta = try #require(config.repo(named: "zeta"))
        #expect(zeta.sandbox == .uml && config.repo(named: "alpha")?.sandbox == .host)
        #expect(zeta.review == .manual && !zeta.network && !zeta.staging && zeta.archPolicy == .strict)
        #expect(zeta.hooks == RepoHooks(workingDirectory: fixture.root))
        #expect(config.global.stateDir == fixture.root + "/.pacbuild-state")
        #expect(config.global.store == .sqlite(path: fixture.root + "/.pacbuild-state/pacbuild.sqlite"))
    }
}
