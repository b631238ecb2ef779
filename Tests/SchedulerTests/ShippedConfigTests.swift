import Testing
import Graph
import Sandbox
@testable import Scheduler

/// The example configuration at the package root must always load: the demo uses it.
@Suite struct ShippedConfigTests {
    let config = Configuration.load(directory: ConfigFixture.packageRoot)

    @Test func loadsWithoutErrors() {
        #expect(config.messages == [])
        #expect(config.repos.map(\.name) == ["current", "current-x86_64", "extra", "extra-x86_64"])
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
        // built in the 32-bit root with the i586 makepkg.conf, checked against i586
        #expect(current.buildRoot == "i386" && extra.buildRoot == "i386")
        #expect(current.makepkgConf == root + "/makepkg/i586.conf")
        #expect(current.architectureCheck == ArchitectureCheck(level: .i586, mode: .fail))
    }

    @Test func theX86_64TwinsBuildTheSameTrees() throws {
        let root = ConfigFixture.packageRoot
        let current = try #require(config.repo(named: "current-x86_64"))
        let extra = try #require(config.repo(named: "extra-x86_64"))
        #expect(current.arch == "x86_64" && extra.arch == "x86_64")
        #expect(current.abs == [root + "/examples/abs/current"] && extra.abs == [root + "/examples/abs/extra"])
        #expect(extra.dependsOn == ["current-x86_64"])
        #expect(current.buildRoot == nil && config.global.buildRoot == "default")
        #expect(current.makepkgConf == root + "/makepkg/x86_64.conf")
        #expect(extra.architectureCheck == ArchitectureCheck(level: .x86_64_v1, mode: .fail))
        #expect(current.pool == root + "/.pacbuild-state/repo/current/x86_64")
    }

    @Test func theMakepkgConfsSetCarchAndI586Flags() throws {
        let i586 = try String(contentsOfFile: ConfigFixture.packageRoot + "/makepkg/i586.conf", encoding: .utf8)
        #expect(i586.contains("\nCARCH=\"i586\"\n") && i586.contains("\nCFLAGS=\"-march=i586 -mtune=generic -O2 -pipe\"\n"))
        let x86 = try String(contentsOfFile: ConfigFixture.packageRoot + "/makepkg/x86_64.conf", encoding: .utf8)
        #expect(x86.contains("\nCARCH=\"x86_64\"\n"))
    }

    @Test func globalSettings() {
        let root = ConfigFixture.packageRoot
        #expect(config.global.stateDir == root + "/.pacbuild-state")
        #expect(config.global.store == .sqlite(path: root + "/.pacbuild-state/pacbuild.sqlite"))
        #expect(config.global.workers.jobs == 2)
    }
}
