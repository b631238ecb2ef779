import Foundation
import Graph
import Scheduler
import TestSupport
@testable import Web

/// A throw-away installation for the web face: a configuration directory with one repo
/// `core` (two PKGBUILDs, one whose pkgdesc holds markup) and an SQLite store filled
/// through Scheduler's own calls, as catchup and a waka would: one build of each kind.
///
/// | pkgbase  | state    | how                                                        |
/// |----------|----------|------------------------------------------------------------|
/// | ex-lib   | built    | claimed by waka-1, reported with a log and package facts  |
/// | ex-bad   | failed   | claimed, reported failed (class `build`)                   |
/// | ex-dep   | blocked  | depends on ex-bad                                          |
/// | ex-app   | waiting  | depends on ex-lib (built, not accepted)                    |
/// | ex-run   | building | claimed by waka-1, its log growing in STATE/work/ID/       |
/// | ex-ready | ready    | queued last                                                |
struct WebFixture {
    /// When the waka's heartbeat was sent (between the two): a loaded test run may render
    /// its pages minutes later.
    var heartbeatFrom = Date.distantPast, heartbeatTo = Date.distantPast
    let root: String
    var storeURL: String { "sqlite:\(root)/state/store.sqlite" }
    var stateDirectory: String { root + "/state" }
    let configuration: Configuration
    let store: any BuildStore
    private(set) var ids: [String: BuildID] = [:]

    /// A pkgdesc, a failure reason and a log line that would run script if a page wrote them unescaped.
    static let hostileDesc = "a <script>alert('desc')</script> & \"library\""
    static let hostileReason = "make: *** [<img src=x onerror=alert(1)>] Error 2"
    static let hostileLogLine = "checking <script>alert('log')</script> ... yes"

    /// `web`: a `[web]` section for pacbuild.toml.
    init(web: String = "") throws {
        root = NSTemporaryDirectory() + "pacbuild-web-" + UUID().uuidString
        for dir in ["repos.d", "state", "repo", "abs/ex-lib", "abs/ex-app"] {
            try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        try Self.write(root, "pacbuild.toml", "state_dir = \"state\"\nstore = \"sqlite:state/store.sqlite\"\n" + web)
        try Self.write(root, "repos.d/core.toml", """
            name = "core"
            arch = "x86_64"
            abs = "abs"
            db = "repo/core.db.tar.gz"
            review = "manual"
            """)
        try Self.write(root, "abs/ex-lib/PKGBUILD", """
            pkgname=ex-lib
            pkgver=1.0
            pkgrel=1
            pkgdesc="\(Self.hostileDesc.replacingOccurrences(of: "\"", with: "\\\""))"
            arch=('x86_64')
            license=('MIT')
            package() { :; }
            """)
        try Self.write(root, "abs/ex-app/PKGBUILD", """
            pkgname=ex-app
            pkgver=2.1
            pkgrel=1
            pkgdesc="an app"
            arch=('x86_64')
            license=('MIT')
            depends=('ex-lib')
            package() { :; }
            """)
        configuration = Configuration.load(directory: root)
        guard configuration.isValid else { throw FixtureError(configuration.errors.map(\.description).joined(separator: "\n")) }
        store = try configuration.openStore()
    }

    static func write(_ root: String, _ path: String, _ text: String) throws {
        try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func site() throws -> WebSite {
        var site = try WebSite(configuration: configuration, store: store)
        site.logPollInterval = .milliseconds(20)
        return site
    }

    static func package(_ pkgbase: String) -> PackageBaseID { PackageBaseID(repo: "core", pkgbase: pkgbase) }

    /// The live log of the building build (`ex-run`).
    var liveLog: String { BuildLogs(store: store, stateDirectory: stateDirectory).livePath(of: ids["ex-run"]!) }

    /// Queues and runs the builds of the table above.
    mutating func populate() throws {
        try store.register(WorkerInfo(name: "waka-1", host: "builder", arches: ["x86_64"], tags: ["big"], slots: 2))
        heartbeatFrom = Date()
        _ = try store.heartbeat(worker: "waka-1")
        heartbeatTo = Date()
        ids["ex-lib"] = try claim("ex-lib", version: "1.0-1")
        let log = root + "/state/artifacts/\(ids["ex-lib"]!.rawValue)/build.log"
        try FileManager.default.createDirectory(atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ["==> Making package: ex-lib 1.0-1", Self.hostileLogLine, "==> Finished making: ex-lib"]
            .joined(separator: "\n").appending("\n").write(toFile: log, atomically: true, encoding: .utf8)
        var facts = PackageFacts(filename: "ex-lib-1.0-1-x86_64.pkg.tar.zst", name: "ex-lib", version: "1.0-1",
                                 fileSize: 2048, sha256: String(repeating: "ab", count: 32))
        facts.desc = Self.hostileDesc
        facts.arch = "x86_64"
        facts.installedSize = 10_240
        facts.depends = ["glibc>=2.38"]
        facts.provides = ["libex.so=1-64"]
        _ = try store.report(ids["ex-lib"]!, worker: "waka-1", result: .built(
            log: log, artifacts: [root + "/state/artifacts/\(ids["ex-lib"]!.rawValue)/" + facts.filename], facts: [facts]))

        ids["ex-bad"] = try claim("ex-bad", version: "2.0-1",
                                  with: [PlannedBuild(Self.package("ex-dep"), version: "1.0-1", dependencies: [Self.package("ex-bad")])])
        ids["ex-dep"] = try store.builds(of: Self.package("ex-dep")).last!.id
        _ = try store.report(ids["ex-bad"]!, worker: "waka-1", result: .failed(.build, reason: Self.hostileReason, log: nil))

        _ = try store.enqueue([PlannedBuild(Self.package("ex-app"), version: "2.1-1", dependencies: [Self.package("ex-lib")])])
        ids["ex-app"] = try store.builds(of: Self.package("ex-app")).last!.id
        ids["ex-run"] = try claim("ex-run", version: "0.5-1")
        try FileManager.default.createDirectory(atPath: (liveLog as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "==> Making package: ex-run 0.5-1\n".write(toFile: liveLog, atomically: true, encoding: .utf8)
        _ = try store.enqueue([PlannedBuild(Self.package("ex-ready"), version: "3-1", priority: 7)])
        ids["ex-ready"] = try store.builds(of: Self.package("ex-ready")).last!.id
    }

    /// Queues one build (with `others`) and has waka-1 claim it.
    private func claim(_ pkgbase: String, version: String, with others: [PlannedBuild] = []) throws -> BuildID {
        _ = try store.enqueue([PlannedBuild(Self.package(pkgbase), version: version, priority: 100)] + others)
        guard let claimed = try store.claim(worker: "waka-1", arches: ["x86_64"], tags: ["big"]), claimed.package.pkgbase == pkgbase else {
            throw FixtureError("waka-1 did not claim \(pkgbase)")
        }
        return claimed.id
    }

    /// Runs the built `pacbuild` with this fixture's configuration.
    func pacbuild(_ arguments: [String]) throws -> ProcessRunner.Output {
        try ProcessRunner.run(Self.binary, arguments + ["--config", root])
    }

    /// The `pacbuild` executable SwiftPM built beside the test bundle (the target depends on CLI).
    static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.isExecutableFile(atPath: dir.path + "/pacbuild") {
            dir = dir.deletingLastPathComponent()
        }
        return dir.path + "/pacbuild"
    }()
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
