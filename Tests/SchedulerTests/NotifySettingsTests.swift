import Foundation
import Testing
@testable import Scheduler

/// `[notify]` and `[web] base_url` in pacbuild.toml.
@Suite struct NotifySettingsTests {
    @Test func targetsEventsAndLinks() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("core")
        #expect(fixture.load().global.notify == NotifySettings())
        #expect(fixture.load().global.notify.isEmpty && fixture.load().global.web.baseURL == nil)
        try fixture.write("bin/tell", "#!/bin/sh\ncat >/dev/null\n")
        chmod(fixture.root + "/bin/tell", 0o755)
        try fixture.write("pacbuild.toml", """
            [notify]
            webhooks = ["https://chat.example.org/hooks/1?token=a", "http://[::1]:9000/"]
            commands = ["bin/tell"]
            events = ["build.failed", "build.staged"]
            timeout_seconds = 3
            [web]
            base_url = "https://builds.example.org/"
            """)
        let loaded = fixture.load()
        #expect(loaded.errors.isEmpty, "\(loaded.messages)")
        let notify = loaded.global.notify
        #expect(notify.webhooks == ["https://chat.example.org/hooks/1?token=a", "http://[::1]:9000/"])
        #expect(notify.commands == [fixture.root + "/bin/tell"], "relative to the configuration directory")
        #expect(notify.events == [.buildFailed, .buildStaged] && notify.timeoutSeconds == 3)
        #expect(loaded.global.web.buildPage(BuildID(12)) == "https://builds.example.org/builds/12")
        #expect(NotifyTarget.all(notify).map(\.key) == ["webhook:https://chat.example.org/hooks/1?token=a", "webhook:http://[::1]:9000/",
                                                        "command:" + fixture.root + "/bin/tell"])
    }

    @Test func wrongEntriesAreReportedAndLeftOut() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("core")
        try fixture.write("not-executable", "#!/bin/sh\n")
        try fixture.write("pacbuild.toml", """
            [notify]
            webhooks = ["ftp://example.org/x", "https://ok.example.org/", "http://has space/"]
            commands = ["missing-command", "not-executable"]
            events = ["build.failed", "build.exploded"]
            timeout_seconds = 0
            retries = 3
            [web]
            base_url = "builds.example.org"
            """)
        let loaded = fixture.load()
        let messages = loaded.messages.joined(separator: "\n")
        #expect(loaded.global.notify.webhooks == ["https://ok.example.org/"])
        #expect(loaded.global.notify.commands.isEmpty && loaded.global.notify.events == [.buildFailed])
        #expect(loaded.global.notify.timeoutSeconds == 10 && loaded.global.web.baseURL == nil)
        for needle in ["'ftp://example.org/x'", "'http://has space/'", "missing-command", "not-executable", "'build.exploded'",
                       "timeout_seconds", "retries", "'builds.example.org'"] {
            #expect(messages.contains(needle), "\(needle) in \(messages)")
        }
        #expect(messages.contains("pacbuild.toml:2:"), "errors name the file and line: \(messages)")
    }
}
