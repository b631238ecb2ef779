import Foundation
import Graph
import Repo
import Scheduler
import TestSupport
import Testing

/// A soname bump of the example port end to end (`soname_rebuilds = "auto"` on both
/// repos): after a first run publishes everything, ex-libbase moves from
/// libexbase.so.1 to libexbase.so.2 (pkgrel 2). The next `pacbuild run` rebuilds exactly
/// the packages linked against libexbase.so.1, ex-libfmt (current) and ex-hello
/// (extra), each at pkgrel N.1, and publishes the three as one set into both repos.
@Suite(.enabled(if: RunFixture.canRun, "needs root"), .serialized)
struct SonameSetRunTests {
    static func bumped(_ label: String) throws -> RunFixture {
        let fixture = try RunFixture(label)
        for repo in ["current-i586.toml", "extra-i586.toml"] {
            try fixture.edit("repos.d/" + repo) { $0.replacingOccurrences(of: "\n[hooks]", with: "\nsoname_rebuilds = \"auto\"\n\n[hooks]") }
        }
        let first = try fixture.run()
        try #require(first.status == 0, "\(first.stderr) \(first.events.suffix(3))")
        try fixture.edit("examples/abs/current/ex-libbase/PKGBUILD") {
            $0.replacingOccurrences(of: "libexbase.so.1", with: "libexbase.so.2").replacingOccurrences(of: "pkgrel=1", with: "pkgrel=2")
        }
        return fixture
    }

    @Test func aSonameBumpRebuildsItsConsumersAndPublishesThemTogether() throws {
        let fixture = try Self.bumped("soname-set")
        let before = Set(try fixture.pacmanList())
        let (status, events, stderr) = try fixture.run()
        #expect(status == 0, "\(stderr) \(events.suffix(3))")
        let store = try fixture.openStore()
        let sets = try store.rebuildSets(openOnly: false)
        try #require(sets.count == 1, "\(events)")
        let set = sets[0]
        #expect(set.state == .published)
        let members = try set.members.map { try store.build($0.build) }
        #expect(Set(members.map { "\($0.package) \($0.version)" })
                == ["current/ex-libbase 1.2.0-2", "current/ex-libfmt 2.0.1-3.1", "extra/ex-hello 0.3.1-1.1"], "\(members)")
        #expect(members.allSatisfy { $0.state == .accepted })
        // nothing else was rebuilt
        let built = events.filter { $0["event"] as? String == "built" }.compactMap { ($0["build"] as? [String: Any])?["version"] as? String }
        #expect(built.count == 3, "\(built)")
        // published in one step: one set-published event, no single accept of a member
        #expect(events.filter { $0["event"] as? String == "set-published" }.count == 1)
        #expect(events.filter { $0["event"] as? String == "accepted" }.isEmpty, "\(events)")
        // the rebuilds waited for the library and ex-hello for ex-libfmt's rebuild
        let byName = Dictionary(members.map { ($0.package.pkgbase, $0) }, uniquingKeysWith: { a, _ in a })
        let libbase = try #require(byName["ex-libbase"]), libfmt = try #require(byName["ex-libfmt"]), hello = try #require(byName["ex-hello"])
        #expect(try store.dependencies(of: libfmt.id).contains(libbase.id))
        #expect(try Set(store.dependencies(of: hello.id)).isSuperset(of: [libbase.id, libfmt.id]))

        let after = Set(try fixture.pacmanList())
        for line in ["current ex-libbase 1.2.0-2", "current ex-libfmt 2.0.1-3.1", "current ex-libfmt-headers 2.0.1-3.1", "extra ex-hello 0.3.1-1.1"] {
            #expect(after.contains(line), "\(after.sorted())")
        }
        #expect(after.subtracting(before).count == 4 && after.count == before.count, "only the set changed: \(after.sorted())")

        // the real pacman installs the program into a throw-away root; it runs against libexbase.so.2
        let pacman = try ThrowAwayPacman(scratch: fixture.directory + "/install",
                                         repos: [("current", fixture.state + "/repo/current/i586"), ("extra", fixture.state + "/repo/extra/i586")])
        // the port's packages are i586: this pacman takes them (the host's would say x86_64 only)
        let conf = try String(contentsOfFile: pacman.conf, encoding: .utf8)
        try conf.replacingOccurrences(of: "Architecture = auto", with: "Architecture = i586 i686 x86_64")
            .write(toFile: pacman.conf, atomically: true, encoding: .utf8)
        try pacman.sync()
        let install = try pacman.run(["-S", "ex-hello"])
        try #require(install.status == 0, "\(install.stdout) \(install.stderr)")
        let root = fixture.directory + "/install/pacman/root"
        #expect(FileManager.default.fileExists(atPath: root + "/usr/lib/libexbase.so.2"))
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/lib/libexbase.so.1"))
        let i386 = try RunFixture.buildRoot(RunFixture.i386RootName, arch: "i386").directory + "/root"
        let libraries = [root + "/usr/lib", i386 + "/lib/i386-linux-gnu", i386 + "/usr/lib/i386-linux-gnu"].joined(separator: ":")
        let ran = try ProcessRunner.run(i386 + "/lib/ld-linux.so.2", ["--library-path", libraries, root + "/usr/bin/ex-hello", "--version"])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stdout == "ex-hello 0.3.1 (ex-libfmt 2.0.1 on ex-libbase 1.2.0)\n")
        let needed = try ProcessRunner.run("/usr/bin/readelf", ["-d", root + "/usr/bin/ex-hello"])
        #expect(needed.stdout.contains("[libexbase.so.2]") && !needed.stdout.contains("[libexbase.so.1]"), "\(needed.stdout)")

        // the next catch-up sees the rebuilds as the PKGBUILDs' versions: nothing to do
        let again = try fixture.run()
        #expect(again.status == 0)
        #expect(again.events.filter { $0["event"] as? String == "claimed" }.isEmpty, "\(again.events)")

        // `run --rebuild ex-hello --reverse`: ex-hello and ex-greeterd and ex-utils (which
        // depend on it) at the next rebuild numbers, one set published together
        let reverse = try fixture.run(["--rebuild", "ex-hello", "--reverse"])
        #expect(reverse.status == 0, "\(reverse.stderr) \(reverse.events.suffix(3))")
        #expect(reverse.events.filter { $0["event"] as? String == "built" }.count == 3, "\(reverse.events)")
        let rebuilt = try ["ex-hello", "ex-greeterd", "ex-utils"].map { try #require(try store.builds(of: PackageBaseID(repo: "extra", pkgbase: $0)).last) }
        #expect(rebuilt.map { "\($0.version) \($0.state)" } == ["0.3.1-1.2 accepted", "1.1.0-1.1 accepted", "1.4-1.1 accepted"], "\(rebuilt)")
        #expect(reverse.events.filter { $0["event"] as? String == "set-published" }.count == 1)
        #expect(reverse.events.filter { $0["event"] as? String == "accepted" }.isEmpty, "\(reverse.events)")
        let reverseSet = try #require(try store.rebuildSets(openOnly: false).first)
        #expect(reverseSet.id != set.id && reverseSet.state == .published && reverseSet.members.map(\.role) == [.requested, .reverse, .reverse])
        let relisted = Set(try fixture.pacmanList())
        #expect(relisted.isSuperset(of: ["extra ex-hello 0.3.1-1.2", "extra ex-greeterd 1.1.0-1.1", "extra ex-utils 1.4-1.1"]), "\(relisted.sorted())")
    }

    @Test func aFailedMemberHoldsTheSetAndTheClosedPartKeepsItsLibrary() throws {
        let fixture = try Self.bumped("soname-set-held")
        // ex-hello's PKGBUILD keeps its version but no longer builds: its rebuild fails
        try fixture.edit("examples/abs/extra/ex-hello/PKGBUILD") { $0.replacingOccurrences(of: "build() {\n", with: "build() {\n  false\n") }
        let before = Set(try fixture.pacmanList())
        let (status, events, _) = try fixture.run()
        #expect(status == 1, "a member failed")
        let store = try fixture.openStore()
        let set = try #require(try store.rebuildSets(openOnly: true).first, "\(events)")
        let hello = try #require(try store.builds(of: PackageBaseID(repo: "extra", pkgbase: "ex-hello")).last)
        #expect(hello.version == "0.3.1-1.1" && hello.state == .failed(.build))
        #expect(Set(try fixture.pacmanList()) == before, "nothing of the set was published")

        let why = try RunFixture.execute(RunFixture.binary, ["why", "--config", fixture.directory, "ex-libbase"])
        #expect(why.1.contains("set \(set.id) (open)") && why.1.contains("held by: \(hello.label): failed (build)"), "\(why.1)")
        let statusText = try RunFixture.execute(RunFixture.binary, ["status", "--config", fixture.directory])
        #expect(statusText.1.contains("rebuild sets:") && statusText.1.contains(hello.label), "\(statusText.1)")

        let show = try RunFixture.execute(RunFixture.binary, ["show", "--config", fixture.directory, "current/ex-libbase"])
        #expect(show.1.contains("rebuild set    set \(set.id) (open)") && show.1.contains("held by: \(hello.label)"), "\(show.1)")
        let listed = try RunFixture.execute(RunFixture.binary, ["set", "ls", "--json", "--config", fixture.directory])
        let sets = try #require(try JSONSerialization.jsonObject(with: Data(listed.1.utf8)) as? [[String: Any]], "\(listed)")
        #expect(sets.count == 1 && (sets[0]["holds"] as? [[String: Any]])?.count == 1, "\(listed.1)")

        let whole = try RunFixture.execute(RunFixture.binary, ["set", "publish", "--config", fixture.directory, String(set.id)])
        #expect(whole.0 != 0 && whole.2.contains("held"), "the whole set is refused: \(whole)")
        // the closed part leaves ex-hello behind, which needs libexbase.so.1: ex-libbase
        // cannot go, nor ex-libfmt's rebuild that waits for it (calculate_maximal_moveable_set)
        let closed = try RunFixture.execute(RunFixture.binary, ["set", "publish", "--closed", "--config", fixture.directory, String(set.id)])
        #expect(closed.0 == 1, "\(closed.1) \(closed.2)")
        #expect(closed.2.contains("current/ex-libbase 1.2.0-2: drops libexbase.so.1-32, which extra/ex-hello still needs, left out"), "\(closed.2)")
        #expect(closed.2.contains("current/ex-libfmt 2.0.1-3.1: depends on"), "\(closed.2)")
        #expect(Set(try fixture.pacmanList()) == before, "nothing of the set was published")
        #expect(try store.rebuildSet(set.id).live.count == 3)

        // dropping the failed member (a maintainer's decision to break it) publishes the rest
        let drop = try RunFixture.execute(RunFixture.binary, ["set", "drop", "--config", fixture.directory, String(hello.id.rawValue)])
        #expect(drop.0 == 0, "\(drop.2)")
        #expect(drop.1.contains("published"), "\(drop.1)")
        let after = Set(try fixture.pacmanList())
        #expect(after.contains("current ex-libbase 1.2.0-2") && after.contains("current ex-libfmt 2.0.1-3.1"), "\(after.sorted())")
        #expect(after.contains("extra ex-hello 0.3.1-1"), "the dropped member's repo package stays")
        #expect(try store.rebuildSet(set.id).state == .published)
    }
}
