import Foundation
import Scheduler
import TestSupport

/// A rebuild set in a web fixture's store, opened as `SonameRebuilds` opens one, its
/// members built as a waka reports them, with real package files (made by bsdtar) so
/// that publishing puts them into the repo `core` for real:
///
/// | pkgbase | role    | state                                   |
/// |---------|---------|-----------------------------------------|
/// | ex-lib  | library | built, approved                         |
/// | ex-use  | rebuild | built, approved (depends on ex-lib)     |
/// | ex-tool | rebuild | ready: not built yet, holds the set     |
struct SetFixture {
    var web: WebFixture
    let set: Int64
    let library: BuildID, use: BuildID, tool: BuildID

    static let reason = "core/ex-lib 1.0-1 drops libex.so.0-64 <b>bold</b>"

    init(web settings: String) throws {
        web = try WebFixture(web: settings)
        let store = web.store
        try store.register(WorkerInfo(name: "waka-1", host: "builder", arches: ["x86_64"], tags: [], slots: 1))
        _ = try store.enqueue([PlannedBuild(WebFixture.package("ex-lib"), version: "1.0-1")])
        library = try Self.build(web, "ex-lib", "1.0-1")
        let (set, _) = try store.enqueueSet([
            PlannedBuild(WebFixture.package("ex-use"), version: "1-1.1", priority: 10, dependencies: [WebFixture.package("ex-lib")]),
            PlannedBuild(WebFixture.package("ex-tool"), version: "2-1.1", dependencies: [WebFixture.package("ex-lib")]),
        ], root: library, joining: [], reason: Self.reason)
        self.set = set.id
        try store.stage(library)
        use = try Self.build(web, "ex-use", "1-1.1")
        guard let tool = try store.builds(of: WebFixture.package("ex-tool")).last?.id else { throw FixtureError("ex-tool was not queued") }
        self.tool = tool
        try store.approveSetMember(library)
        try store.approveSetMember(use)
    }

    func remove() { web.remove() }

    /// waka-1 claims `pkgbase` and reports it built with a real package file.
    private static func build(_ web: WebFixture, _ pkgbase: String, _ version: String) throws -> BuildID {
        guard let claimed = try web.store.claim(worker: "waka-1", arches: ["x86_64"], tags: []), claimed.package.pkgbase == pkgbase else {
            throw FixtureError("waka-1 did not claim \(pkgbase)")
        }
        let directory = web.stateDirectory + "/artifacts/\(claimed.id.rawValue)"
        let file = try package(pkgbase, version, into: directory)
        _ = try web.store.report(claimed.id, worker: "waka-1", result: .built(log: nil, artifacts: [file]))
        return claimed.id
    }

    /// `NAME-VERSION-x86_64.pkg.tar.zst` holding a `.PKGINFO` and one file, made by bsdtar.
    static func package(_ name: String, _ version: String, into directory: String) throws -> String {
        let work = directory + "/work"
        try FileManager.default.createDirectory(atPath: work + "/usr/share/\(name)", withIntermediateDirectories: true)
        try ["pkgname = \(name)", "pkgbase = \(name)", "pkgver = \(version)", "pkgdesc = a set member", "builddate = 1600000000",
             "packager = test", "size = 10", "arch = x86_64"].joined(separator: "\n").appending("\n")
            .write(toFile: work + "/.PKGINFO", atomically: true, encoding: .utf8)
        try "\(name)\n".write(toFile: work + "/usr/share/\(name)/README", atomically: true, encoding: .utf8)
        let path = directory + "/\(name)-\(version)-x86_64.pkg.tar.zst"
        let tar = try ProcessRunner.run("/usr/bin/bsdtar", ["-C", work, "--zstd", "-cf", path, ".PKGINFO", "usr"])
        guard tar.status == 0 else { throw FixtureError("bsdtar: \(tar.stderr)") }
        try FileManager.default.removeItem(atPath: work)
        return path
    }
}
