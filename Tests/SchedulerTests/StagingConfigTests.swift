import Sandbox
import Testing
@testable import Scheduler

/// `staging = true` and `staging_db`: the default next to the repo, the checks, and the
/// staging repo's place in a build's pacman.conf.
@Suite struct StagingConfigTests {
    @Test func stagingRepoPrecedesItsRealRepoInBuilds() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("core", file: "a-core", extra: "staging = true")
        try fixture.writeRepo("extra", file: "b-extra", extra: "depends_on = [\"core\"]")
        let config = fixture.load()
        #expect(config.messages == [])
        let core = try #require(config.repo(named: "core"))
        #expect(core.stagingDb == fixture.root + "/repo/staging/core-staging.db.tar.gz")
        #expect(core.stagingTarget?.pool == fixture.root + "/repo/staging")
        #expect(config.repo(named: "extra")?.stagingDb == nil)
        let extra = try #require(config.repo(named: "extra"))
        #expect(config.buildRepositories(for: extra).map(\.name) == ["extra", "core-staging", "core"])
        #expect(config.buildRepositories(for: core).map(\.name) == ["core-staging", "core"])
    }

    @Test func stagingDbIsChecked() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("a", extra: "staging_db = \"repo/s/a-staging.db.tar.gz\"")
        try fixture.writeRepo("b", extra: "staging = true\nstaging_db = \"repo/s/b.db.tar.gz\"")
        try fixture.writeRepo("c", extra: "staging = true\nstaging_db = \"repo/c-staging.db.tar.gz\"")
        try fixture.writeRepo("d", extra: "staging = true\nstaging_db = \"repo/d/d-testing.db.tar.xz\"")
        let config = fixture.load()
        #expect(config.messages == [
            "repos.d/a.toml:5: key 'staging_db': expected no staging_db without staging = true, found a staging_db",
            "repos.d/b.toml:6: key 'staging_db': expected a database named unlike the repo, e.g. b-staging.db.tar.gz, found 'b.db.tar.gz'",
            "repos.d/c.toml:6: key 'staging_db': expected a directory other than the repo's pool \(fixture.root)/repo, "
                + "found '\(fixture.root)/repo/c-staging.db.tar.gz'",
        ])
        #expect(config.repo(named: "d")?.stagingRepository?.name == "d-testing")
    }

    /// A staging repo's name is a pacman section like a repo's: it must not be taken.
    @Test func stagingRepoNamesThatCollideAreErrors() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("core", file: "a-core", extra: "staging = true")
        try fixture.writeRepo("core-staging", file: "b-taken")
        try fixture.writeRepo("extra", file: "c-extra", extra: "staging = true\nstaging_db = \"repo/s/x.db.tar.gz\"")
        try fixture.writeRepo("more", file: "d-more", extra: "staging = true\nstaging_db = \"repo/t/x.db.tar.gz\"")
        try fixture.writeRepo("other", file: "e-other", extra: "depends_on = [\"more\"]")
        let config = fixture.load()
        #expect(config.messages == [
            "repos.d/a-core.toml:5: key 'staging': expected a staging repo name no other repo has, "
                + "found 'core-staging', the name of the repo in repos.d/b-taken.toml",
            "repos.d/d-more.toml:6: key 'staging_db': expected a staging repo name no other repo has, "
                + "found 'x', the staging repo of extra in repos.d/c-extra.toml",
            "repos.d/e-other.toml:5: key 'depends_on': repo 'more' is not loaded because its own configuration has errors",
        ])
        #expect(config.repos.map(\.name) == ["core-staging", "extra"])
    }
}
