import Foundation
import Scheduler
import Testing
import TestSupport
@testable import Web

/// The real Chromium (Debian's `chromium` and `chromium-driver`, driven by Selenium:
/// Tests/Fixtures/browser/drive.py) against a real `pacbuild serve` process over the
/// fixture's store: private pages send it to the login form, the session cookie is
/// HttpOnly, Secure and SameSite=Strict, a maintainer rejects a build from its page, the
/// audit log shows it, a running build's log follows a line written while the page is
/// open, and the pages' Content-Security-Policy blocks nothing they use. scripts/setup
/// installs the browser; without it the test fails saying so.
@Suite struct BrowserTests {
    static let tools = ["/usr/bin/chromium", "/usr/bin/chromedriver"]

    /// `pacbuild serve` over the configuration at `root` on a free loopback port, once it listens.
    static func serve(_ root: String) throws -> (Process, Int) {
        let port = try Loopback.freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: WebFixture.binary)
        server.arguments = ["serve", "--config", root, "--listen", "127.0.0.1:\(port)"]
        server.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try server.run()
        do { try Loopback.waitForListener(port: port) } catch {
            server.terminate()
            server.waitUntilExit()
            throw error
        }
        return (server, port)
    }

    @Test func aMaintainerSignsInRejectsABuildAndFollowsALiveLogInChromium() throws {
        for tool in Self.tools {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: run scripts/setup (chromium, chromium-driver, python3-selenium)")
        }
        var fixture = try WebFixture(web: """
            [web]
            public = false
            users = ["alice:maintainer:\(Passwords.hash(AuthTests.alicePassword))", "bob:viewer:\(Passwords.hash(AuthTests.bobPassword))"]

            """)
        try fixture.populate()
        defer { fixture.remove() }
        let (server, port) = try Self.serve(fixture.root)
        defer { server.terminate(); server.waitUntilExit() }

        let shots = fixture.root + "/screenshots"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let drive = Fixtures.packageRoot + "/Tests/Fixtures/browser/drive.py"
        let run = try ProcessRunner.run("/usr/bin/python3", [
            drive, "http://localhost:\(port)", "alice", AuthTests.alicePassword, String(fixture.ids["ex-lib"]!.rawValue),
            String(fixture.ids["ex-run"]!.rawValue), fixture.liveLog, shots, "bob", AuthTests.bobPassword,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\n\(run.stderr)")
        #expect(seen["error"] == nil, "\(seen["error"] ?? "")\n\(seen["page"] ?? "")")
        #expect(seen["done"] as? Bool == true, "\(seen)")
        #expect(seen["redirectedTo"] as? String == "/login")
        // bob (viewer) has no forms, and his post is refused; so is alice's without the CSRF token
        #expect(seen["viewerForms"] as? Int == 0)
        #expect(seen["viewerPost"] as? Int == 403, "\(seen["viewerPost"] ?? "")")
        #expect(seen["maintainerPostWithoutToken"] as? Int == 403, "\(seen["maintainerPostWithoutToken"] ?? "")")
        // the fixture's pkgdesc and log line hold <script>: shown as text, never run
        let text = seen["buildText"] as? String ?? ""
        #expect(text.contains(WebFixture.hostileDesc) && text.contains(WebFixture.hostileLogLine), "\(text)")
        #expect(seen["scriptElements"] as? Int == 0, "a script element made of the hostile text")
        #expect(seen["overviewTitle"] as? String == "pacbuild")
        let cookies = seen["cookies"] as? [[String: Any]] ?? []
        let session = cookies.first { $0["name"] as? String == "pacbuild_session" }
        #expect(session?["httpOnly"] as? Bool == true && session?["secure"] as? Bool == true && session?["sameSite"] as? String == "Strict",
                "\(cookies)")
        #expect(seen["cookieVisibleToScript"] as? String == "", "a script reads the session cookie")
        let rows = seen["auditRows"] as? [[String]] ?? []
        #expect(rows.count == 1 && rows.first?[1] == "web:alice" && rows.first?[2] == "reject" && rows.first?[3].hasPrefix("rejected in Chromium") == true,
                "\(rows)")
        #expect(seen["stateAfter"] as? String == "rejected")
        #expect(try fixture.store.build(fixture.ids["ex-lib"]!).state == .rejected)
        #expect((seen["liveLineSeconds"] as? Double).map { $0 < 10 } == true, "\(seen["liveLineSeconds"] ?? "never")")
        #expect(seen["signedInAs"] as? String == "Signed in as alice (maintainer).")
        let console = seen["console"] as? [String] ?? []
        #expect(!console.contains { $0.contains("Content Security Policy") || $0.contains("Refused") }, "\(console)")
        for shot in ["overview.png", "queue.png", "plan.png", "build-before.png", "build-after.png"] {
            #expect(FileManager.default.fileExists(atPath: shots + "/" + shot))
            // the README's screenshots (docs/images/overview.png, build-page.png = build-after.png) are made so
            if let keep = ProcessInfo.processInfo.environment["PACBUILD_SCREENSHOTS"] {
                try? FileManager.default.removeItem(atPath: keep + "/" + shot)
                try FileManager.default.copyItem(atPath: shots + "/" + shot, toPath: keep + "/" + shot)
            }
        }
    }

    /// A rebuild set's page in Chromium: bob (viewer) sees the set with no forms and
    /// signs out from the navigation; alice (maintainer) publishes the part closed under
    /// dependencies, then drops the member that holds the rest, and the set is published:
    /// its packages in the repo database, every step in the set's audit log.
    @Test func aMaintainerPublishesAndDropsFromTheSetPageAViewerCannot() throws {
        for tool in Self.tools {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: run scripts/setup (chromium, chromium-driver, python3-selenium)")
        }
        let fixture = try SetFixture(web: """
            [web]
            public = false
            users = ["alice:maintainer:\(Passwords.hash(AuthTests.alicePassword))", "bob:viewer:\(Passwords.hash(AuthTests.bobPassword))"]

            """)
        defer { fixture.remove() }
        let (server, port) = try Self.serve(fixture.web.root)
        defer { server.terminate(); server.waitUntilExit() }

        let shots = fixture.web.root + "/screenshots"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let run = try ProcessRunner.run("/usr/bin/python3", [
            Fixtures.packageRoot + "/Tests/Fixtures/browser/drive_set.py", "http://localhost:\(port)", String(fixture.set),
            String(fixture.tool.rawValue), "alice", AuthTests.alicePassword, "bob", AuthTests.bobPassword, shots,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\n\(run.stderr)")
        #expect(seen["error"] == nil, "\(seen["error"] ?? "")\n\(seen["page"] ?? "")")
        #expect(seen["done"] as? Bool == true, "\(seen)")
        // the viewer: the set, no forms, and a sign-out that works
        #expect(seen["viewerSignedIn"] as? String == "bob (viewer)")
        #expect(seen["viewerSetForms"] as? Int == 0 && (seen["viewerButtons"] as? [String])?.isEmpty == true, "\(seen["viewerButtons"] ?? "")")
        let viewerMembers = seen["viewerMembers"] as? [[String]] ?? []
        #expect(viewerMembers.count == 3 && viewerMembers.allSatisfy { $0.count == 4 && $0[3].hasPrefix("held") }, "\(viewerMembers)")
        #expect((seen["afterSignOut"] as? String)?.contains("sign in") == true && (seen["afterSignOut"] as? String)?.contains("bob") == false)
        // the maintainer
        #expect((seen["queueSet"] as? String)?.contains("not built yet (ready)") == true, "\(seen["queueSet"] ?? "")")
        #expect(seen["maintainerSignedIn"] as? String == "alice (maintainer)")
        #expect(seen["dropButtons"] as? Int == 3 && seen["publishWhole"] as? Int == 0, "held: no whole publish")
        let afterPublish = seen["afterPublish"] as? [[String]] ?? []
        #expect(afterPublish.map { $0.count == 4 ? $0[3] : "" } == ["published", "published", "held"], "\(afterPublish)")
        #expect(seen["title"] as? String == "Set \(fixture.set) (published)")
        let afterDrop = seen["afterDrop"] as? [[String]] ?? []
        #expect(afterDrop.map { $0.count == 4 ? $0[3] : "" } == ["published", "published", "dropped"], "\(afterDrop)")
        #expect(seen["formsAfter"] as? Int == 0)
        let audit = seen["auditRows"] as? [[String]] ?? []
        #expect(audit.count == 3 && audit.allSatisfy { $0.count == 4 && $0[1] == "web:alice" }, "\(audit)")
        #expect(audit.map { $0.count == 4 ? $0[2] : "" }.sorted() == ["set-drop", "set-publish", "set-publish"], "\(audit)")
        #expect(try fixture.web.store.rebuildSet(fixture.set).state == .published)
        #expect(try SetPageTests.databaseEntries(fixture) == ["ex-lib-1.0-1", "ex-use-1-1.1"])
        let console = seen["console"] as? [String] ?? []
        #expect(!console.contains { $0.contains("Content Security Policy") || $0.contains("Refused") }, "\(console)")
        for shot in ["set-viewer.png", "queue-sets.png", "set-before.png", "set-published-part.png", "set-after.png"] {
            #expect(FileManager.default.fileExists(atPath: shots + "/" + shot), "\(shot)")
            if let keep = ProcessInfo.processInfo.environment["PACBUILD_SCREENSHOTS"] {
                try? FileManager.default.removeItem(atPath: keep + "/" + shot)
                try FileManager.default.copyItem(atPath: shots + "/" + shot, toPath: keep + "/" + shot)
            }
        }
    }
}
