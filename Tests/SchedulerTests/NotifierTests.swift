import Foundation
import Graph
import Sandbox
import Testing
import TestSupport
@testable import Scheduler

/// Notifications (issue 20, docs/notifications.md) from real state changes of a real
/// store, on both backends, to a real loopback webhook receiver (`scripts/webhook-receiver`)
/// and a real command: the payloads, at-least-once delivery across restarts with no
/// duplicate to a receiver that answered 200, retries after a 500, and a hanging
/// receiver that holds up no other.
@Suite(.serialized) struct NotifierTests {
    static let libc = PackageBaseID(repo: "tiny", pkgbase: "tiny-libc")
    static let meta = PackageBaseID(repo: "tiny", pkgbase: "tiny-meta")
    static let zlib = PackageBaseID(repo: "tiny", pkgbase: "tiny-zlib")

    /// A store, a configuration with the repo `tiny` (manual review) and a clock.
    struct Setup {
        let config: ConfigFixture
        let clock = TestClock()
        let url: String
        let store: SQLBackedStore
        let repos: [RepoConfig]

        init(_ backend: StoreBackend) throws {
            config = try ConfigFixture()
            try config.writeRepo("tiny")
            repos = config.load().repos
            url = try backend.freshURL()
            store = try backend.open(url, options: clock.options)
        }

        func notifier(_ settings: NotifySettings, holder: String = "test") -> Notifier {
            var notifier = Notifier(store: store, settings: settings, holder: holder,
                                    buildPage: { "https://builds.example.org/builds/\($0.rawValue)" })
            let clock = self.clock
            notifier.now = { clock.now }
            return notifier
        }

        func actions() -> ReviewActions {
            ReviewActions(store: store, repos: repos, stateDirectory: config.root + "/state", actor: "test:alice")
        }

        /// Queues `package`, claims it as `waka-1` and reports `result`.
        @discardableResult
        func build(_ package: PackageBaseID, _ version: String, _ result: Scheduler.BuildResult) throws -> BuildID {
            let id = try #require(try store.enqueue([PlannedBuild(package, version: version)]).enqueued.first)
            let claimed = try #require(try store.claim(worker: "waka-1", arches: [], tags: []))
            #expect(claimed.id == id)
            _ = try store.report(id, worker: "waka-1", result: result)
            return id
        }

        func remove() { config.remove() }
    }

    static func settings(webhooks: [String] = [], commands: [String] = [], events: Set<StoreEvent.Kind> = Set(StoreEvent.Kind.allCases),
                         timeout: Int = 10) -> NotifySettings {
        var settings = NotifySettings()
        settings.webhooks = webhooks
        settings.commands = commands
        settings.events = events
        settings.timeoutSeconds = timeout
        return settings
    }

    /// A command target: appends its standard input and `PACBUILD_EVENT_ID` as one line
    /// of JSON to `log`.
    static func command(in directory: String) throws -> (path: String, log: String) {
        let path = directory + "/notify-command", log = directory + "/command.log"
        try """
            #!/bin/sh
            body=$(cat)
            printf '{"env": "%s", "payload": %s}\\n' "$PACBUILD_EVENT_ID" "$body" >> '\(log)'
            """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return (path, log)
    }

    static func commandLines(_ log: String) -> [[String: Any]] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func eventsOfRealStateChangesArriveWithTheirPayloads(_ backend: StoreBackend) throws {
        let setup = try Setup(backend)
        defer { setup.remove() }
        let receiver = try WebhookReceiver()
        let command = try Self.command(in: setup.config.root)
        let notifier = setup.notifier(Self.settings(webhooks: [receiver.url], commands: [command.path]))
        // first sight: the cursors start at the newest event, the history is not sent
        _ = try setup.build(PackageBaseID(repo: "tiny", pkgbase: "tiny-old"), "1-1", .failed(.build, reason: "before", log: nil))
        #expect(notifier.deliverPending().allSatisfy { $0.delivered.isEmpty && $0.failure == nil })

        let libc = try setup.build(Self.libc, "2.0-1", .built(log: nil, artifacts: [StoreReviewTests.libc]))
        _ = try setup.actions().accept(libc)
        let hostile = "makepkg: <script>alert(1)</script> \"quoted\" \\ and ünïcode"
        let meta = try setup.build(Self.meta, "1-1", .failed(.build, reason: hostile, log: nil))
        let zlib = try setup.build(Self.zlib, "1:1.3-2", .built(log: nil, artifacts: []))
        _ = try setup.actions().reject(zlib, reason: "wrong license")
        // a lease that runs out: the waka is lost, the build queued again
        let lost = try #require(try setup.store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "tiny-lost"), version: "1-1")]).enqueued.first)
        _ = try setup.store.claim(worker: "waka-2", arches: [], tags: [])
        setup.clock.advance(120)
        #expect(try setup.store.expireLeases() == [lost])

        let rounds = notifier.deliverPending()
        #expect(rounds.count == 2 && rounds.allSatisfy { $0.failure == nil && $0.delivered.count == 6 }, "\(rounds)")
        let expected: [(String, BuildID, String)] = [("review.waiting", libc, "built"), ("build.accepted", libc, "accepted"),
                                                     ("build.failed", meta, "failed"), ("review.waiting", zlib, "built"),
                                                     ("build.rejected", zlib, "rejected"), ("worker.lost", lost, "ready")]
        let posts = receiver.accepted()
        #expect(posts.map { $0.event ?? "" } == expected.map(\.0))
        #expect(posts.map { $0.build["id"] as? Int64 } == expected.map { $0.1.rawValue })
        #expect(posts.map { $0.build["state"] as? String } == expected.map(\.2))
        #expect(posts.allSatisfy { $0.contentType == "application/json" && $0.delivery == "\($0.body["id"] as? Int64 ?? -1)" })
        #expect(Set(posts.compactMap { $0.body["id"] as? Int64 }).count == 6, "each event has its own id")

        let failed = try #require(posts.first { $0.event == "build.failed" })
        #expect(failed.build["repo"] as? String == "tiny" && failed.build["pkgbase"] as? String == "tiny-meta")
        #expect(failed.build["version"] as? String == "1-1" && failed.build["failure"] as? String == "build")
        #expect(failed.build["reason"] as? String == hostile, "the reason arrives as it was, as JSON text")
        #expect(failed.build["url"] as? String == "https://builds.example.org/builds/\(meta.rawValue)")
        #expect(failed.body["worker"] as? String == "waka-1")
        let rejected = try #require(posts.first { $0.event == "build.rejected" })
        #expect(rejected.build["reason"] as? String == "wrong license" && rejected.build["version"] as? String == "1:1.3-2")
        #expect(rejected.build["failure"] == nil)
        let workerLost = try #require(posts.last)
        #expect(workerLost.body["worker"] as? String == "waka-2", "the waka that lost the build")
        #expect(posts[1].build["reason"] == nil && posts[1].build["failure"] == nil, "an accept carries no reason")

        // the command got the same events, the same JSON, and the id in its environment
        let lines = Self.commandLines(command.log)
        #expect(lines.count == 6)
        #expect(lines.compactMap { ($0["payload"] as? [String: Any])?["event"] as? String } == expected.map(\.0))
        #expect(lines.allSatisfy { line in "\((line["payload"] as? [String: Any])?["id"] as? Int ?? -1)" == line["env"] as? String })
        #expect(((lines[2]["payload"] as? [String: Any])?["build"] as? [String: Any])?["reason"] as? String == hostile)

        // a round later, nothing is sent again
        #expect(notifier.deliverPending().allSatisfy { $0.delivered.isEmpty })
        #expect(receiver.requests().count == 6 && Self.commandLines(command.log).count == 6)
    }

    /// A rebuild set published in two steps (the library and a rebuild, then its last
    /// member dropped): one `set.published`, when the set closes, with every member, and
    /// never again.
    @Test(arguments: StoreBackend.allCases)
    func aPublishedSetIsOneEventWithItsMembers(_ backend: StoreBackend) throws {
        let setup = try Setup(backend)
        defer { setup.remove() }
        let receiver = try WebhookReceiver()
        var notifier = setup.notifier(Self.settings(webhooks: [receiver.url], events: [.setPublished]))
        notifier.setPage = { "https://builds.example.org/set/\($0)" }
        _ = notifier.deliverPending()
        let library = try setup.build(Self.libc, "2.0-1", .built(log: nil, artifacts: []))
        let store = setup.store
        let app = PackageBaseID(repo: "extra", pkgbase: "app"), tool = PackageBaseID(repo: "tiny", pkgbase: "tool")
        let (set, _) = try store.enqueueSet([PlannedBuild(app, version: "1.0-2.1", dependencies: [Self.libc]),
                                             PlannedBuild(tool, version: "3-1.1", dependencies: [Self.libc])],
                                            root: library, joining: [], reason: "tiny/tiny-libc 2.0-1 drops libc.so.1-64")
        try store.stage(library)
        let appBuild = set.members[1].build, toolBuild = set.members[2].build
        for _ in 0..<2 {
            let claimed = try #require(try store.claim(worker: "waka-1", arches: [], tags: []))
            _ = try store.report(claimed.id, worker: "waka-1", result: .built(log: nil, artifacts: []))
        }
        try store.publishSetMembers(set.id, [library, appBuild])
        let partial = try #require(notifier.deliverPending().first)
        #expect(partial.delivered.isEmpty && partial.skipped > 0, "a set still open is no event: \(partial)")

        try store.dropSetMember(toolBuild)
        let round = try #require(notifier.deliverPending().first)
        #expect(round.delivered.map(\.kind) == [.setPublished] && round.failure == nil, "\(round)")
        #expect(notifier.deliverPending().first?.delivered.isEmpty == true, "sent once")
        let posts = receiver.accepted()
        #expect(posts.count == 1 && posts.first?.event == "set.published")
        let post = try #require(posts.first)
        #expect(post.build["id"] as? Int64 == library.rawValue && post.build["pkgbase"] as? String == "tiny-libc",
                "the event's build is the set's library")
        #expect(post.build["state"] as? String == "accepted")
        let body = try #require(post.body["set"] as? [String: Any])
        #expect(body["id"] as? Int64 == set.id && body["reason"] as? String == "tiny/tiny-libc 2.0-1 drops libc.so.1-64")
        #expect(body["url"] as? String == "https://builds.example.org/set/\(set.id)")
        #expect(body["repos"] as? [String] == ["extra", "tiny"], "the repos its published members went into")
        let members = try #require(body["members"] as? [[String: Any]])
        #expect(members.map { $0["pkgbase"] as? String } == ["tiny-libc", "app", "tool"])
        #expect(members.map { $0["version"] as? String } == ["2.0-1", "1.0-2.1", "3-1.1"])
        #expect(members.map { $0["repo"] as? String } == ["tiny", "extra", "tiny"])
        #expect(members.map { $0["role"] as? String } == ["library", "rebuild", "rebuild"])
        #expect(members.map { $0["published"] as? Bool } == [true, true, false], "tool was dropped")
        #expect(members.map { $0["id"] as? Int64 } == [library, appBuild, toolBuild].map(\.rawValue))
    }

    @Test(arguments: StoreBackend.allCases)
    func kindsNotAskedForArePassedOver(_ backend: StoreBackend) throws {
        let setup = try Setup(backend)
        defer { setup.remove() }
        let receiver = try WebhookReceiver()
        let notifier = setup.notifier(Self.settings(webhooks: [receiver.url], events: [.buildFailed]))
        _ = notifier.deliverPending()
        _ = try setup.build(Self.libc, "2.0-1", .built(log: nil, artifacts: []))
        _ = try setup.build(Self.meta, "1-1", .failed(.dependencies, reason: "no", log: nil))
        let round = try #require(notifier.deliverPending().first)
        #expect(round.delivered.map(\.kind) == [.buildFailed] && round.skipped == 1)
        #expect(receiver.requests().map(\.event) == ["build.failed"])
        #expect(try setup.store.notifyCursors().map(\.delivered) == [2], "the cursor is past both")
    }

    /// Issue 20's acceptance: stop the notifier, produce events, start it again: every
    /// event arrives, once.
    @Test(arguments: StoreBackend.allCases)
    func aRestartLosesNoneAndSendsNoneTwice(_ backend: StoreBackend) throws {
        let setup = try Setup(backend)
        defer { setup.remove() }
        let receiver = try WebhookReceiver()
        let settings = Self.settings(webhooks: [receiver.url])
        let first = NotifierService(notifier: setup.notifier(settings, holder: "serve-1"), pollInterval: 0.1)
        first.start()
        // a new target starts at the newest event: wait until it is known
        #expect(receiver.wait { _ in (try? setup.store.notifyCursors().count) == 1 })
        _ = try setup.build(Self.libc, "2.0-1", .failed(.build, reason: "one", log: nil))
        #expect(receiver.wait { $0.count == 1 }, "the running notifier delivers")
        first.stop()

        _ = try setup.build(Self.meta, "1-1", .failed(.build, reason: "two", log: nil))
        let zlib = try setup.build(Self.zlib, "1-1", .built(log: nil, artifacts: []))
        _ = try setup.actions().reject(zlib, reason: "three")
        usleep(300_000)
        #expect(receiver.requests().count == 1, "nothing is delivered while it is stopped")

        let second = NotifierService(notifier: setup.notifier(settings, holder: "serve-2"), pollInterval: 0.1)
        second.start()
        #expect(receiver.wait { $0.count == 4 })
        usleep(500_000) // five more polls
        second.stop()
        let posts = receiver.requests()
        #expect(posts.count == 4 && posts.allSatisfy { $0.status == 200 })
        #expect(posts.map(\.event) == ["build.failed", "build.failed", "review.waiting", "build.rejected"])
        #expect(Set(posts.compactMap(\.delivery)).count == 4, "each event exactly once")
        #expect(try setup.store.notifyCursors().first?.holder == nil, "a stopped notifier gives its hold back")
    }

    @Test(arguments: StoreBackend.allCases)
    func aReceiverAnswering500GetsTheEventAgainLater(_ backend: StoreBackend) throws {
        let setup = try Setup(backend)
        defer { setup.remove() }
        let receiver = try WebhookReceiver()
        let reports = LockedList<Notifier.Round>()
        let service = NotifierService(notifier: setup.notifier(Self.settings(webhooks: [receiver.url])), pollInterval: 0.1,
                                      backoff: .init(first: 0.2, limit: 0.4)) { reports.append($0) }
        service.start()
        defer { service.stop() }
        #expect(receiver.wait { _ in (try? setup.store.notifyCursors().count) == 1 }, "the target is known")
        try receiver.answer(500)
        _ = try setup.build(Self.meta, "1-1", .failed(.build, reason: "broken", log: nil))
        #expect(receiver.wait { $0.count >= 3 }, "tried again and again")
        #expect(receiver.requests().allSatisfy { $0.status == 500 && $0.event == "build.failed" })
        #expect(reports.items.contains { $0.failure?.contains("answered HTTP 500") == true })
        #expect(try setup.store.notifyCursors().first?.delivered == 0, "the cursor did not move")
        try receiver.answer(200)
        #expect(receiver.wait { $0.contains { $0.status == 200 } })
        usleep(500_000)
        let posts = receiver.requests()
        #expect(posts.filter { $0.status == 200 }.count == 1, "taken once, then never again")
        #expect(Set(posts.compactMap(\.delivery)).count == 1, "always the same event")
        #expect(try setup.store.notifyCursors().first?.delivered == 1)
    }

    @Test(arguments: StoreBackend.allCases)
    func aHangingReceiverHoldsUpNoOther(_ backend: StoreBackend) throws {
        let setup = try Setup(backend)
        defer { setup.remove() }
        let hanging = try WebhookReceiver(), healthy = try WebhookReceiver()
        try hanging.answer(nil)
        let command = try Self.command(in: setup.config.root)
        let notifier = setup.notifier(Self.settings(webhooks: [hanging.url, healthy.url], commands: [command.path], timeout: 4))
        _ = notifier.deliverPending()

        // a running notifier: the healthy targets get each event while the other hangs
        let service = NotifierService(notifier: notifier, pollInterval: 0.1, backoff: .init(first: 0.2, limit: 0.2))
        service.start()
        let start = Date()
        _ = try setup.build(Self.meta, "1-1", .failed(.build, reason: "one", log: nil))
        #expect(healthy.wait(seconds: 3) { $0.count == 1 })
        #expect(Date().timeIntervalSince(start) < 3, "well within the other's 4 s timeout")
        #expect(hanging.wait(seconds: 3) { $0.count == 1 }, "the hanging one got it too, and answers nothing")
        _ = try setup.build(Self.zlib, "1-1", .failed(.build, reason: "two", log: nil))
        #expect(healthy.wait(seconds: 3) { $0.count == 2 }, "the next event too, while the first still hangs")
        // the command target runs its own process per event: give it the same 3 s
        let deadline = Date().addingTimeInterval(3)
        while Self.commandLines(command.log).count < 2, Date() < deadline { usleep(50_000) }
        #expect(Self.commandLines(command.log).count == 2)
        service.stop()
        #expect(Date().timeIntervalSince(start) < 12, "stopping waits for the hanging delivery's timeout at most")
        #expect(hanging.requests().allSatisfy { $0.status == nil })

        // --once: each target on its own thread; the hanging one fails by its timeout
        _ = try setup.build(Self.libc, "1-1", .failed(.build, reason: "three", log: nil))
        let onceStart = Date()
        let rounds = notifier.deliverPending()
        let elapsed = Date().timeIntervalSince(onceStart)
        #expect(elapsed < 10, "bounded by the timeout (4 s and 2 for the kill), not by the events")
        let hangingRound = try #require(rounds.first { $0.target == .webhook(hanging.url) })
        #expect(hangingRound.failure?.contains("curl exited 28") == true || hangingRound.failure?.contains("took longer") == true,
                "\(hangingRound.failure ?? "no failure")")
        #expect(hangingRound.delivered.isEmpty)
        #expect(rounds.first { $0.target == .webhook(healthy.url) }?.delivered.count == 1)
        #expect(healthy.requests().count == 3 && Self.commandLines(command.log).count == 3)
        let cursors = Dictionary(uniqueKeysWithValues: try setup.store.notifyCursors().map { ($0.target, $0.delivered) })
        #expect(cursors[NotifyTarget.webhook(hanging.url).key] == 0, "the hanging target keeps all three pending")
        #expect(cursors[NotifyTarget.webhook(healthy.url).key] == 3)
    }

    /// A command that hangs, and leaves a child behind holding its output: stopped with
    /// its whole process group after the timeout, the event kept.
    @Test func aHangingCommandIsStoppedWithItsChildren() throws {
        let setup = try Setup(.sqlite)
        defer { setup.remove() }
        let path = setup.config.root + "/hang", pids = setup.config.root + "/pids"
        try "#!/bin/sh\nsleep 300 &\necho $! > '\(pids)'\nexec sleep 300\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        let notifier = setup.notifier(Self.settings(commands: [path], timeout: 2))
        _ = notifier.deliverPending()
        _ = try setup.build(Self.meta, "1-1", .failed(.build, reason: "x", log: nil))
        let start = Date()
        let round = try #require(notifier.deliverPending().first)
        #expect(Date().timeIntervalSince(start) < 8, "2 s, and 2 more for the kill")
        #expect(round.failure?.contains("took longer than 2 s") == true, "\(round.failure ?? "none")")
        #expect(try round.delivered.isEmpty && setup.store.notifyCursors().first?.delivered == 0)
        let child = try #require(Int32(try String(contentsOfFile: pids, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        var gone = false
        for _ in 0..<40 where !gone {
            gone = kill(child, 0) != 0
            if !gone { usleep(100_000) }
        }
        #expect(gone, "the child it left is killed with its group")
    }

    @Test(arguments: StoreBackend.allCases)
    func aTargetHeldByAnotherNotifierIsLeftAlone(_ backend: StoreBackend) throws {
        let setup = try Setup(backend)
        defer { setup.remove() }
        let receiver = try WebhookReceiver()
        let settings = Self.settings(webhooks: [receiver.url])
        let serve = setup.notifier(settings, holder: "serve@a:1"), cron = setup.notifier(settings, holder: "notify@b:2")
        #expect(serve.round(.webhook(receiver.url)).failure == nil)
        _ = try setup.build(Self.meta, "1-1", .failed(.build, reason: "x", log: nil))
        let refused = cron.round(.webhook(receiver.url))
        #expect(refused.heldBy == "serve@a:1" && refused.delivered.isEmpty && receiver.requests().isEmpty)
        serve.release(.webhook(receiver.url))
        #expect(cron.round(.webhook(receiver.url)).delivered.count == 1)
        // a hold that ran out is taken over
        setup.clock.advance(3600)
        #expect(serve.round(.webhook(receiver.url)).heldBy == nil)
        #expect(receiver.requests().count == 1)
    }

    /// Old events go, but never the newest: the numbering goes on above every cursor.
    @Test(arguments: StoreBackend.allCases)
    func oldEventsArePrunedAndNumberingGoesOn(_ backend: StoreBackend) throws {
        let setup = try Setup(backend)
        defer { setup.remove() }
        let receiver = try WebhookReceiver()
        var notifier = setup.notifier(Self.settings(webhooks: [receiver.url]))
        notifier.retention = 3600
        _ = notifier.deliverPending()
        _ = try setup.build(Self.libc, "1-1", .failed(.build, reason: "one", log: nil))
        _ = try setup.build(Self.meta, "1-1", .failed(.build, reason: "two", log: nil))
        #expect(notifier.deliverPending().first?.delivered.count == 2)
        setup.clock.advance(7200)
        #expect(notifier.prune() == nil)
        #expect(try setup.store.events(after: 0, limit: 10).map(\.sequence) == [2], "the newest stays")
        _ = try setup.build(Self.zlib, "1-1", .failed(.build, reason: "three", log: nil))
        let round = try #require(notifier.deliverPending().first)
        #expect(round.delivered.map(\.sequence) == [3] && round.delivered.first?.reason == "three")
        #expect(receiver.accepted().compactMap { $0.build["reason"] as? String } == ["one", "two", "three"])
    }

    /// PostgreSQL gives ids at insert and commits in any order: an event whose
    /// transaction commits after a later one's must still be delivered.
    @Test func anEventCommittedAfterALaterOneIsNotSkipped() throws {
        let setup = try Setup(.postgres)
        defer { setup.remove() }
        let receiver = try WebhookReceiver()
        let notifier = setup.notifier(Self.settings(webhooks: [receiver.url]))
        _ = notifier.deliverPending()
        let ids = try setup.store.enqueue([PlannedBuild(Self.libc, version: "1-1"), PlannedBuild(Self.meta, version: "1-1")]).enqueued
        let url = setup.url
        let slow = try PostgresConnection(url: url, name: "slow"), fast = try PostgresConnection(url: url, name: "fast")
        try slow.query("BEGIN")
        try slow.query("UPDATE builds SET state = 'failed', failure_class = 'build', reason = 'slow' WHERE id = $1", .int(ids[0].rawValue))
        try fast.query("UPDATE builds SET state = 'failed', failure_class = 'build', reason = 'fast' WHERE id = $1", .int(ids[1].rawValue))
        #expect(notifier.deliverPending().first?.delivered.map(\.reason) == ["fast"])
        try slow.query("COMMIT")
        #expect(notifier.deliverPending().first?.delivered.map(\.reason) == ["slow"], "numbered after, delivered after")
        let posts = receiver.requests()
        #expect(posts.map { $0.build["reason"] as? String } == ["fast", "slow"])
        let deliveries = posts.compactMap { Int64($0.delivery ?? "") }
        #expect(deliveries.count == 2 && deliveries[0] > deliveries[1], "the slow event has the lower id, and came second")
    }

    /// A worker role writes no table, but its reports leave events (the trigger runs
    /// as the store's owner).
    @Test func aWorkerRolesReportsLeaveEvents() throws {
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        let id = try #require(try owner.enqueue([PlannedBuild(Self.meta, version: "1-1")]).enqueued.first)
        let role = StoreWorkerRoleTests.newRole()
        try owner.grantWorker(role: role)
        let worker = try PostgresStore(url: try StoreWorkerRoleTests.url(url, as: role))
        try worker.register(StoreWorkerRoleTests.worker("remote-1"))
        _ = try #require(try worker.claim(worker: "remote-1", arches: ["x86_64"], tags: []))
        _ = try worker.report(id, worker: "remote-1", result: .failed(.build, reason: "remote failure", log: nil))
        let events = try owner.events(after: 0, limit: 10)
        #expect(events.map(\.kind) == [.buildFailed])
        #expect(events.first?.worker == "remote-1" && events.first?.reason == "remote failure" && events.first?.failure == .build)
        #expect(throws: (any Error).self, "a worker role cannot forge events") {
            try worker.autocommit { db in
                try db.query("INSERT INTO events (at, kind, build_id, repo, pkgbase, version, arch, pass, state) "
                             + "VALUES (0, 'build.failed', 1, 'x', 'x', '1', 'any', 1, 'failed')")
            }
        }
    }
}

/// A list appended to from several threads.
final class LockedList<Element: Sendable>: @unchecked Sendable {
    // @unchecked: `storage` is only touched under `lock`.
    private let lock = NSLock()
    private var storage: [Element] = []
    func append(_ item: Element) { lock.withLock { storage.append(item) } }
    var items: [Element] { lock.withLock { storage } }
}
