import Foundation
import Repo
import Sandbox
import TestSupport
import Testing

/// Real builds of examples/abs with the real pacman and makepkg in namespace sandboxes.
@Suite(.enabled(if: TestRoot.canRun, "needs root"), .serialized)
struct ExampleBuildTests {
    /// Every example in dependency order: `current` first, then `extra`, whose builds
    /// install from both repos (extra's depends_on is current). ex-libfmt's makedepends
    /// ex-buildtool and ex-hello's checkdepends ex-testkit come from the repo built here.
    @Test func buildsTheExamplesIntoReposPacmanLists() throws {
        let root = try TestRoot.debian12()
        let before = try TestRoot.fingerprint(root.rootfs)
        let work = try TestRoot.temporaryDirectory("examples")
        let builder = ExampleBuilder(root: root, work: work)
        let current = try ExampleBuilder.repository("current", in: work + "/repos/current")
        let extra = try ExampleBuilder.repository("extra", in: work + "/repos/extra")
        let order = [("current", ["ex-tinysh", "ex-libbase", "ex-buildtool", "ex-libfmt", "ex-testkit", "ex-tzinfo"]),
                     ("extra", ["ex-hello", "ex-utils", "ex-greeterd"])]
        var logs: [String: String] = [:]
        for (tree, names) in order {
            let target = tree == "current" ? current : extra
            let repositories = tree == "current" ? [current] : [extra, current]
            for name in names {
                let result = try builder.build(TestRoot.examples + "/\(tree)/\(name)", repositories: repositories)
                #expect(result.succeeded, "\(name): \(String(describing: result.failure)) \(result.logTail.joined(separator: "\n"))")
                #expect(result.assumedInstalled.isEmpty, "\(name) \(result.assumedInstalled)")
                guard result.succeeded else { return }
                try ExampleBuilder.publish(result, to: target)
                logs[name] = try String(contentsOfFile: result.logPath, encoding: .utf8)
            }
        }
        // B's makedepends A, built above into the local repo, installed by the real pacman
        #expect(logs["ex-libfmt"]?.contains("installing ex-buildtool") == true, "\(logs["ex-libfmt"] ?? "")")
        #expect(logs["ex-hello"]?.contains("installing ex-testkit") == true)
        #expect(logs["ex-hello"]?.contains("Starting check()") == true)
        // timestamps on every line
        #expect(logs["ex-tinysh"]?.split(separator: "\n").allSatisfy { $0.hasPrefix("[") } == true)

        // the real pacman lists both repositories with every package
        let pacman = try ThrowAwayPacman(scratch: work, repos: [("current", work + "/repos/current"), ("extra", work + "/repos/extra")])
        try pacman.sync()
        let listing = try pacman.list()
        let lines = Set(listing.split(separator: "\n").map(String.init))
        for expected in ["current ex-tzinfo 1:1.0-2", "current ex-libfmt 2.0.1-3", "current ex-libfmt-headers 2.0.1-3", "extra ex-utils 1.4-1", "extra ex-utils-doc 1.4-1",
                         "extra ex-greeterd 1.1.0-1", "current ex-tinysh 0.9.3-1"] {
            #expect(lines.contains(expected), "\(listing)")
        }
        #expect(lines.count == 11)
        #expect(try TestRoot.fingerprint(root.rootfs) == before)
    }
}
