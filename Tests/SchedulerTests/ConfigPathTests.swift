import Testing
@testable import Scheduler

/// Relative paths resolve against the configuration directory, wherever the file is.
@Suite struct ConfigPathTests {
    @Test func relativePathsResolveAgainstTheConfigDirectory() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.makeDirectory("trees/one")
        try fixture.makeDirectory("trees/two")
        try fixture.write("conf/makepkg.conf", "CARCH=i586\n")
        try fixture.write("pacbuild.toml", "state_dir = \"var/state\"\nstore = \"sqlite:var/db/store.sqlite\"\n")
        try fixture.write("repos.d/core.toml", """
            name = "core"
            arch = "i586"
            abs = ["trees/one", "./trees/../trees/two", "\(fixture.root)/trees/one"]
            db = "repo/x/core.db.tar.zst"
            pool = "pool"
            makepkg_conf = "conf/makepkg.conf"
            """)
        let config = fixture.load()
        #expect(config.messages == [])
        let core = try #require(config.repo(named: "core"))
        let root = fixture.root
        #expect(core.abs == [root + "/trees/one", root + "/trees/two", root + "/trees/one"])
        #expect(core.db == root + "/repo/x/core.db.tar.zst")
        #expect(core.pool == root + "/pool")
        #expect(core.makepkgConf == root + "/conf/makepkg.conf")
        #expect(config.global.stateDir == root + "/var/state")
        #expect(config.global.store == .sqlite(path: root + "/var/db/store.sqlite"))
        #expect(config.display(core.pool) == "pool")
        #expect(config.display("/elsewhere") == "/elsewhere")
    }

    @Test func loadingARelativeDirectoryGivesAbsolutePaths() throws {
        let config = Configuration.load(directory: ConfigFixture.packageRoot + "/Tests/..")
        #expect(config.directory == ConfigFixture.packageRoot)
    }
}
