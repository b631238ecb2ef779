import Foundation
import Graph
import Repo
import Scheduler
import Testing
import TestSupport

/// Issue 19: a build whose packages stop providing a soname the repo's current version
/// provides is named by checkbuilds and show, with every package (of its repo and the
/// repos whose depends_on names it) whose ELF files need the old soname. The libraries
/// and programs are compiled here with gcc; the packages are made with bsdtar and the
/// databases with the real repo-add.
@Suite struct SonameBumpTests {
    /// Runs a command, failing with its output.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil) throws -> String {
        let result = try ProcessRunner.run("/usr/bin/env", arguments, in: directory, environment: ["LC_ALL": "C.UTF-8"])
        guard result.status == 0 else { throw FixtureError(description: "\(arguments.joined(separator: " ")): \(result.stderr)") }
        return result.stdout
    }

    /// A package `name-version-x86_64.pkg.tar.zst` in `directory` holding `files`
    /// (path in the package: file to copy).
    static func package(_ name: String, _ version: String, files: [String: String], in directory: String) throws -> String {
        let tree = directory + "/tree-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: tree) }
        for (inside, source) in files {
            try FileManager.default.createDirectory(atPath: tree + "/" + (inside as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source, toPath: tree + "/" + inside)
        }
        let info = "pkgname = \(name)\npkgbase = \(name)\npkgver = \(version)\npkgdesc = x\nbuilddate = 1\npackager = x\nsize = 1\narch = x86_64\n"
        try info.write(toFile: tree + "/.PKGINFO", atomically: true, encoding: .utf8)
        let path = directory + "/\(name)-\(version)-x86_64.pkg.tar.zst"
        try Self.run(["bsdtar", "--zstd", "-cf", path, ".PKGINFO", "usr"], in: tree)
        return path
    }

    /// `ROOT/elf`: libfoo.so.1 and libfoo.so.2 compiled by gcc, and `app` linked against
    /// libfoo.so.1. Returns the directory.
    static func compileLibfoo(in fixture: ReviewFixture) throws -> String {
        let work = fixture.root + "/elf"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try "int foo(void) { return 1; }\n".write(toFile: work + "/foo.c", atomically: true, encoding: .utf8)
        try "int foo(void);\nint main(void) { return foo(); }\n".write(toFile: work + "/main.c", atomically: true, encoding: .utf8)
        for major in ["1", "2"] {
            try Self.run(["gcc", "-shared", "-fPIC", "-Wl,-soname,libfoo.so.\(major)", "-o", work + "/libfoo.so.\(major)", work + "/foo.c"])
        }
        try Self.run(["ln", "-s", "libfoo.so.1", work + "/libfoo.so"])
        try Self.run(["gcc", "-o", work + "/app", work + "/main.c", "-L" + work, "-lfoo"])
        #expect(try Self.run(["readelf", "-d", work + "/app"]).contains("Shared library: [libfoo.so.1]"))
        return work
    }

    /// tiny holds libfoo 1 and app; extra (depends_on tiny) holds app-extra; alone (no
    /// depends_on) holds app-alone, which cannot see tiny's libfoo. Each repo's
    /// database made by repo-add. Returns each repo's package files.
    @discardableResult
    static func publishLibfooRepos(_ fixture: ReviewFixture, work: String) throws -> [(name: String, packages: [String])] {
        var repos: [(name: String, packages: [String])] = [("tiny", []), ("extra", []), ("alone", [])]
        repos[0].packages = [try Self.package("libfoo", "1-1", files: ["usr/lib/libfoo.so.1": work + "/libfoo.so.1"], in: fixture.pool),
                             try Self.package("app", "1-1", files: ["usr/bin/app": work + "/app"], in: fixture.pool)]
        for (index, name) in [(1, "extra"), (2, "alone")] {
            try FileManager.default.createDirectory(atPath: fixture.root + "/repo-\(name)", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: fixture.root + "/abs-\(name)", withIntermediateDirectories: true)
            repos[index].packages = [try Self.package("app-\(name)", "1-1", files: ["usr/bin/app": work + "/app"], in: fixture.root + "/repo-\(name)")]
            try """
                name = "\(name)"
                arch = "x86_64"
                abs = "abs-\(name)"
                db = "repo-\(name)/\(name).db.tar.gz"
                \(name == "extra" ? "depends_on = [\"tiny\"]" : "")
                """.write(toFile: fixture.root + "/repos.d/\(name).toml", atomically: true, encoding: .utf8)
        }
        try Self.run(["repo-add", "-q", fixture.database] + repos[0].packages)
        try Self.run(["repo-add", "-q", fixture.root + "/repo-extra/extra.db.tar.gz"] + repos[1].packages)
        try Self.run(["repo-add", "-q", fixture.root + "/repo-alone/alone.db.tar.gz"] + repos[2].packages)
        return repos
    }

    @Test func aBuildDroppingASonameNamesItAndItsConsumers() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let work = try Self.compileLibfoo(in: fixture)
        let repos = try Self.publishLibfooRepos(fixture, work: work)

        // The build of libfoo 2-1 provides only libfoo.so.2.
        let store = try fixture.openStore()
        _ = try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "libfoo"), version: "2-1")])
        let claimed = try #require(try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []))
        let out = fixture.root + "/out/\(claimed.id.rawValue)"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let built = try Self.package("libfoo", "2-1", files: ["usr/lib/libfoo.so.2": work + "/libfoo.so.2"], in: out)
        let facts = try PackageFacts.read(at: built)
        #expect(facts.sonamesProvided == ["libfoo.so.2-64"])
        let needed = try Self.run(["readelf", "-d", work + "/libfoo.so.2"]).split(separator: "\n").filter { $0.contains("Shared library:") }
            .map { line in String(line.split(separator: "[").last!.dropLast()) + "-64" }
        #expect(facts.sonamesNeeded == needed.sorted())
        let appFacts = try PackageFacts.read(at: repos[0].packages[1])
        #expect(appFacts.sonamesNeeded?.contains("libfoo.so.1-64") == true && appFacts.sonamesProvided == [], "\(appFacts)")
        _ = try store.report(claimed.id, worker: "test-waka", result: .built(log: nil, artifacts: [built], facts: [facts]))

        let review = try fixture.pacbuild(["checkbuilds"])
        #expect(review.status == 0, "\(review.stderr)")
        #expect(review.stdout.contains("  soname bump: libfoo.so.1-64 gone (new: libfoo.so.2-64), needed by 2 packages: extra/app-extra tiny/app\n"),
                "\(review.stdout)")
        #expect(!review.stdout.contains("problem:"), "\(review.stdout)")
        let show = try fixture.pacbuild(["show", "\(claimed.id.rawValue)"])
        #expect(show.stdout.contains("soname bump    libfoo.so.1-64 gone (new: libfoo.so.2-64), needed by 2 packages: extra/app-extra tiny/app\n"),
                "\(show.stdout)")
        #expect(show.stdout.contains("  sonames      libfoo.so.2-64\n"), "\(show.stdout)")
        // The sonames of the three pool files read (libfoo 1, app, app-extra; not app-alone)
        // are cached by sha256, and the build's recorded ones under its file's sha256.
        let cached = try FileManager.default.contentsOfDirectory(atPath: fixture.root + "/state/sonames")
        #expect(cached.count == 4 && cached.contains(facts.sha256 + ".json") && cached.allSatisfy { $0.hasSuffix(".json") }, "\(cached)")
    }

    /// A build that keeps its sonames is no bump.
    @Test func noBumpWithoutAGoneSoname() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let work = fixture.root + "/elf"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try "int foo(void) { return 1; }\n".write(toFile: work + "/foo.c", atomically: true, encoding: .utf8)
        try Self.run(["gcc", "-shared", "-fPIC", "-Wl,-soname,libfoo.so.1", "-o", work + "/libfoo.so.1", work + "/foo.c"])
        try Self.run(["repo-add", "-q", fixture.database,
                 try Self.package("libfoo", "1-1", files: ["usr/lib/libfoo.so.1": work + "/libfoo.so.1"], in: fixture.pool)])
        let store = try fixture.openStore()
        _ = try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "libfoo"), version: "1-2")])
        let claimed = try #require(try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []))
        let out = fixture.root + "/out/\(claimed.id.rawValue)"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let built = try Self.package("libfoo", "1-2", files: ["usr/lib/libfoo.so.1": work + "/libfoo.so.1"], in: out)
        _ = try store.report(claimed.id, worker: "test-waka", result: .built(log: nil, artifacts: [built], facts: [try PackageFacts.read(at: built)]))
        let review = try fixture.pacbuild(["checkbuilds"])
        #expect(review.status == 0 && !review.stdout.contains("soname bump") && !review.stdout.contains("problem:"), "\(review.stdout)")
    }

    /// `plan --soname-bump libfoo.so` before the bump: the pkgbase providing it and every
    /// pkgbase (of its repo and the repos that see it) whose files need it are planned as
    /// rebuilds, app-alone (which cannot see tiny) is not, and the set is previewed alone:
    /// 3 builds of 300 s (the default), libfoo first, on 2 workers.
    @Test func planSonameBumpPlansTheProviderAndItsConsumersAsOneSet() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let work = try Self.compileLibfoo(in: fixture)
        try Self.publishLibfooRepos(fixture, work: work)
        for (abs, name, depends) in [("abs", "libfoo", ""), ("abs", "app", "libfoo"), ("abs-extra", "app-extra", "libfoo"), ("abs-alone", "app-alone", "")] {
            try FileManager.default.createDirectory(atPath: fixture.root + "/\(abs)/\(name)", withIntermediateDirectories: true)
            try "pkgname=\(name)\npkgver=1\npkgrel=1\narch=('x86_64')\ndepends=(\(depends))\npackage() { :; }\n"
                .write(toFile: fixture.root + "/\(abs)/\(name)/PKGBUILD", atomically: true, encoding: .utf8)
        }
        let text = try fixture.pacbuild(["plan", "--fallback", "none", "--soname-bump", "libfoo.so", "--workers", "2"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("soname bump libfoo.so: libfoo.so.1-64 provided by tiny/libfoo; needed by 2 packages of 2 pkgbases: extra/app-extra tiny/app\n"),
                "\(text.stdout)")
        #expect(text.stdout.contains("set: 3 builds in 2 waves; critical path 10m00s, 15m00s of building; simulated makespan 10m00s on 2 workers\n"),
                "\(text.stdout)")
        let json = try fixture.pacbuild(["plan", "--fallback", "none", "--soname-bump", "libfoo.so.1", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let plan = try JSONDecoder().decode(Plan.self, from: Data(json.stdout.utf8))
        let bump = try #require(plan.sonameBump)
        #expect(bump.sonames.map(\.providers) == [["tiny/libfoo"]] && bump.sonames.map(\.consumerBases) == [["extra/app-extra", "tiny/app"]])
        let set = bump.set
        #expect(set.builds == 3 && set.waves == 2 && set.criticalPathSeconds == 600 && set.totalSeconds == 900, "\(set)")
        #expect(set.workers == 1 && set.makespanSeconds == 900, "one worker builds the three one after another: \(set)")
        let status = Dictionary(plan.entries.map { ($0.id, $0.status) }) { a, _ in a }
        #expect(["tiny/libfoo", "tiny/app", "extra/app-extra"].allSatisfy { status[$0] == .rebuild } && status["alone/app-alone"] == .current,
                "\(status)")
        #expect(plan.entries.first { $0.id == "extra/app-extra" }?.needs == ["tiny/libfoo"])

        let unknown = try fixture.pacbuild(["plan", "--fallback", "none", "--soname-bump", "libfo.so"])
        #expect(unknown.status != 0 && unknown.stderr.contains("--soname-bump libfo.so: no package in the pools of alone, extra, tiny provides it"),
                "\(unknown.stderr)")
    }
}
