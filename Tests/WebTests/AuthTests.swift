import Foundation
import Hummingbird
import HummingbirdTesting
import Scheduler
import Testing
import TestSupport
@testable import Web

/// Accounts, sessions, CSRF, roles and API tokens (`[web]`), and review from the browser:
/// a maintainer's form or token changes the store through ReviewActions, and the audit
/// log on the build page says who did what.
@Suite struct AuthTests {
    /// One response, with what a browser keeps of it.
    struct Answer {
        var status: HTTPResponse.Status
        var body: String
        var location: String?
        var setCookie: String?
    }

    static let alicePassword = "correct horse battery"
    static let bobPassword = "tr0ub4dor&3 staple"
    static let (ciToken, ciDigest) = Passwords.newToken()

    /// A fixture with alice (maintainer), bob (viewer) and the token ci (maintainer); pages private.
    static func fixture() throws -> WebFixture {
        var fixture = try WebFixture(web: """
            [web]
            public = false
            users = ["alice:maintainer:\(Passwords.hash(alicePassword))", "bob:viewer:\(Passwords.hash(bobPassword))"]
            tokens = ["ci:maintainer:\(ciDigest)"]

            """)
        try fixture.populate()
        return fixture
    }

    /// Runs `body` with a client of the site's router.
    static func client<T: Sendable>(_ site: WebSite, _ body: @Sendable @escaping (any TestClientProtocol) async throws -> T) async throws -> T {
        try await Application(router: site.router()).test(.router, body)
    }

    static func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, cookie: String? = nil,
                     form: [String: String]? = nil, headers: HTTPFields = [:]) async throws -> Answer {
        var headers = headers
        if let cookie { headers[.cookie] = cookie }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            let text = form.sorted { $0.key < $1.key }.map { key, value in
                key + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)
            }.joined(separator: "&")
            body = ByteBuffer(string: text)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Answer(status: response.status, body: String(buffer: response.body), location: response.headers[.location],
                   setCookie: response.headers[.setCookie])
        }
    }

    /// Signs in; returns the `Cookie` header value.
    static func signIn(_ client: any TestClientProtocol, _ name: String, _ password: String) async throws -> String {
        let answer = try await send(client, .post, "/login", form: ["name": name, "password": password])
        #expect(answer.status == .seeOther && answer.location == "/", "\(answer.status) \(answer.body)")
        let setCookie = try #require(answer.setCookie)
        return String(setCookie.split(separator: ";")[0])
    }

    /// The navigation of every page: "sign in" for nobody; the name and a sign-out form
    /// (a POST with the session's CSRF token) for a session; the name alone for a token.
    @Test func theNavigationSaysWhoIsSignedInAndSignsOut() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let site = try fixture.site()
        let pages = ["/", "/queue", "/builds/\(fixture.ids["ex-lib"]!.rawValue)", "/packages/core/ex-lib", "/login"]
        try await Self.client(site) { client in
            let anonymous = try await Self.send(client, .get, "/login")
            #expect(Self.nav(anonymous.body).contains("id=\"sign-in\"") && !Self.nav(anonymous.body).contains("sign out"))
            let alice = try await Self.signIn(client, "alice", Self.alicePassword)
            var csrf = ""
            for path in pages {
                let page = try await Self.send(client, .get, path, cookie: alice)
                let nav = Self.nav(page.body)
                #expect(page.status == .ok, "\(path)")
                #expect(nav.contains("<span id=\"signed-in\">alice (maintainer)</span>") && !nav.contains("id=\"sign-in\""), "\(path): \(nav)")
                #expect(nav.contains("<form method=\"post\" action=\"/logout\" id=\"sign-out\">"), "\(path): \(nav)")
                csrf = try #require(nav.between("name=\"csrf\" value=\"", "\""))
            }
            #expect(csrf.count == 64)
            let bearer: HTTPFields = [.authorization: "Bearer \(Self.ciToken)"]
            let tokenNav = Self.nav(try await Self.send(client, .get, "/queue", headers: bearer).body)
            #expect(tokenNav.contains("ci (maintainer)") && !tokenNav.contains("sign-out"), "a token has no session to end: \(tokenNav)")
            #expect(try await Self.send(client, .post, "/logout", cookie: alice, form: ["csrf": "x"]).status == .forbidden)
            let out = try await Self.send(client, .post, "/logout", cookie: alice, form: ["csrf": csrf])
            #expect(out.status == .seeOther)
            let after = try await Self.send(client, .get, "/login", cookie: alice)
            #expect(Self.nav(after.body).contains("id=\"sign-in\"") && !Self.nav(after.body).contains("alice"), "the session is gone")
        }
    }

    static func nav(_ page: String) -> String { page.between("<nav>", "</nav>") ?? "" }

    @Test func privatePagesNeedAnAccountAndTheAPIAToken() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let site = try fixture.site()
        try await Self.client(site) { client in
            let page = try await Self.send(client, .get, "/")
            #expect(page.status == .seeOther && page.location == "/login")
            #expect(try await Self.send(client, .get, "/api/v1/status").status == .unauthorized)
            #expect(try await Self.send(client, .get, "/metrics").status == .unauthorized)
            #expect(try await Self.send(client, .get, "/login").status == .ok)
            let bearer: HTTPFields = [.authorization: "Bearer \(Self.ciToken)"]
            #expect(try await Self.send(client, .get, "/api/v1/status", headers: bearer).status == .ok)
            #expect(try await Self.send(client, .get, "/api/v1/status", headers: [.authorization: "Bearer \(String(Self.ciToken.reversed()))"]).status == .unauthorized)

            let wrong = try await Self.send(client, .post, "/login", form: ["name": "alice", "password": "not it"])
            #expect(wrong.status == .unauthorized && wrong.body.contains("Wrong name or password.") && wrong.setCookie == nil)
            let nobody = try await Self.send(client, .post, "/login", form: ["name": "mallory", "password": Self.alicePassword])
            #expect(nobody.status == .unauthorized && nobody.setCookie == nil)

            let answer = try await Self.send(client, .post, "/login", form: ["name": "bob", "password": Self.bobPassword])
            let setCookie = try #require(answer.setCookie)
            for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
                #expect(setCookie.contains(attribute), "\(setCookie)")
            }
            let cookie = String(setCookie.split(separator: ";")[0])
            let overview = try await Self.send(client, .get, "/", cookie: cookie)
            #expect(overview.status == .ok && overview.body.contains("<h1>pacbuild</h1>"))
            #expect(try await Self.send(client, .get, "/", cookie: "pacbuild_session=" + String(repeating: "0", count: 64)).status == .seeOther)
        }
    }

    /// alice rejects ex-lib from its page: the form carries the session's CSRF token, a
    /// post without it or from bob (a viewer) changes nothing, and the build page's audit
    /// log names alice, the action and the reason.
    @Test func aMaintainerRejectsFromTheBuildPageWithTheSessionsCSRFToken() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let site = try fixture.site()
        let lib = fixture.ids["ex-lib"]!
        try await Self.client(site) { client in
            let bob = try await Self.signIn(client, "bob", Self.bobPassword)
            let bobsPage = try await Self.send(client, .get, "/builds/\(lib.rawValue)", cookie: bob)
            #expect(bobsPage.body.contains("Signed in as bob (viewer).") && !bobsPage.body.contains("<form method=\"post\" action=\"/builds/"))

            let alice = try await Self.signIn(client, "alice", Self.alicePassword)
            let page = try await Self.send(client, .get, "/builds/\(lib.rawValue)", cookie: alice)
            #expect(page.body.contains("action=\"/builds/\(lib.rawValue)/reject\""), "\(page.body)")
            let csrf = try #require(page.body.between("name=\"csrf\" value=\"", "\""))
            #expect(csrf.count == 64)

            #expect(try await Self.send(client, .post, "/builds/\(lib.rawValue)/reject", cookie: bob,
                                        form: ["csrf": csrf, "reason": "bob says no"]).status == .forbidden)
            #expect(try await Self.send(client, .post, "/builds/\(lib.rawValue)/reject", cookie: alice,
                                        form: ["reason": "no token"]).status == .forbidden)
            #expect(try await Self.send(client, .post, "/builds/\(lib.rawValue)/reject", cookie: alice,
                                        form: ["csrf": String(csrf.reversed()), "reason": "wrong token"]).status == .forbidden)
            #expect(try await Self.send(client, .post, "/builds/\(lib.rawValue)/reject",
                                        form: ["csrf": csrf, "reason": "no session"]).status == .unauthorized)
            #expect(try fixture.store.build(lib).state == .built)

            let done = try await Self.send(client, .post, "/builds/\(lib.rawValue)/reject", cookie: alice,
                                           form: ["csrf": csrf, "reason": "links the wrong <libc>"])
            #expect(done.status == .seeOther && done.location == "/builds/\(lib.rawValue)", "\(done.status) \(done.body)")
            #expect(try fixture.store.build(lib).state == .rejected)
            let audit = try fixture.store.auditEntries(of: lib, limit: nil)
            #expect(audit.map(\.actor) == ["web:alice"] && audit.map(\.action) == ["reject"], "\(audit)")
            #expect(audit.first?.detail.hasPrefix("links the wrong <libc>: marked") == true, "\(audit)")
            let after = try await Self.send(client, .get, "/builds/\(lib.rawValue)", cookie: alice)
            #expect(after.body.contains("<td>web:alice</td><td>reject</td><td>links the wrong &lt;libc&gt;: marked"), "\(after.body)")

            // accepting a rejected build is refused by the store: a page saying why, and the refusal audited
            let refused = try await Self.send(client, .post, "/builds/\(lib.rawValue)/accept", cookie: alice, form: ["csrf": csrf])
            #expect(refused.status == .conflict && refused.body.contains("accept refused"), "\(refused.body)")
            #expect(try fixture.store.auditEntries(of: lib, limit: 1).first?.detail.hasPrefix("refused: ") == true)

            let logout = try await Self.send(client, .post, "/logout", cookie: alice, form: ["csrf": csrf])
            #expect(logout.status == .seeOther && logout.setCookie?.contains("Max-Age=0") == true)
            #expect(try await Self.send(client, .get, "/", cookie: alice).status == .seeOther)
        }
    }

    /// A script retries the failed build with a maintainer's token (no CSRF: no cookie).
    @Test func aTokenRetriesThroughTheAPI() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let site = try fixture.site()
        let bad = fixture.ids["ex-bad"]!
        try await Self.client(site) { client in
            #expect(try await Self.send(client, .post, "/api/v1/builds/\(bad.rawValue)/retry").status == .unauthorized)
            let answer = try await Self.send(client, .post, "/api/v1/builds/\(bad.rawValue)/retry",
                                             headers: [.authorization: "Bearer \(Self.ciToken)"])
            #expect(answer.status == .ok && answer.body.contains("\"action\":\"retry\"") && answer.body.contains("\"state\":\"ready\""),
                    "\(answer.status) \(answer.body)")
            #expect(try await Self.send(client, .post, "/api/v1/builds/\(bad.rawValue)/launch",
                                        headers: [.authorization: "Bearer \(Self.ciToken)"]).status == .notFound)
            let priority = try await Self.send(client, .post, "/api/v1/builds/\(bad.rawValue)/priority",
                                               headers: [.authorization: "Bearer \(Self.ciToken)", .contentType: "application/json"])
            #expect(priority.status == .badRequest, "no priority given: \(priority.body)")
            let set = try await Self.send(client, .post, "/api/v1/builds/\(bad.rawValue)/priority", form: ["priority": "12.5"],
                                          headers: [.authorization: "Bearer \(Self.ciToken)"])
            #expect(set.status == .ok, "\(set.body)")
        }
        let audit = try fixture.store.auditEntries(of: bad, limit: nil)
        #expect(audit.map(\.actor) == ["token:ci", "token:ci"] && audit.map(\.action) == ["priority", "retry"], "\(audit)")
        #expect(try fixture.store.build(bad).priority == 12.5)
    }

    /// `[web]` entries that are not NAME:ROLE:BCRYPT (or SHA256) are errors naming the
    /// key and never the secret; the good ones still load.
    @Test func malformedAccountsAreErrorsThatDoNotShowTheSecret() throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try WebFixture.write(fixture.root, "pacbuild.toml", """
            [web]
            users = ["alice:maintainer:\(Passwords.hash(Self.alicePassword))", "eve:root:$2b$12$abcdefghijklmnopqrstuvSECRETSECRETSECRETSECRETSECRET12", "carol:viewer:plaintext-password"]
            tokens = ["ci:maintainer:nothex"]
            """)
        let configuration = Configuration.load(directory: fixture.root)
        let errors = configuration.errors.map(\.description)
        #expect(errors.count == 3, "\(errors)")
        #expect(errors.contains { $0.contains("pacbuild.toml:2") && $0.contains("users") && $0.contains("'eve:root:...'") }, "\(errors)")
        #expect(!errors.joined().contains("SECRET") && !errors.joined().contains("plaintext-password"), "\(errors)")
        #expect(configuration.global.web.users.map(\.name) == ["alice"])
    }
}

extension AuthTests {
    /// `pacbuild web passwd` hashes what it reads with bcrypt into the `[web] users`
    /// entry; `web token` makes a token whose sha256 is its entry's.
    @Test func webPasswdAndTokenPrintTheEntriesTheConfigurationReads() throws {
        let passwd = try ProcessRunner.run("/bin/sh", ["-c", "printf '%s\\n' 'a long password' | \"$0\" web passwd alice --role maintainer",
                                                      WebFixture.binary])
        #expect(passwd.status == 0, "\(passwd.stderr)")
        let line = passwd.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("alice:maintainer:$2b$12$") && line.count == "alice:maintainer:".count + 60, "\(line)")
        #expect(Passwords.verify("a long password", hash: String(line.dropFirst("alice:maintainer:".count))))
        let short = try ProcessRunner.run("/bin/sh", ["-c", "echo short | \"$0\" web passwd alice", WebFixture.binary])
        #expect(short.status != 0 && short.stderr.contains("at least 8 characters"))
        let role = try ProcessRunner.run(WebFixture.binary, ["web", "token", "ci", "--role", "root"])
        #expect(role.status != 0 && role.stderr.contains("--role is viewer or maintainer"))

        let token = try ProcessRunner.run(WebFixture.binary, ["web", "token", "ci", "--role", "maintainer"])
        let lines = token.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[0].hasPrefix("token: ") && lines[1].hasPrefix("entry: ci:maintainer:"), "\(token.stdout)")
        let secret = String(lines[0].dropFirst("token: ".count)), entry = String(lines[1].dropFirst("entry: ".count))
        #expect(entry == "ci:maintainer:" + Passwords.sha256(secret))
    }
}
