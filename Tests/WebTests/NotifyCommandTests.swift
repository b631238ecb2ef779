import Foundation
import Scheduler
import Testing
import TestSupport

/// The built binary delivering notifications to a real loopback receiver:
/// `pacbuild serve` while it runs, then `pacbuild notify --once` for what happened while
/// it was stopped (each event once across the two), and its exit status when a target fails.
@Suite struct NotifyCommandTests {
    @Test func serveDeliversAndNotifyOnceDeliversTheRest() async throws {
        let receiver = try WebhookReceiver()
        var fixture = try WebFixture(web: """
            [notify]
            webhooks = ["\(receiver.url)"]
            events = ["build.failed", "build.rejected"]
            timeout_seconds = 5
            [web]
            base_url = "https://builds.example.org/"
            """)
        defer { fixture.remove() }
        try fixture.populate()
        let (process, err, _) = try ServeCommandTests.serve(fixture)
        defer { if process.isRunning { process.terminate() } }

        // serve: once it knows the target, a failure reaches the receiver
        #expect(receiver.wait { _ in (try? fixture.store.notifyCursors().count) == 1 }, "serve takes up the target")
        let run = try #require(fixture.ids["ex-run"])
        _ = try fixture.store.report(run, worker: "waka-1", result: .failed(.timeout, reason: "took too long", log: nil))
        #expect(receiver.wait { $0.count == 1 })
        let first = try #require(receiver.requests().first)
        #expect(first.event == "build.failed" && first.build["id"] as? Int64 == run.rawValue)
        #expect(first.build["failure"] as? String == "timeout" && first.build["pkgbase"] as? String == "ex-run")
        #expect(first.build["url"] as? String == "https://builds.example.org/builds/\(run.rawValue)")
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(said.contains("delivering notifications to 1 target(s)") && said.contains("1 delivered"), "\(said)")

        // stopped: a rejection waits in the store for notify --once
        let lib = try #require(fixture.ids["ex-lib"])
        try fixture.store.reject(lib, reason: "bad <b>license</b>")
        let once = try fixture.pacbuild(["notify", "--once"])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout == "webhook:\(receiver.url): 1 delivered\n")
        #expect(receiver.requests().map(\.event) == ["build.failed", "build.rejected"], "each once")
        #expect(receiver.requests().last?.build["reason"] as? String == "bad <b>license</b>")
        let again = try fixture.pacbuild(["notify", "--once"])
        #expect(again.status == 0 && again.stdout == "webhook:\(receiver.url): 0 delivered\n")

        // a failing target: exit 1, the event kept for the next run
        try receiver.answer(500)
        let ready = try #require(try fixture.store.claim(worker: "waka-1", arches: ["x86_64"], tags: ["big"]))
        _ = try fixture.store.report(ready.id, worker: "waka-1", result: .failed(.build, reason: "no", log: nil))
        let failing = try fixture.pacbuild(["notify", "--once"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("0 delivered, failed, to be tried again: event ") && failing.stdout.contains("answered HTTP 500"),
                "\(failing.stdout)")
        try receiver.answer(200)
        #expect(try fixture.pacbuild(["notify", "--once"]).stdout == "webhook:\(receiver.url): 1 delivered\n")
        #expect(receiver.accepted().map { $0.build["id"] as? Int64 } == [run.rawValue, lib.rawValue, ready.id.rawValue])
    }

    @Test func nothingToDoWithoutTargets() throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let result = try fixture.pacbuild(["notify", "--once"])
        #expect(result.status == 0 && result.stdout.isEmpty)
        #expect(result.stderr.contains("[notify] names no webhooks or commands"))
    }
}
