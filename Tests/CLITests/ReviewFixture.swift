import Foundation
import Graph
import Repo
import Scheduler
import TestSupport

/// A throw-away installation for the review commands: a configuration directory with one
/// repo `tiny` (manual review, the shipped packages-txt hook) over a copy of the tiny
/// fixture's PKGBUILDs (Tests/Fixtures/tiny-src), and a store whose builds are reported
/// built with the packages real makepkg built from them (TestSupport's ``Fixtures``)
/// standing in for what a waka would have built.
struct ReviewFixture {
    static var packages: String { Fixtures.tinyZst }
    /// The fixture's packages by pkgbase (tiny-py is split).
    static let files: [String: [String]] = [
        "tiny-app": ["tiny-app-0.9.r12.gabcdef0-1-any.pkg.tar.zst"], "tiny-ca": ["tiny-ca-20240101-1-any.pkg.tar.zst"],
        "tiny-curl": ["tiny-curl-8.5.0-3-any.pkg.tar.zst"], "tiny-libc": ["tiny-libc-2.0-1-any.pkg.tar.zst"],
        "tiny-meta": ["tiny-meta-1-1-any.pkg.tar.zst"],
        "tiny-py": ["tiny-py-3.12.1-1-any.pkg.tar.zst", "tiny-py-docs-3.12.1-1-any.pkg.tar.zst"],
        "tiny-ssl": ["tiny-ssl-3.1.0-1-any.pkg.tar.zst"], "tiny-zlib": ["tiny-zlib-1:1.3-2-any.pkg.tar.zst"],
    ]

    let root: String
    var storeURL: String { "sqlite:\(root)/state/store.sqlite" }
    var database: String { root + "/repo/tiny.db.tar.gz" }
    var pool: String { root + "/repo" }

    /// The staging database when the fixture's repo has `staging = true` (the default place).
    var stagingDatabase: String { root + "/repo/staging/tiny-staging.db.tar.gz" }

    init(review: String = "manual", staging: Bool = false) throws {
        setlocale(LC_ALL, "C.UTF-8")
        root = NSTemporaryDirectory() + "pacbuild-review-" + UUID().uuidString
        let manager = FileManager.default
        for dir in ["repos.d", "state", "out", "repo"] { try manager.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true) }
        try manager.copyItem(atPath: Fixtures.tinySource, toPath: root + "/abs")
        try "state_dir = \"state\"\nstore = \"\(storeURL)\"\n".write(toFile: root + "/pacbuild.toml", atomically: true, encoding: .utf8)
        try """
            name = "tiny"
            arch = "x86_64"
            abs = "abs"
            db = "repo/tiny.db.tar.gz"
            review = "\(review)"
            staging = \(staging)
            [hooks]
            post_update = ["\(PacbuildBinary.packageRoot)/hooks/packages-txt"]
            """.write(toFile: root + "/repos.d/tiny.toml", atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func openStore() throws -> any BuildStore { try Store.open(url: storeURL) }

    /// Queues, claims and reports built one build per pkgbase (no edges: every one is
    /// ready at once), each with its fixture packages copied to its own output directory
    /// and a log with `warnings` makepkg warnings, and the packages' facts unless
    /// `facts` is false (a build reported before schema 10). Returns the ids by pkgbase.
    @discardableResult
    func built(_ pkgbases: [String], warnings: Int = 0, facts: Bool = true) throws -> [String: BuildID] {
        let store = try openStore()
        var ids: [String: BuildID] = [:]
        for pkgbase in pkgbases {
            let files = try require(Self.files[pkgbase])
            let version = Self.version(of: files[0], pkgname: pkgbase)
            _ = try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: pkgbase), version: version)])
            let claimed = try require(try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []))
            try report(claimed, warnings: warnings, facts: facts, in: store)
            ids[claimed.package.pkgbase] = claimed.id
        }
        return ids
    }

    /// Reports a claimed build built, its fixture packages copied to its own output
    /// directory and a log with `warnings` makepkg warnings beside them, with the
    /// packages' `.PKGINFO` facts as a waka records them (none when `facts` is false).
    func report(_ claimed: BuildRecord, warnings: Int = 0, facts: Bool = true, in store: any BuildStore) throws {
        let pkgbase = claimed.package.pkgbase
        let out = root + "/out/\(claimed.id.rawValue)"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let log = out + "/build.log"
        try (["==> Making package: \(pkgbase) \(claimed.version)"] + Array(repeating: "==> WARNING: something odd", count: warnings)
            + ["==> Finished making: \(pkgbase)"]).joined(separator: "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let artifacts = try require(Self.files[pkgbase], pkgbase).map { name in
            try FileManager.default.copyItem(atPath: Self.packages + "/" + name, toPath: out + "/" + name)
            return out + "/" + name
        }
        let read = facts ? try artifacts.map { path throws(RepoError) in try PackageFacts.read(at: path) } : []
        _ = try store.report(claimed.id, worker: "test-waka", result: .built(log: log, artifacts: artifacts, facts: read))
    }

    /// `tiny-py-3.12.1-1-any.pkg.tar.zst` -> `3.12.1-1`.
    static func version(of file: String, pkgname: String) -> String {
        let rest = file.dropFirst(pkgname.count + 1)
        return rest.components(separatedBy: "-").prefix(2).joined(separator: "-")
    }

    /// Runs pacbuild with this fixture's configuration.
    func pacbuild(_ arguments: [String]) throws -> PacbuildBinary.Output {
        try PacbuildBinary.run(arguments + ["--config", root])
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

/// `#require` for plain functions (the fixture is not a test).
func require<T>(_ value: T?, _ what: String = "a value") throws -> T {
    guard let value else { throw FixtureError(description: "missing \(what)") }
    return value
}
