import Foundation
import Graph
import Repo
import Sandbox
@testable import Scheduler
import Synchronization
import Testing
import TestSupport

/// Who handles rebuild sets when wakas share a PostgreSQL store (docs/distributed.md):
/// the waka that publishes builds (the owner's, with the repos' files), never one
/// connected as a worker role nor a `--root` waka. A worker role builds the library
/// and the rebuilds; the owner's waka, when idle, opens the set and holds each built
/// member, of any repo, so the members that depend on it become ready.
@Suite struct WorkerRoleSetTests {
    static func runner(_ configuration: Configuration, _ store: any BuildStore, worker: String) -> BuildRunner {
        let unused = BuildRoot(name: "unused", directory: "/nonexistent")
        return BuildRunner(configuration: configuration, store: store,
                           roots: Dictionary(uniqueKeysWithValues: configuration.repos.map { ($0.name, unused) }),
                           worker: worker, publishLock: NSLock())
    }

    @Test func onlyThePublishingWakaOpensAndHoldsSets() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let work = try SonameBumpTests.compileLibfoo(in: fixture)
        try SonameBumpTests.publishLibfooRepos(fixture, work: work)
        // extra also holds app-extra2, which depends on app-extra (manual review, soname_rebuilds "plan":
        // no repo the idle sweep reads for its own sake)
        let extraDatabase = fixture.root + "/repo-extra/extra.db.tar.gz"
        try SonameBumpTests.run(["repo-add", "-q", extraDatabase,
                                 try SonameBumpTests.package("app-extra2", "1-1", files: ["usr/bin/app": work + "/app"], in: fixture.root + "/repo-extra")])
        for (abs, name, depends) in [("abs", "app", "libfoo"), ("abs-extra", "app-extra", "libfoo"), ("abs-extra", "app-extra2", "libfoo app-extra")] {
            try FileManager.default.createDirectory(atPath: fixture.root + "/\(abs)/\(name)", withIntermediateDirectories: true)
            try "pkgname=\(name)\npkgver=1\npkgrel=1\narch=('x86_64')\ndepends=(\(depends))\npackage() { :; }\n"
                .write(toFile: fixture.root + "/\(abs)/\(name)/PKGBUILD", atomically: true, encoding: .utf8)
        }
        let tiny = fixture.root + "/repos.d/tiny.toml"
        try (try String(contentsOfFile: tiny, encoding: .utf8)).replacingOccurrences(of: "[hooks]", with: "soname_rebuilds = \"auto\"\n[hooks]")
            .write(toFile: tiny, atomically: true, encoding: .utf8)
        let loaded = Configuration.load(directory: fixture.root)
        try #require(loaded.errors.isEmpty && loaded.repo(named: "tiny")?.sonameRebuilds == .auto, "\(loaded.errors)")

        let server = try ScratchPostgres.start(options: "-c fsync=off")
        defer { try? server.stop() }
        try server.psql("CREATE DATABASE pacbuild")
        let owner = try PostgresStore(url: "postgresql://postgres@127.0.0.1:\(server.port)/pacbuild")
        try owner.grantWorker(role: "builder")
        let worker = try PostgresStore(url: "postgresql://builder@127.0.0.1:\(server.port)/pacbuild")
        #expect(worker.isWorkerRole)
        try worker.register(WorkerInfo(name: "remote-1", host: "h", arches: ["x86_64"], tags: [], slots: 1, lastHeartbeat: Date()))
        func build(_ file: String, as path: String) throws -> BuildRecord {
            let claimed = try #require(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []))
            let (name, version) = (claimed.package.pkgbase, claimed.version)
            let out = fixture.root + "/out/\(claimed.id.rawValue)"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let package = try SonameBumpTests.package(name, version, files: [path: work + "/" + file], in: out)
            return try worker.report(claimed.id, worker: "remote-1", result: .built(log: nil, artifacts: [package], facts: [try PackageFacts.read(at: package)]))
        }

        // the worker role builds libfoo 2-1, which drops libfoo.so.1: it opens no set
        _ = try owner.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "libfoo"), version: "2-1")])
        let library = try build("libfoo.so.2", as: "usr/lib/libfoo.so.2")
        let remote = Self.runner(loaded, worker, worker: "remote-1")
        #expect(!remote.handlesSets)
        #expect(try remote.queueSonameRebuilds(library) == nil)
        let said = Mutex<[WakaEvent]>([])
        ReportedBuilds().publish(using: remote, store: worker) { event in said.withLock { $0.append(event) } }
        #expect(said.withLock { $0 }.isEmpty, "\(said.withLock { $0 })")
        #expect(try owner.rebuildSets(openOnly: false).isEmpty)

        // nor does a `--root` waka, connected as the owner but with the store's repos only
        try owner.recordRepoSettings(try loaded.repos.map { try RepoSettings($0) })
        let remoteConfiguration = try Configuration.remote(storeURL: "postgresql://x", settings: try owner.repoSettings(),
                                                           stateDirectory: fixture.root + "/remote-state", buildRoot: "unused")
        #expect(remoteConfiguration.isFromStore && !loaded.isFromStore)
        #expect(!Self.runner(remoteConfiguration, owner, worker: "rooted").handlesSets)

        // the owner's waka, idle, opens it
        let master = ReportedBuilds()
        let ownerRunner = Self.runner(loaded, owner, worker: "master")
        #expect(ownerRunner.handlesSets)
        master.publish(using: ownerRunner, store: owner) { event in said.withLock { $0.append(event) } }
        let opened = said.withLock { $0 }.compactMap { event -> RebuildSet? in if case .setOpened(let set, _, _) = event { set } else { nil } }
        try #require(opened.count == 1, "\(said.withLock { $0 })")
        let members = try opened[0].members.map { try owner.build($0.build) }
        #expect(members.map { "\($0.package) \($0.version)" }.sorted()
                == ["extra/app-extra 1-1.1", "extra/app-extra2 1-1.1", "tiny/app 1-1.1", "tiny/libfoo 2-1"], "\(members)")
        #expect(try owner.build(library.id).stagedAt != nil, "the library is held for its consumers")

        // the worker role builds app-extra's rebuild (and app's); app-extra2 waits for app-extra
        let rebuilt = try [build("app", as: "usr/bin/app"), build("app", as: "usr/bin/app")]
        #expect(rebuilt.map(\.package.pkgbase).sorted() == ["app", "app-extra"] && rebuilt.allSatisfy { $0.version == "1-1.1" }, "\(rebuilt)")
        #expect(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []) == nil, "app-extra2 waits for app-extra")
        let second = try #require(rebuilt.first { $0.package.pkgbase == "app-extra" })
        let extra2 = try #require(members.first { $0.package.pkgbase == "app-extra2" })
        ReportedBuilds().publish(using: remote, store: worker) { event in said.withLock { $0.append(event) } }
        #expect(try owner.build(second.id).stagedAt == nil && owner.build(extra2.id).state == .waiting)
        // the owner's waka holds both, app-extra though extra is no repo it publishes for itself
        master.publish(using: ownerRunner, store: owner) { event in said.withLock { $0.append(event) } }
        #expect(try rebuilt.allSatisfy { try owner.build($0.id).stagedAt != nil })
        #expect(try owner.build(extra2.id).state == .ready)
        #expect(try owner.rebuildSet(opened[0].id).state == .open, "nothing is approved: nothing published")
    }
}
