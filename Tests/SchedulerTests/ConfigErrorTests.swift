import Testing
@testable import Scheduler

/// Every kind of configuration error, each with the exact file, line and key.
@Suite struct ConfigErrorTests {
    let fixture: ConfigFixture

    init() throws { fixture = try ConfigFixture() }

    @Test func unknownKeySuggestsTheClosestSpelling() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("current", extra: "depend_on = []\nflavour = 1")
        #expect(fixture.load().messages == [
            "repos.d/current.toml:5: key 'depend_on': unknown key (did you mean 'depends_on'?)",
            "repos.d/current.toml:6: key 'flavour': unknown key (see docs/configuration.md)",
        ])
    }

    @Test func wrongTypes() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("current", extra: "network = \"yes\"\nblacklist = [\"a\", 3]\nhooks = 1")
        #expect(fixture.load().messages == [
            "repos.d/current.toml:5: key 'network': expected true or false, found a string",
            "repos.d/current.toml:6: key 'blacklist': expected an array of pkgbases, found an integer at index 1",
            "repos.d/current.toml:7: key 'hooks': expected a table, found an integer",
        ])
    }

    /// `server` is a pacman.conf Server URL; a path, a scheme pacman cannot fetch from,
    /// or a space is an error at its line.
    @Test func serverMustBeAURLPacmanFetches() throws {
        defer { fixture.remove() }
        for bad in ["/srv/repo/$repo", "rsync://repo.example.org/$repo", "https://", "https://a b/$repo"] {
            try fixture.writeRepo("current", extra: "server = \"\(bad)\"")
            #expect(fixture.load().messages == ["repos.d/current.toml:5: key 'server': expected \(RepoServer.rule), found '\(bad)'"])
        }
        try fixture.writeRepo("current", extra: "server = \"file:///srv/repo/$repo/$arch\"")
        #expect(fixture.load().repo(named: "current")?.server == "file:///srv/repo/$repo/$arch")
        #expect(RepoServer.expanded("https://r.example.org/$repo/os/$arch", repo: "core", arch: "i586") == "https://r.example.org/core/os/i586")
    }

    @Test func missingRequiredKeysHaveNoLine() throws {
        defer { fixture.remove() }
        try fixture.makeDirectory("abs")
        try fixture.write("repos.d/a.toml", "name = \"a\"\nabs = \"abs\"\n")
        #expect(fixture.load().messages == [
            "repos.d/a.toml: key 'arch': required key is missing (expected a string: the CARCH builds use, e.g. 'i586')",
            "repos.d/a.toml: key 'db': required key is missing "
                + "(expected a path: NAME.db.tar.gz in a directory that exists or can be created)",
        ])
    }

    @Test func missingPaths() throws {
        defer { fixture.remove() }
        try fixture.write("not-a-dir", "")
        try fixture.writeRepo("current", extra: """
            makepkg_conf = "etc/makepkg.conf"
            pool = "not-a-dir/pool"
            """)
        try fixture.write("repos.d/extra.toml", """
            name = "extra"
            arch = "i586"
            abs = ["abs/current", "abs/extr"]
            db = "not-a-dir/extra.db.tar.gz"
            """)
        #expect(fixture.load().messages == [
            "repos.d/current.toml:5: key 'makepkg_conf': 'etc/makepkg.conf' does not exist or is not usable "
                + "(expected an existing makepkg.conf)",
            "repos.d/current.toml:6: key 'pool': 'not-a-dir/pool' does not exist or is not usable "
                + "(expected a directory that exists or can be created)",
            "repos.d/extra.toml:3: key 'abs': 'abs/extr' does not exist or is not usable "
                + "(expected an existing directory of PKGBUILD trees)",
            "repos.d/extra.toml:4: key 'db': 'not-a-dir/extra.db.tar.gz' does not exist or is not usable "
                + "(expected NAME.db.tar.gz in a directory that exists or can be created)",
        ])
    }

    @Test func aMissingDatabaseFileIsFineButItsNameMustMatch() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("current")
        try fixture.makeDirectory("abs/extra")
        try fixture.write("repos.d/extra.toml", """
            name = "extra"
            arch = "i586"
            abs = "abs/extra"
            db = "repo/core.db.tar.gz"
            """)
        let config = fixture.load()
        #expect(config.repos.map(\.name) == ["current"])
        #expect(config.repos.first?.pool == fixture.root + "/repo")
        #expect(config.messages == [
            "repos.d/extra.toml:4: key 'db': expected a database named after the repo, extra.db.tar.gz, found 'core.db.tar.gz'",
        ])
    }

    @Test func unknownDependsOnListsTheKnownRepos() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("current")
        try fixture.writeRepo("extra", extra: "depends_on = [\"curent\"]")
        let config = fixture.load()
        #expect(config.messages == [
            "repos.d/extra.toml:5: key 'depends_on': unknown repo 'curent' (known: current, extra)",
        ])
        #expect(config.repos.map(\.name) == ["current"])
    }

    @Test func duplicateNamesKeepTheFirstFile() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("current", file: "a")
        try fixture.writeRepo("current", file: "b")
        let config = fixture.load()
        #expect(config.messages == ["repos.d/b.toml:1: key 'name': repo 'current' is already defined in repos.d/a.toml"])
        #expect(config.repos.map(\.file) == ["repos.d/a.toml"])
    }

    /// `depends_on` is a search order, not a build order: repos that need each other
    /// (Artix's system and world) load, each searching the others in its own order.
    @Test func reposMayDependOnEachOther() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("a", extra: "depends_on = [\"b\"]")
        try fixture.writeRepo("b", extra: "depends_on = [\"c\", \"a\"]")
        try fixture.writeRepo("c", extra: "depends_on = [\"a\"]")
        let config = fixture.load()
        #expect(config.messages == [])
        #expect(config.repos.map(\.name) == ["a", "b", "c"])
        #expect(config.repo(named: "b")?.dependsOn == ["c", "a"])
        let order = { (name: String) in config.buildRepositories(for: config.repo(named: name)!).map(\.name) }
        #expect(order("a") == ["a", "b", "c"])
        #expect(order("c") == ["c", "a", "b"])
    }

    /// Every repo that is not loaded says why, in its own file: the one naming itself,
    /// and each repo of a cycle through it.
    @Test func aDroppedRepoIsNeverSilent() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("a", extra: "depends_on = [\"b\"]")
        try fixture.writeRepo("b", extra: "depends_on = [\"a\", \"d\"]")
        try fixture.writeRepo("d", extra: "depends_on = [\"d\"]")
        try fixture.writeRepo("e")
        let config = fixture.load()
        #expect(config.messages == [
            "repos.d/a.toml:5: key 'depends_on': repo 'b' is not loaded because its own configuration has errors",
            "repos.d/b.toml:5: key 'depends_on': repo 'd' is not loaded because its own configuration has errors",
            "repos.d/d.toml:5: key 'depends_on': expected other repos (a repo is always searched first for its own dependencies), found 'd', this repo",
        ])
        #expect(config.repos.map(\.name) == ["e"])
    }

    @Test func syntaxErrorsCarryTheParsersLine() throws {
        defer { fixture.remove() }
        try fixture.write("repos.d/bad.toml", "name = \"bad\"\narch = \n")
        let errors = fixture.load().errors
        #expect(errors.count == 1)
        #expect(errors.first?.file == "repos.d/bad.toml" && errors.first?.line == 2)
        #expect(errors.first?.description.hasPrefix("repos.d/bad.toml:2: not valid TOML: ") == true)
    }

    @Test func invalidValues() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("current", extra: """
            review = "atuo"
            sandbox = "docker"
            arch_policy = "port"

            [hooks]
            timeout = 0
            """)
        #expect(fixture.load().messages == [
            "repos.d/current.toml:5: key 'review': expected one of 'manual', 'auto', found 'atuo'",
            "repos.d/current.toml:6: key 'sandbox': expected one of 'uml', 'vm', 'namespace', 'host', found 'docker'",
            "repos.d/current.toml:7: key 'arch_map': required key is missing "
                + "(expected the upstream arches a port builds, e.g. [\"x86_64\", \"i686\"])",
            "repos.d/current.toml:10: key 'hooks.timeout': expected seconds, from 1 to 86400, found 0",
        ])
    }

    @Test func hookScriptsNamedByPathMustExist() throws {
        defer { fixture.remove() }
        try fixture.write("hooks/present", "#!/bin/sh\n")
        try fixture.writeRepo("current", extra: """
            [hooks]
            post_accept = ["hooks/present --flag", "rsync -a x y"]
            post_update = [
                "hooks/present",
                "hooks/absent arg",
            ]
            """)
        #expect(fixture.load().messages == [
            "repos.d/current.toml:7: key 'hooks.post_update': 'hooks/absent' does not exist or is not usable "
                + "(expected an existing hook script)",
        ])
    }

    @Test func globalFileErrors() throws {
        defer { fixture.remove() }
        try fixture.write("pacbuild.toml", """
            store = "mysql://db"
            sandbox = "uml"
            [workers]
            jobs = 0
            lease_seconds = 60
            heartbeat_seconds = 60
            tag = ["x"]
            """)
        let config = fixture.load()
        #expect(config.messages == [
            "pacbuild.toml:1: key 'store': expected a store URL, sqlite:PATH or postgres://..., found 'mysql://db'",
            "pacbuild.toml:4: key 'workers.jobs': expected a number of builds, from 1 to 1024, found 0",
            "pacbuild.toml:6: key 'workers.heartbeat_seconds': expected fewer seconds than lease_seconds (60), found 60",
            "pacbuild.toml:7: key 'workers.tag': unknown key (did you mean 'tags'?)",
        ])
        #expect(config.global.sandbox == .uml)
        #expect(config.global.workers.leaseSeconds == 60 && config.global.workers.heartbeatSeconds == 30)
    }

    /// The makepkg fallback's time limit is a setting; its width, the waka's slots.
    @Test func fallbackTimeoutIsReadAndChecked() throws {
        defer { fixture.remove() }
        #expect(fixture.load().global.fallbackTimeout == 60)
        try fixture.write("pacbuild.toml", "fallback_timeout = 0\n")
        #expect(fixture.load().messages == ["pacbuild.toml:1: key 'fallback_timeout': expected seconds, from 1 to 3600, found 0"])
        try fixture.write("pacbuild.toml", "fallback_timeout = 5\nbuild_root = \"roots/r\"\n[workers]\njobs = 6\n")
        let config = fixture.load()
        #expect(config.messages == [])
        #expect(config.global.fallbackTimeout == 5)
        // a root that exists and is complete (its stamp written) opens
        try fixture.makeDirectory("roots/r/rootfs")
        try fixture.write("roots/r/stamp.json", "{}\n")
        let fallback = try config.planFallback()
        #expect(fallback.timeout == .seconds(5) && fallback.width == 6)
    }

    @Test func umlMemoryIsReadAndChecked() throws {
        defer { fixture.remove() }
        #expect(fixture.load().global.umlMem == "1024M")
        try fixture.write("pacbuild.toml", "sandbox = \"uml\"\numl_mem = \"512M\"\n")
        let good = fixture.load()
        #expect(good.messages.isEmpty)
        #expect(good.global.umlMem == "512M")
        for (bad, found) in [("\"512 MB\"", "'512 MB'"), ("\"32M\"", "'32M'"), ("\"M\"", "'M'"), ("\"-1G\"", "'-1G'")] {
            try fixture.write("pacbuild.toml", "sandbox = \"uml\"\numl_mem = \(bad)\n")
            let config = fixture.load()
            #expect(config.messages == [
                "pacbuild.toml:2: key 'uml_mem': expected a UML memory size: digits then K, M or G (e.g. \"512M\"), "
                    + "at least 64M, found \(found)",
            ])
            #expect(config.global.umlMem == "1024M")
        }
        try fixture.write("pacbuild.toml", "uml_mem = 512\n")
        #expect(fixture.load().messages.first?.hasPrefix("pacbuild.toml:1: key 'uml_mem': expected a UML memory size") == true)
    }

    /// `sandbox = "vm"` and `[limits]`'s `vm_cpus` (1 to 64; absent: one vCPU).
    @Test func theVMBackendAndItsCPUsAreReadAndChecked() throws {
        defer { fixture.remove() }
        #expect(fixture.load().global.limits.vmCPUs == 1)
        try fixture.write("pacbuild.toml", "sandbox = \"vm\"\n[limits]\nvm_cpus = 2\n")
        let good = fixture.load()
        #expect(good.messages.isEmpty)
        #expect(good.global.sandbox == .vm)
        #expect(good.global.limits.vmCPUs == 2)
        try fixture.write("pacbuild.toml", "sandbox = \"vm\"\n[limits]\nvm_cpus = 0\n")
        let bad = fixture.load()
        #expect(bad.messages == ["pacbuild.toml:3: key 'limits.vm_cpus': expected virtual CPUs of a vm build's machine, from 1 to 64 (default 1), found 0"])
        #expect(bad.global.limits.vmCPUs == 1)
    }

    @Test func aDirectoryWithoutConfigurationIsAnError() throws {
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.root + "/repos.d")
        #expect(fixture.load().errors.map(\.problem) == [.unreadable("holds neither pacbuild.toml nor repos.d/")])
    }
}

import Foundation
