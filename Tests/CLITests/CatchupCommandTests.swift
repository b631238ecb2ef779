import Foundation
import Testing

/// `pacbuild catchup`, `status`, `why`, `cancel` and `retry` on the shipped example with a
/// fresh SQLite store in a temp state directory.
struct CatchupCommandTests {
    @Test func catchupQueuesOnceAndStatusShowsIt() throws {
        let dir = try PlanCommandTests.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ["--config", dir, "--store", "sqlite:\(dir)/store.sqlite"]
        let dry = try PacbuildBinary.run(["catchup", "--dry-run"] + store)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasSuffix("dry run: 9 to queue, 0 already queued, 9 planned\n"))
        let first = try PacbuildBinary.run(["catchup"] + store)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("queued #2 current/ex-libbase 1.2.0-1 (ready)\n"))
        #expect(first.stdout.hasSuffix("9 queued, 0 superseded, 0 already queued, 0 rejected versions skipped\n"))
        let second = try PacbuildBinary.run(["catchup"] + store)
        #expect(second.stdout == "nothing changed: 9 planned builds already queued\n")

        let status = try PacbuildBinary.run(["status"] + store)
        #expect(status.stdout.hasPrefix("current: 3 ready, 3 waiting\nextra: 3 waiting\n"))
        let json = try PacbuildBinary.run(["status", "--json"] + store)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["ready"] as? [Any])?.count == 3)

        let cancel = try PacbuildBinary.run(["cancel"] + store + ["ex-utils", "nosuch"])
        #expect(cancel.status == 1)
        #expect(cancel.stdout == "#9 extra/ex-utils 1.4-1: cancelled\n")
        #expect(cancel.stderr.contains("nosuch: no build of 'nosuch' in the store"))
        let why = try PacbuildBinary.run(["why"] + store + ["ex-utils"])
        #expect(why.stdout.contains("  store: #9 1.4-1 cancelled\n"))
        let retry = try PacbuildBinary.run(["retry"] + store + ["#9"])
        #expect(retry.stdout == "#9 extra/ex-utils 1.4-1: waiting\n")
    }
}
