import Foundation
import Scheduler
import Testing

/// `pacbuild plan` and `pacbuild why` over the shipped example configuration.
struct PlanCommandTests {
    /// The shipped configuration with its state directory moved into a temp dir, so the
    /// example databases are absent whatever a demo left behind.
    static func config() throws -> String {
        let dir = NSTemporaryDirectory() + "pacbuild-plan-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/repos.d", withIntermediateDirectories: true)
        for link in ["examples", "hooks", "makepkg"] {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + link, withDestinationPath: PacbuildBinary.packageRoot + "/" + link)
        }
        for file in ["current-i586.toml", "extra-i586.toml"] {
            try FileManager.default.copyItem(atPath: PacbuildBinary.packageRoot + "/repos.d/" + file, toPath: dir + "/repos.d/" + file)
        }
        try FileManager.default.copyItem(atPath: PacbuildBinary.packageRoot + "/pacbuild.toml", toPath: dir + "/pacbuild.toml")
        return dir
    }

    @Test func textJSONAndDot() throws {
        let dir = try Self.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try PacbuildBinary.run(["plan", "--config", dir, "--workers", "2"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("plan: 9 pkgbases: 9 new\nbuilds: 9 in 5 waves;"))
        #expect(text.stdout.contains("on 2 workers"))
        #expect(text.stdout.contains("  wave 0  current/ex-libbase  1.2.0-1  new: not in the current database\n"))

        let json = try PacbuildBinary.run(["plan", "--config", dir, "--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["schema"] as? String == "pacbuild.plan/1")
        let order = try #require(object?["buildOrder"] as? [String])
        #expect(order.count == 9)
        #expect(order.firstIndex(of: "current/ex-libfmt")! < order.firstIndex(of: "extra/ex-hello")!)

        let dot = try PacbuildBinary.run(["plan", "--config", dir, "--format", "dot"])
        #expect(dot.stdout.hasPrefix("digraph plan {"))
        #expect(dot.stdout.contains("\"extra/ex-hello\" -> \"current/ex-libfmt\";"))
    }

    @Test func rebuildNeedsAKnownName() throws {
        let dir = try Self.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = try PacbuildBinary.run(["plan", "--config", dir, "--rebuild", "nosuch"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("no pkgbase or pkgname 'nosuch' in current, extra"))
        let unknownRepo = try PacbuildBinary.run(["plan", "--config", dir, "--repo", "nosuch"])
        #expect(unknownRepo.status != 0)
        #expect(unknownRepo.stderr.contains("no repo 'nosuch'"))
    }

    /// The rebuild closure says which kinds of edge it followed.
    @Test func rebuildSaysWhichEdgesItFollowed() throws {
        let dir = try Self.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let all = try PacbuildBinary.run(["plan", "--config", dir, "--rebuild", "ex-libbase", "--reverse"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.contains("\nrebuild: ex-libbase and what needs them: "), "\(all.stdout)")
        #expect(all.stdout.contains("; the closure followed depends, makedepends, checkdepends edges\n"))
        // the closure is one rebuild set, published together
        #expect(all.stdout.contains("\nrebuild sets (1), each published together once every member is built:\n"
                                    + "  set 1 (rebuild): 5 pkgbases: current/ex-libbase, current/ex-libfmt, extra/ex-hello, extra/ex-greeterd, extra/ex-utils\n"
                                    + "    5 builds in 4 waves; critical path 20m00s, 25m00s of building; simulated makespan 25m00s on 1 worker\n"),
                "\(all.stdout)")
        let json = try PacbuildBinary.run(["plan", "--config", dir, "--rebuild", "ex-libbase", "--reverse", "--format", "json", "--workers", "2"])
        let plan = try JSONDecoder().decode(Plan.self, from: Data(json.stdout.utf8))
        let preview = try #require(plan.sets?.first?.preview, "\(json.stdout.suffix(800))")
        #expect(preview.builds == 5 && preview.waves == 4 && preview.workers == 2 && preview.makespanSeconds == 1200, "\(preview)")
        let some = try PacbuildBinary.run(["plan", "--config", dir, "--rebuild", "ex-libbase", "--reverse", "--no-checkdepends", "--no-makedepends"])
        #expect(some.status == 0, "\(some.stderr)")
        #expect(some.stdout.contains("; the closure followed depends edges, not makedepends, checkdepends\n"), "\(some.stdout)")
        let bad = try PacbuildBinary.run(["plan", "--config", dir, "--rebuild", "ex-libbase", "--no-checkdepends"])
        #expect(bad.status != 0 && bad.stderr.contains("--no-checkdepends and --no-makedepends need --rebuild PKG... --reverse"))
    }

    @Test func whyExplainsASplitPackage() throws {
        let dir = try Self.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let why = try PacbuildBinary.run(["why", "--config", dir, "ex-utils-doc"])
        #expect(why.status == 0, "\(why.stderr)")
        #expect(why.stdout.hasPrefix("extra/ex-utils 1.4-1 (packages: ex-utils, ex-utils-doc)\n  status: new: not in the extra database\n"))
        #expect(why.stdout.contains("  waits for (3): "))
        #expect(why.stdout.contains("extra/ex-hello"))
    }

    @Test func configurationErrorsStopThePlan() throws {
        let dir = try Self.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "name = \"extra\"\narch = \"i586\"\nabs = \"examples/abs/extra\"\ndb = \"x/extra.db.tar.gz\"\ndepends_on = [\"curent\"]\n"
            .write(toFile: dir + "/repos.d/extra-i586.toml", atomically: true, encoding: .utf8)
        let plan = try PacbuildBinary.run(["plan", "--config", dir])
        #expect(plan.status == 1)
        #expect(plan.stderr.contains("repos.d/extra-i586.toml:5: key 'depends_on': unknown repo 'curent'"))
    }
}
