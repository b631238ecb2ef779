import Foundation
import Scheduler
import TestSupport
import Testing

/// A waka without a configuration directory gets its tags, arches, lease and heartbeat
/// from the command line: with `--tag big` it claims the builds of a repo that requires
/// `big`, without it it claims none of them.
struct WakaOptionsTests {
    /// Polls `condition` every 100 ms for up to `seconds`.
    static func eventually(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    @Test func aConfigLessWakaClaimsTaggedBuildsOnlyWithTheTag() throws {
        let dir = try PlanCommandTests.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let repo = dir + "/repos.d/current-i586.toml"
        let text = try String(contentsOfFile: repo, encoding: .utf8)
        try text.replacingOccurrences(of: "depends_on = []", with: "depends_on = []\ntags = [\"big\"]")
            .write(toFile: repo, atomically: true, encoding: .utf8)
        let url = "sqlite:\(dir)/store.sqlite"
        let catchup = try PacbuildBinary.run(["catchup", "--config", dir, "--store", url])
        #expect(catchup.status == 0, "\(catchup.stderr)")
        // A root that opens (its stamp is there) but cannot build: a claimed build fails fast.
        try FileManager.default.createDirectory(atPath: dir + "/fakeroot/root", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/fakeroot/stamp.json", contents: Data("{}".utf8))
        let store = try Store.open(url: url)
        let current = try store.builds(state: .ready, repo: "current", limit: nil)
        #expect(current.count == 3 && current.allSatisfy { $0.requiredTags == ["big"] })

        let waka = { (name: String, extra: [String]) in
            try Subprocess([PacbuildBinary.path, "waka", "--store", url, "--root", dir + "/fakeroot", "--state", dir + "/state-" + name,
                            "--name", name, "--jobs", "1", "--grace", "0"] + extra, outputPath: dir + "/\(name).out")
        }
        let untagged = try waka("untagged", ["--arch", "i586"])
        let started = try Self.eventually(60) { untagged.output.contains("waka untagged on") }
        // Its slot claims at once after the start line, then every second: two tries.
        Thread.sleep(forTimeInterval: 2)
        untagged.kill(SIGTERM)
        #expect(untagged.wait() == 0, "\(untagged.output)")
        #expect(started && !untagged.output.contains("building "), "\(untagged.output)")
        #expect(try store.builds(state: .ready, repo: "current", limit: nil).map(\.id) == current.map(\.id))

        let tagged = try waka("tagged", ["--tag", "big", "--lease-seconds", "40", "--heartbeat-seconds", "2"])
        let claimed = try Self.eventually(60) { tagged.output.contains("building #") }
        tagged.kill(SIGTERM)
        #expect(tagged.wait() == 0, "\(tagged.output)")
        #expect(claimed && tagged.output.contains("current/ex-"), "\(tagged.output)")
        let workers = Dictionary(uniqueKeysWithValues: try store.workers().map { ($0.name, $0) })
        #expect(workers["tagged"]?.tags == ["big"] && workers["tagged"]?.arches == ["i586"])
        #expect(workers["untagged"]?.tags == [] && workers["untagged"]?.arches == ["i586"])

        let wrong = try PacbuildBinary.run(["waka", "--store", url, "--root", dir + "/fakeroot", "--lease-seconds", "20",
                                            "--heartbeat-seconds", "20"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("the heartbeat (20 s) must be shorter than the lease (20 s)"), "\(wrong.stderr)")
        let badTag = try PacbuildBinary.run(["waka", "--store", url, "--root", dir + "/fakeroot", "--tag", "a,b"])
        #expect(badTag.status == 64 && badTag.stderr.contains("--tag 'a,b'"), "\(badTag.stderr)")
    }
}
