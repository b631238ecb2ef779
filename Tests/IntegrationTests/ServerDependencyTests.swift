import Foundation
import Synchronization
import Graph
import Repo
import Sandbox
import Testing
import TestSupport
@testable import Scheduler

/// Packages that were in a repo before the plan have no build in the store; a waka
/// without that repo's database gets them from the repo's `server` (docs/distributed.md).
/// Here the server is a `file://` directory holding `current` as our DatabaseWriter
/// publishes it, with ex-tinysh (which provides ex-sh) built by a first waka. A second,
/// config-less waka with a state directory and store of its own, where ex-tinysh has no
/// build and no database of `current` exists, builds ex-buildtool (depends on ex-sh) in
/// a real sandbox; a copy asking for `ex-sh>=5` fails with class `dependencies`.
@Suite(.enabled(if: RunFixture.canRun, "needs root: builds run in namespace sandboxes"), .serialized)
struct ServerDependencyTests {
    @Test(.timeLimit(.minutes(5)))
    func aConfigLessWakaInstallsAServedPackageThatHasNoBuild() throws {
        let root = try RunFixture.buildRoot()
        let scratch = RunFixture.testState + "/tests/server-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let abs = RunFixture.packageRoot + "/examples/abs/current"

        // The master: builds ex-tinysh and publishes it to the served directory.
        let master = try Self.waka(state: scratch + "/master", root: root, server: nil)
        let tinysh = try Self.build("ex-tinysh", version: "0.9.3-1", from: abs + "/ex-tinysh", on: master)
        #expect(tinysh.state == .built, "\(tinysh.reason ?? "") \(tinysh.log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "")")
        let served = scratch + "/srv/current/i586"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        for artifact in tinysh.artifacts { try FileManager.default.copyItem(atPath: artifact, toPath: served + "/" + (artifact as NSString).lastPathComponent) }
        let published = try DatabaseWriter(path: served + "/current.db.tar.gz")
            .add(tinysh.artifacts.map { served + "/" + ($0 as NSString).lastPathComponent })
        #expect(published.failures.isEmpty)

        // The remote waka: its own state and store, `current` only as a server.
        let server = "file://\(scratch)/srv/$repo/$arch"
        let remote = try Self.waka(state: scratch + "/remote", root: root, server: server)
        #expect(!FileManager.default.fileExists(atPath: try #require(remote.runner.configuration.repo(named: "current")).db))
        let buildtool = try Self.build("ex-buildtool", version: "3.1-1", from: abs + "/ex-buildtool", on: remote)
        #expect(buildtool.state == .built, "\(buildtool.reason ?? "")")
        #expect(buildtool.artifacts.map { ($0 as NSString).lastPathComponent } == ["ex-buildtool-3.1-1-any.pkg.tar.gz"])
        let log = try String(contentsOfFile: try #require(buildtool.log), encoding: .utf8)
        #expect(log.contains("installing dependencies: ex-sh"))
        #expect(log.contains("ex-tinysh-0.9.3-1"), "pacman in the sandbox installed the served package")
        let cached = scratch + "/remote/cache/server-packages/ex-tinysh-0.9.3-1-any.pkg.tar.gz"
        #expect(try FileChecksum.sha256(ofFileAt: cached) == FileChecksum.sha256(ofFileAt: served + "/ex-tinysh-0.9.3-1-any.pkg.tar.gz"))
        #expect(FileManager.default.fileExists(atPath: scratch + "/remote/cache/server-sync/current.db"))

        // The same build asking for a version the server does not have: pacman on the
        // host finds nothing, the build fails before any sandbox starts.
        let edited = scratch + "/edited/ex-buildtool"
        try FileManager.default.createDirectory(atPath: scratch + "/edited", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: abs + "/ex-buildtool", toPath: edited)
        let pkgbuild = edited + "/PKGBUILD"
        try String(contentsOfFile: pkgbuild, encoding: .utf8).replacingOccurrences(of: "depends=('ex-sh')", with: "depends=('ex-sh>=5')")
            .write(toFile: pkgbuild, atomically: true, encoding: .utf8)
        let missing = try Self.build("ex-buildtool", version: "3.1-1", from: edited, on: remote, store: "second")
        #expect(missing.state.failureClass == .dependencies)
        let reason = try #require(missing.reason)
        #expect(reason.contains("target not found: ex-sh>=5"), "\(reason)")
        #expect(reason.contains("current at file://\(scratch)/srv/current/i586"), "\(reason)")
        #expect(missing.log == nil, "no sandbox ran")
    }

    /// A repo is empty before its first accept: a server with no database of it yet is
    /// left out of the build like a missing local database, and said so, instead of
    /// failing the build as an unreachable server. Here `current` (nothing published)
    /// depends on `tiny`, which its server has, and the build needs `tiny-libc` from it.
    @Test(.timeLimit(.minutes(5)))
    func aServedRepoWithNoDatabaseYetIsLeftOut() throws {
        let root = try RunFixture.buildRoot()
        let scratch = RunFixture.testState + "/tests/unpublished-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch + "/srv/current/i586", withIntermediateDirectories: true)
        let tiny = scratch + "/srv/tiny/i586", libc = "tiny-libc-2.0-1-any.pkg.tar.zst"
        try FileManager.default.createDirectory(atPath: tiny, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.tinyZst + "/" + libc, toPath: tiny + "/" + libc)
        #expect(try DatabaseWriter(path: tiny + "/tiny.db.tar.gz").add([tiny + "/" + libc]).failures.isEmpty)
        let server = "file://\(scratch)/srv/$repo/$arch"
        let remote = try Self.waka(state: scratch + "/remote", root: root, settings: [
            RepoSettings(repo: "current", arch: "i586", sandbox: .namespace, dependsOn: ["tiny"], server: server),
            RepoSettings(repo: "tiny", arch: "i586", sandbox: .namespace, server: server)])
        let said = Mutex<[[String]]>([])
        var runner = remote.runner
        runner.unpublished = { names in said.withLock { $0.append(names) } }

        let edited = scratch + "/edited/ex-tinysh"
        try FileManager.default.createDirectory(atPath: scratch + "/edited", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: RunFixture.packageRoot + "/examples/abs/current/ex-tinysh", toPath: edited)
        let pkgbuild = try String(contentsOfFile: edited + "/PKGBUILD", encoding: .utf8)
        try pkgbuild.replacingOccurrences(of: "\narch=", with: "\ndepends=('tiny-libc')\narch=")
            .write(toFile: edited + "/PKGBUILD", atomically: true, encoding: .utf8)
        let tinysh = try Self.build("ex-tinysh", version: "0.9.3-1", from: edited, on: (runner, remote.state))
        let log = tinysh.log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        #expect(tinysh.state == .built, "\(tinysh.reason ?? "") \(log)")
        #expect(said.withLock { $0 } == [["current"]])
        #expect(log.contains("tiny-libc-2.0-1"), "installed from tiny's server: \(log)")

        // A dependency only `current` could give (ex-sh) is not a server down either: no
        // published repo provides it, so like a dependency of a missing local database it
        // is taken as the build root's (`--assume-installed`, DependencyResolution), and
        // ex-buildtool, whose build does not run it, builds.
        let buildtool = try Self.build("ex-buildtool", version: "3.1-1", from: RunFixture.packageRoot + "/examples/abs/current/ex-buildtool",
                                       on: (runner, remote.state), store: "second")
        #expect(buildtool.state == .built, "\(buildtool.reason ?? "")")
    }

    /// A config-less waka's configuration and runner over a fresh SQLite store in `state`,
    /// with `current` recorded as the master's catchup would.
    static func waka(state: String, root: BuildRoot, server: String? = nil,
                     settings: [RepoSettings]? = nil) throws -> (runner: BuildRunner, state: String) {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let settings = settings ?? [RepoSettings(repo: "current", arch: "i586", sandbox: .namespace, server: server)]
        let configuration = try Configuration.remote(storeURL: "sqlite:\(state)/unused.sqlite", settings: settings,
                                                     stateDirectory: state, buildRoot: root.directory)
        let store = try Store.open(url: "sqlite:\(state)/pacbuild.sqlite")
        let roots = Dictionary(uniqueKeysWithValues: configuration.repos.map { ($0.name, root) })
        return (BuildRunner(configuration: configuration, store: store, roots: roots, worker: "remote", publishLock: NSLock()), state)
    }

    /// Queues one build with its PKGBUILD directory in the store, claims it and runs it.
    static func build(_ pkgbase: String, version: String, from directory: String, on waka: (runner: BuildRunner, state: String),
                      store name: String? = nil) throws -> BuildRecord {
        let store = try name.map { try Store.open(url: "sqlite:\(waka.state)/\($0).sqlite") } ?? waka.runner.store
        var runner = waka.runner
        runner = BuildRunner(configuration: runner.configuration, store: store, roots: runner.roots, worker: "remote",
                             publishLock: runner.publishLock, unpublished: runner.unpublished)
        let id = try #require(try store.enqueue([PlannedBuild(PackageBaseID(repo: "current", pkgbase: pkgbase), version: version)])
            .enqueued.first)
        try store.putSource(id, directory: directory)
        let claimed = try #require(try store.claim(worker: "remote", arches: [], tags: []))
        #expect(claimed.id == id)
        guard case .reported(let record) = try runner.run(claimed, shouldStop: { false }) else {
            Issue.record("the build was given back")
            return claimed
        }
        return record
    }
}
