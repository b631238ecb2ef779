import Foundation
import Testing

/// A plan too big to read whole: the text and `why` give counts and the first items,
/// `--full` everything; dot draws less on request and svg refuses what graphviz would
/// take too long on.
struct PlanOutputSizeTests {
    /// One repo of 40 chained packages (each needs every earlier one through `lib0`
    /// and its predecessor) and a 30-member dependency cycle.
    static func config() throws -> String {
        let dir = NSTemporaryDirectory() + "pacbuild-plan-size-" + UUID().uuidString
        let write = { (path: String, text: String) in
            try FileManager.default.createDirectory(atPath: (dir + "/" + path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
        try write("pacbuild.toml", "state_dir = \"state\"\nbuild_root = \"missing\"\n")
        try write("repos.d/core.toml", "name = \"core\"\narch = \"x86_64\"\nabs = \"abs\"\ndb = \"repo/core.db.tar.gz\"\n")
        for i in 0..<40 {
            let depends = i == 0 ? "" : "depends=(lib0 lib\(i - 1))"
            try write("abs/lib\(i)/PKGBUILD", "pkgname=lib\(i)\npkgver=1\npkgrel=1\narch=(any)\n\(depends)\n")
        }
        for i in 0..<30 {
            try write("abs/cyc\(i)/PKGBUILD", "pkgname=cyc\(i)\npkgver=1\npkgrel=1\narch=(any)\ndepends=(cyc\((i + 1) % 30) lib39)\n")
        }
        return dir
    }

    @Test func textAndWhyAreSummarised() throws {
        let dir = try Self.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none", "--no-cache"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("\ncycles: 1, the largest of 30 members\n"), "\(text.stdout)")
        #expect(text.stdout.contains("builds (70):\n"))
        #expect(text.stdout.contains("  ... and 45 more (--full lists them all)\n"))
        #expect(text.stdout.contains("(5 more; --full lists them all)"))
        #expect(text.stdout.split(separator: "\n").count < 60)
        let full = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none", "--no-cache", "--full"])
        #expect(!full.stdout.contains("--full lists them all"))
        #expect(full.stdout.contains("  wave 39  core/lib39  "))

        let why = try PacbuildBinary.run(["why", "--config", dir, "lib0"])
        #expect(why.status == 0, "\(why.stderr)")
        #expect(why.stdout.contains("  needed first by (39): core/lib1, "), "\(why.stdout)")
        #expect(why.stdout.contains(", ... (14 more; --full lists them all)\n"))
        let cyc = try PacbuildBinary.run(["why", "--config", dir, "cyc3", "--full"])
        #expect(cyc.stdout.contains("  in cycle 1 (unbroken) of 30 members: "), "\(cyc.stdout)")
        #expect(!cyc.stdout.contains("more; --full"))
    }

    @Test func dotDrawsLessOnRequestAndSVGIsBounded() throws {
        let dir = try Self.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let edges = { (extra: [String]) throws -> [String] in
            let out = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none", "--format", "dot"] + extra)
            #expect(out.status == 0, "\(out.stderr)")
            return out.stdout.split(separator: "\n").filter { $0.contains(" -> ") }.map(String.init)
        }
        let full = try edges([])
        #expect(full.count == 1 + 2 * 38 + 2 * 30)  // lib1 needs lib0 once; each cycle member twice
        let reduced = try edges(["--graph", "reduced"])
        #expect(reduced.count == 39 + 30 + 1)  // the chain, the cycle's ring, one edge from it to lib39
        #expect(!reduced.contains("  \"core/lib5\" -> \"core/lib0\";"))
        let cycles = try edges(["--graph", "cycles"])
        #expect(cycles.count == 40)
        #expect(cycles.contains("  \"cycle 1\" -> \"core/lib39\";"))
        let chain = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none", "--format", "dot", "--chain", "lib2", "--graph", "reduced"])
        #expect(chain.stdout.split(separator: "\n").filter { $0.contains("fillcolor") }.count == 3)
        let waves = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none", "--format", "dot", "--graph", "waves"])
        #expect(waves.stdout.contains("wave 40: 30 builds"), "\(waves.stdout)")

        let refused = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none", "--format", "svg", "--max-nodes", "50"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("the picture has 70 nodes and 137 edges, more than --max-nodes 50"), "\(refused.stderr)")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/dot"), "graphviz's dot is missing: scripts/setup installs it")
        let svg = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none", "--format", "svg", "--graph", "cycles"])
        #expect(svg.status == 0 && svg.stdout.contains("<svg"), "\(svg.stderr)")
    }

    /// 400 packages each needing 6 earlier ones: graphviz takes minutes on it; with
    /// --svg-timeout 2 it is killed after 2 s and the message says what to do.
    @Test func graphvizIsStoppedAtTheTimeLimit() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/dot"), "graphviz's dot is missing: scripts/setup installs it")
        let dir = NSTemporaryDirectory() + "pacbuild-plan-svg-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/repos.d", withIntermediateDirectories: true)
        try "state_dir = \"state\"\nbuild_root = \"missing\"\n".write(toFile: dir + "/pacbuild.toml", atomically: true, encoding: .utf8)
        try "name = \"core\"\narch = \"x86_64\"\nabs = \"abs\"\ndb = \"repo/core.db.tar.gz\"\n"
            .write(toFile: dir + "/repos.d/core.toml", atomically: true, encoding: .utf8)
        var random = SystemRandomNumberGenerator()
        for i in 0..<400 {
            let needs = (0..<min(i, 6)).map { _ in "p\(Int.random(in: 0..<i, using: &random))" }
            try FileManager.default.createDirectory(atPath: dir + "/abs/p\(i)", withIntermediateDirectories: true)
            try "pkgname=p\(i)\npkgver=1\npkgrel=1\narch=(any)\ndepends=(\(needs.joined(separator: " ")))\n"
                .write(toFile: dir + "/abs/p\(i)/PKGBUILD", atomically: true, encoding: .utf8)
        }
        let start = ContinuousClock.now
        let svg = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none", "--format", "svg", "--svg-timeout", "2"])
        #expect(svg.status != 0)
        #expect(svg.stderr.contains("graphviz did not finish within --svg-timeout 2 s (400 nodes, "), "\(svg.stderr)")
        #expect(start.duration(to: .now) < .seconds(30))
    }
}
