import Testing
import Sandbox
@testable import Scheduler

/// The example configuration at the package root must always load: the demo uses it.
@Suite struct ShippedConfigTests {
    let config = Configuration.load(directory: ConfigFixture.packageRoot)

    @Test func loadsWithoutErrors() {
        #expect(config.messages == [])
        #expect(config.repos.map(\.name) == ["current", "extra"])
    }

    @Test func currentAndExtraAreAnI586Port() throws {
        let root = ConfigFixture.packageRoot
        let current = try #require(config.repo(named: "current"))
        let extra = try #require(config.repo(named: "extra"))
        #expect(current.arch == "i586" && extra.arch == "i586")
        #expect(current.abs == [root + "/examples/abs/current"])
        #expect(extra.abs == [root + "/examples/abs/extra"])
        #expect(current.dependsOn == [] && extra.dependsOn == ["current"])
        #expect(current.review == .auto && extra.review == .auto)
        #expect(extra.archPolicy == .port(map: ["x86_64", "i686"]))
        #expect(current.db == root + "/.pacbuild-state/repo/current/i586/current.db.tar.gz")
        #expect(current.pool == root + "/.pacbuild-state/repo/current/i586")
        #expect(current.sandbox == .namespace && !current.network && !current.staging)
        #expect(current.file == "repos.d/current-i586.toml")
    }

    @Test func globalSettings() {
        let root = ConfigFixture.packageRoot
        #expect(config.global.stateDir == root + "/.pacbuild-state")
        #expect(config.global.store == .sqlite(path: root + "/.pacbuild-state/pacbuild.sqlite"))
        #expect(config.global.workers.jobs == 1)
    }
}
