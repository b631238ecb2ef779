import Foundation
import Sandbox
import Testing
@testable import Scheduler

/// Repo settings in the store (schema 7; `server`, schema 8): what catchup records so a waka with only a
/// store and a build root knows how to build each repo.
@Suite struct StoreRepoSettingsTests {
    static let makepkgConf = "CARCH=\"i586\"\nCFLAGS=\"-march=i586 -O2\"\nPKGEXT='.pkg.tar.gz'\n"

    static let server = "https://repo.example.org/$repo/os/$arch"

    static func configured() throws -> (ConfigFixture, Configuration) {
        let config = try ConfigFixture()
        try config.write("makepkg-i586.conf", makepkgConf)
        try config.writeRepo("core", extra: "makepkg_conf = \"makepkg-i586.conf\"\nnetwork = true\nreview = \"auto\"\nsandbox = \"uml\"")
        try config.writeRepo("extra", extra: "depends_on = [\"core\"]\nserver = \"\(server)\"")
        let loaded = config.load()
        #expect(loaded.isValid, "\(loaded.messages)")
        return (config, loaded)
    }

    @Test(arguments: StoreBackend.allCases)
    func settingsGoInAndAreReplaced(_ backend: StoreBackend) throws {
        let (config, loaded) = try Self.configured()
        defer { config.remove() }
        let store = try backend.fresh()
        #expect(try store.repoSettings() == [])
        let settings = try loaded.repos.map(RepoSettings.init)
        try store.recordRepoSettings(settings)
        #expect(try store.repoSettings() == [
            RepoSettings(repo: "core", arch: "i586", sandbox: .uml, makepkgConf: Self.makepkgConf, network: true, review: .auto),
            RepoSettings(repo: "extra", arch: "i586", sandbox: .namespace, dependsOn: ["core"], server: Self.server),
        ])
        var changed = settings[1]
        changed.arch = "i686"
        changed.dependsOn = []
        try store.recordRepoSettings([changed])
        #expect(try store.repoSettings().map(\.arch) == ["i586", "i686"], "recorded again, replaced")
        #expect(try store.repoSettings()[1].dependsOn == [])
        changed.server = nil
        try store.recordRepoSettings([changed])
        #expect(try store.repoSettings().map(\.server) == [nil, nil])
    }

    /// The configuration a waka without `repos.d` builds with: the recorded repos, no
    /// ABS trees, databases that do not exist here, the makepkg.conf written locally,
    /// and no auto-accept (it could not publish).
    @Test func aRemoteConfigurationComesFromTheRecordedSettings() throws {
        let (config, loaded) = try Self.configured()
        defer { config.remove() }
        let state = config.root + "/remote-state"
        let remote = try Configuration.remote(storeURL: "postgresql://builder@master/pacbuild",
                                              settings: try loaded.repos.map(RepoSettings.init),
                                              stateDirectory: state, buildRoot: "/srv/roots/debian")
        #expect(remote.global.stateDir == state && remote.global.buildRoot == "/srv/roots/debian")
        #expect(remote.global.store.description == "postgresql://builder@master/pacbuild")
        let core = try #require(remote.repo(named: "core"))
        #expect(core.abs.isEmpty && core.arch == "i586" && core.network && core.sandbox == .uml && core.review == .manual)
        #expect(try String(contentsOfFile: try #require(core.makepkgConf), encoding: .utf8) == Self.makepkgConf)
        let extra = try #require(remote.repo(named: "extra"))
        #expect(extra.makepkgConf == nil && extra.server == Self.server && core.server == nil)
        let repositories = remote.buildRepositories(for: extra)
        #expect(repositories.map(\.name) == ["extra", "core"])
        #expect(repositories.allSatisfy { $0.database.hasPrefix(state + "/remote/") && !FileManager.default.fileExists(atPath: $0.database) })
        #expect(remote.wakaSettings().arches == ["i586"])

        #expect(throws: SchedulerError.cannotStart(
            "the store records no repo settings; run pacbuild catchup on the master with this pacbuild version first")) {
            try Configuration.remote(storeURL: "postgresql://builder@master/pacbuild", settings: [], stateDirectory: state,
                                     buildRoot: "default")
        }
    }
}
