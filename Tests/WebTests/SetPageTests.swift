import Foundation
import Hummingbird
import HummingbirdTesting
import Scheduler
import Testing
import TestSupport
@testable import Web

/// Rebuild sets in the web face (issue 20 with issue 19's sets): the queue page lists
/// held sets with what holds them, `/set/N` shows one, `/api/v1/sets` and `/api/v1/set/N`
/// give what `pacbuild set ls|show --json` print, and a maintainer publishes (the closed
/// part while a member is not built) and drops members from the page (session and CSRF)
/// and the API (token), through the same calls as `pacbuild set publish|drop`, each in
/// the audit log; a viewer gets no forms and is refused.
@Suite struct SetPageTests {
    static let (watchToken, watchDigest) = Passwords.newToken()

    static func fixture() throws -> SetFixture {
        try SetFixture(web: """
            [web]
            public = true
            users = ["alice:maintainer:\(Passwords.hash(AuthTests.alicePassword))", "bob:viewer:\(Passwords.hash(AuthTests.bobPassword))"]
            tokens = ["ci:maintainer:\(AuthTests.ciDigest)", "watch:viewer:\(watchDigest)"]

            """)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// The repo database's entries (`NAME-VERSION/`), as bsdtar lists them.
    static func databaseEntries(_ fixture: SetFixture) throws -> Set<String> {
        let db = fixture.web.root + "/repo/core.db.tar.gz"
        guard FileManager.default.fileExists(atPath: db) else { return [] }
        let list = try ProcessRunner.run("/usr/bin/bsdtar", ["-tf", db])
        return Set(list.stdout.split(separator: "\n").filter { $0.hasSuffix("/") }.map { String($0.dropLast()) })
    }

    @Test func theAPIGivesWhatTheCLIPrints() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let pairs: [(String, [String])] = [("/api/v1/sets", ["set", "ls", "--json"]), ("/api/v1/sets?all=1", ["set", "ls", "--all", "--json"]),
                                           ("/api/v1/set/\(fixture.set)", ["set", "show", "--json", String(fixture.set)])]
        let fetched = try await fixture.web.site().get(pairs.map(\.0))
        for ((path, arguments), response) in zip(pairs, fetched) {
            let cli = try fixture.web.pacbuild(arguments)
            #expect(cli.status == 0, "\(arguments): \(cli.stderr)")
            #expect(response.status == .ok && response.contentType == "application/json; charset=utf-8", "\(path): \(response.body)")
            #expect(response.body == cli.stdout, "\(path) differs from pacbuild \(arguments.joined(separator: " "))")
        }
        let set = try Self.json(fetched[2].body)
        #expect(set["reason"] as? String == SetFixture.reason && set["state"] as? String == "open")
        let holds = try #require(set["holds"] as? [[String: Any]])
        #expect(holds.map { $0["build"] as? Int } == [Int(fixture.tool.rawValue)] && (holds.first?["reason"] as? String)?.contains("not built yet") == true)
        #expect(try await fixture.web.site().get("/api/v1/set/99").status == .notFound)
        #expect(try await fixture.web.site().get("/api/v1/set/x").status == .badRequest)
    }

    @Test func aMaintainersTokenPublishesTheClosedPartAndDropsTheRest() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let site = try fixture.web.site(), set = fixture.set, store = fixture.web.store
        let (library, use, tool) = (fixture.library, fixture.use, fixture.tool)
        try await AuthTests.client(site) { client in
            let ci: HTTPFields = [.authorization: "Bearer \(AuthTests.ciToken)", .contentType: "application/json"]
            let watch: HTTPFields = [.authorization: "Bearer \(Self.watchToken)", .contentType: "application/json"]
            let publish = "/api/v1/set/\(set)/publish", drop = "/api/v1/set/\(set)/drop"
            #expect(try await AuthTests.send(client, .post, publish).status == .unauthorized)
            #expect(try await AuthTests.send(client, .post, publish, headers: watch).status == .forbidden, "a viewer's token")
            #expect(try await AuthTests.send(client, .post, "/api/v1/set/\(set)/merge", headers: ci).status == .notFound)
            #expect(try await AuthTests.send(client, .post, "/api/v1/set/99/publish", headers: ci).status == .notFound)

            // the whole set is held by ex-tool, not built yet: refused, naming it, and audited
            let whole = try await AuthTests.send(client, .post, publish, headers: ci)
            #expect(whole.status == .conflict && whole.body.contains("ex-tool") && whole.body.contains("not built yet"), "\(whole.body)")
            #expect(try store.auditEntries(of: library, limit: nil).contains { $0.action == "set-publish" && $0.detail.contains("refused") })
            #expect(try Self.databaseEntries(fixture).isEmpty)

            // the closed part: ex-lib and ex-use, into the repo database for real
            let closed = try await Self.send(client, publish, ["closed": true], headers: ci)
            #expect(closed.status == .ok, "\(closed.body)")
            let answer = try Self.json(closed.body)
            #expect(answer["action"] as? String == "publish-closed")
            #expect(answer["published"] as? [Int] == [library, use].map { Int($0.rawValue) })
            #expect((answer["leftOut"] as? [String])?.first?.contains("ex-tool") == true)
            #expect((answer["set"] as? [String: Any])?["state"] as? String == "open")
            #expect(try store.build(library).state == .accepted && store.build(use).state == .accepted)
            #expect(try Self.databaseEntries(fixture) == ["ex-lib-1.0-1", "ex-use-1-1.1"])
            #expect(try store.auditEntries(of: use, limit: nil).map(\.action) == ["set-publish"])
            #expect(try store.auditEntries(of: use, limit: nil).first?.actor == "token:ci")

            // drop: a body without a member is refused; then ex-tool leaves and the set closes
            #expect(try await Self.send(client, drop, [:], headers: ci).status == .badRequest)
            #expect(try await Self.send(client, drop, ["build": use.rawValue], headers: ci).status == .conflict, "published already")
            let dropped = try await Self.send(client, drop, ["build": tool.rawValue], headers: ci)
            #expect(dropped.status == .ok, "\(dropped.body)")
            #expect((try Self.json(dropped.body)["set"] as? [String: Any])?["state"] as? String == "published")
            #expect(try store.rebuildSet(set).state == .published && store.build(tool).state == .ready, "a dropped build stays as it was")
            let audit = try store.auditEntries(of: tool, limit: nil)
            #expect(audit.map(\.action) == ["set-drop"] && audit.first?.actor == "token:ci" && audit.first?.detail == "set \(set)")
            #expect(try await Self.send(client, publish, [:], headers: ci).status == .conflict, "published already")
        }
        let page = try await site.get("/set/\(set)")
        #expect(page.body.contains("Set \(set) (published)") && page.body.contains("set-drop") && page.body.contains("token:ci"))
        #expect(!page.body.contains("<form"))
    }

    @Test func theQueueAndSetPagesShowTheSetAndOnlyAMaintainerHasForms() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let site = try fixture.web.site(), set = fixture.set, store = fixture.web.store
        let (library, use, tool) = (fixture.library, fixture.use, fixture.tool)
        let queue = try await site.get("/queue")
        #expect(queue.body.contains("Held sets (1)") && queue.body.contains("href=\"/set/\(set)\""))
        #expect(queue.body.contains("&lt;b&gt;bold&lt;/b&gt;") && !queue.body.contains("<b>bold"), "the reason is escaped")
        let held = try #require(queue.body.between("id=\"set-\(set)\"", "</div>"))
        #expect(held.occurrences(of: "class=\"member\"") == 3 && held.contains("not built yet (ready)") && held.contains("held, approved"))
        #expect(!held.contains("<form"), "the queue lists, the set page acts")
        let member = try await site.get("/builds/\(tool.rawValue)")
        #expect(member.body.contains("<a href=\"/set/\(set)\" id=\"set\">set \(set), held</a>"), "a member's page links to its set")

        try await AuthTests.client(site) { client in
            let path = "/set/\(set)"
            let anonymous = try await AuthTests.send(client, .get, path)
            #expect(anonymous.status == .ok && !anonymous.body.contains("<form") && anonymous.body.contains("ex-tool"))
            let bob = try await AuthTests.signIn(client, "bob", AuthTests.bobPassword)
            let bobsPage = try await AuthTests.send(client, .get, path, cookie: bob)
            #expect(!bobsPage.body.contains("<form method=\"post\" action=\"/set/"), "a viewer gets no forms")
            let alice = try await AuthTests.signIn(client, "alice", AuthTests.alicePassword)
            let page = try await AuthTests.send(client, .get, path, cookie: alice)
            #expect(page.body.occurrences(of: "class=\"drop\"") == 3)
            #expect(page.body.contains("id=\"publish-closed\"") && !page.body.contains("id=\"publish\""), "held: only the closed part")
            let csrf = try #require(page.body.between("name=\"csrf\" value=\"", "\""))
            let bobsCSRF = bobsPage.body.between("name=\"csrf\" value=\"", "\"") ?? csrf
            #expect(try await AuthTests.send(client, .post, path + "/drop", cookie: bob, form: ["csrf": bobsCSRF, "build": String(tool.rawValue)]).status == .forbidden)
            #expect(try await AuthTests.send(client, .post, path + "/drop", cookie: alice, form: ["build": String(tool.rawValue)]).status == .forbidden,
                    "no CSRF token")
            #expect(try store.rebuildSet(set).live.count == 3)

            // dropping ex-tool leaves ex-lib and ex-use, built and approved: published at once
            let drop = try await AuthTests.send(client, .post, path + "/drop", cookie: alice, form: ["csrf": csrf, "build": "#\(tool.rawValue)"])
            #expect(drop.status == .seeOther && drop.location == path, "\(drop.body)")
            #expect(try store.rebuildSet(set).state == .published)
            #expect(try store.build(library).state == .accepted && store.build(use).state == .accepted)
            #expect(try Self.databaseEntries(fixture) == ["ex-lib-1.0-1", "ex-use-1-1.1"])
            let after = try await AuthTests.send(client, .get, path, cookie: alice)
            #expect(after.body.contains("(published)") && !after.body.contains("class=\"drop\""))
            let audit = try #require(after.body.between("id=\"audit\"", "</table>"))
            #expect(audit.occurrences(of: "web:alice") == 3 && audit.contains("set-drop") && audit.occurrences(of: "set-publish") == 2)
            let refused = try await AuthTests.send(client, .post, path + "/publish", cookie: alice, form: ["csrf": csrf])
            #expect(refused.status == .conflict && refused.body.contains("published already") && refused.body.contains("back to the set"))
        }
    }

    /// A JSON POST.
    static func send(_ client: any TestClientProtocol, _ uri: String, _ body: [String: Any], headers: HTTPFields) async throws -> AuthTests.Answer {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: data)) { response in
            AuthTests.Answer(status: response.status, body: String(buffer: response.body), location: response.headers[.location],
                             setCookie: response.headers[.setCookie])
        }
    }
}
