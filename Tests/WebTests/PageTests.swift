import Foundation
import Testing
import Scheduler
@testable import Web

/// The HTML pages over a filled store: what they count and list, and that every text
/// from a PKGBUILD, a package or a log arrives escaped.
@Suite struct PageTests {
    /// The views that answer the templates' lookups themselves (`TemplateLookups.swift`)
    /// answer every field, as the Mirror swift-mustache would otherwise use does: a field
    /// added to one but not to its lookup would render as nothing.
    @Test func lookupsAnswerEveryField() throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let queue = try QueueView.read(from: fixture.store)
        let rows = queue.ready + queue.waiting.flatMap { [$0.build] + $0.on } + queue.blocked.flatMap { [$0.build] + $0.chain }
        #expect(rows.count >= 5 && rows.contains { $0.reason != nil } && rows.contains { $0.reason == nil })
        let context = PageContext(page: queue, signedIn: SignedIn(name: "alice", role: "maintainer", csrf: nil))
        let values: [(Any, (String) -> Any?)] = rows.map { ($0, $0.child) } + queue.waiting.map { ($0, $0.child) }
            + queue.blocked.map { ($0, $0.child) } + [(queue, queue.child), (context, context.child)]
        for (value, lookup) in values {
            for child in Mirror(reflecting: value).children {
                let label = try #require(child.label)
                let mirrored = Self.unwrapped(child.value), answered = lookup(label)
                #expect((mirrored == nil) == (answered == nil), "\(type(of: value)).\(label)")
                if let mirrored, let answered, !(mirrored is [Any]) {
                    #expect(String(describing: mirrored) == String(describing: answered), "\(type(of: value)).\(label)")
                }
            }
        }
    }

    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }

    /// Times as the pages write them: UTC to the second.
    @Test func stampsAreISO8601InUTC() {
        #expect(Formats.stamp(Date(timeIntervalSince1970: 1_796_326_800.4)) == "2026-12-03T19:40:00Z")
    }

    @Test func overviewCountsListsRunningWakasAndFailures() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let requested = Date()
        let page = try await fixture.site().get("/")
        let answered = Date()
        #expect(page.status == .ok)
        #expect(page.contentType == "text/html; charset=utf-8")
        let counts = try #require(page.body.between("<table id=\"counts\">", "</table>"))
        #expect(counts.contains("<td>core</td><td>x86_64</td><td class=\"total\">6</td>"))
        for state in ["built", "failed", "blocked", "waiting", "building", "ready"] {
            #expect(counts.contains("data-state=\"\(state)\">1 \(state)</span>"), "count of \(state)")
        }
        #expect(!counts.contains("accepted"))
        let running = try #require(page.body.between("<table id=\"running\">", "</table>"))
        #expect(running.contains("#\(fixture.ids["ex-run"]!.rawValue)</a> <a href=\"/packages/core/ex-run\">core/ex-run</a> 0.5-1"))
        #expect(running.contains("on waka-1"))
        #expect(running.range(of: #"for \d+m\d\ds"#, options: .regularExpression) != nil)
        let wakas = try #require(page.body.between("<table id=\"wakas\">", "</table>"))
        // last seen: as long ago as the fixture's heartbeat is now (seconds, give or take
        // one); marked stale past the lease, which a heavily loaded run can reach
        let seen = try #require(wakas.range(of: #"<td>waka-1</td><td>builder</td><td>x86_64</td><td>2 slot\(s\)</td><td>big</td><td( class="stale")?>last seen \d+m\d\ds"#,
                                            options: .regularExpression).map { String(wakas[$0]) }, "\(wakas)")
        let digits = seen.split(separator: " ").last!.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let ago = Double(digits[0] * 60 + digits[1])
        #expect(ago >= requested.timeIntervalSince(fixture.heartbeatTo) - 2 && ago <= answered.timeIntervalSince(fixture.heartbeatFrom) + 2, "\(seen)")
        let failures = try #require(page.body.between("<table id=\"failures\">", "</table>"))
        #expect(failures.contains("core/ex-bad</a> 2.0-1</td><td class=\"state-failed\">build</td>"))
        #expect(failures.contains("make: *** [&lt;img src=x onerror=alert(1)&gt;] Error 2"))
        #expect(!page.body.contains("<img"))
    }

    @Test func emptyStoreSaysSo() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let page = try await fixture.site().get("/")
        #expect(page.body.contains("The store holds no builds: run pacbuild catchup."))
        #expect(page.body.contains("No waka has registered."))
    }

    @Test func queueShowsReadyWaitingAndTheBlockedChain() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let page = try await fixture.site().get("/queue")
        let ids = fixture.ids.mapValues(\.rawValue)
        let ready = try #require(page.body.between("<table id=\"ready\">", "</table>"))
        #expect(ready.contains("core/ex-ready</a> 3-1</td><td>priority 7</td>"))
        #expect(ready.occurrences(of: "<tr>") == 1)
        let waiting = try #require(page.body.between("<table id=\"waiting\">", "</table>"))
        #expect(waiting.contains("core/ex-app</a> 2.1-1</td><td>waits on <span class=\"state-built\"><a href=\"/builds/\(ids["ex-lib"]!)\">"))
        let blocked = try #require(page.body.between("<table id=\"blocked\">", "</table>"))
        #expect(blocked.contains("core/ex-dep</a> 1.0-1</td>"))
        #expect(blocked.contains("&larr; <span class=\"state-failed\"><a href=\"/builds/\(ids["ex-bad"]!)\">#\(ids["ex-bad"]!)</a>"))
        #expect(blocked.contains("(failed (build): make: *** [&lt;img src=x onerror=alert(1)&gt;] Error 2)"))
    }

    /// A catch-up queues thousands: the page shows 200 builds per section with each
    /// section's total and links to the next and previous 200.
    @Test func queuePagesThroughALargeQueue() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let base = PlannedBuild(WebFixture.package("base"), version: "1-1", priority: 1)
        let waiting = (0..<250).map { PlannedBuild(WebFixture.package("w\($0)"), version: "1-1", priority: Double(1000 - $0),
                                                   dependencies: [WebFixture.package("base")]) }
        _ = try fixture.store.enqueue([base] + waiting)
        let site = try fixture.site()
        let first = try await site.get("/queue")
        #expect(first.body.contains("<h2>Ready (1)</h2>") && first.body.contains("<h2>Waiting (250)</h2>") && first.body.contains("<h2>Blocked (0)</h2>"))
        let rows = try #require(first.body.between("<table id=\"waiting\">", "</table>"))
        #expect(rows.occurrences(of: "<tr>") == 200)
        #expect(rows.contains("core/w0</a>") && rows.contains("core/w199</a>") && !rows.contains("core/w200</a>"))
        #expect(rows.occurrences(of: "waits on <span class=\"state-ready\">") == 200, "each row names the build it waits on")
        #expect(first.body.contains("<a href=\"/queue?from=200\" id=\"next\">next 200</a>") && !first.body.contains("id=\"previous\""))
        let second = try await site.get("/queue?from=200")
        let more = try #require(second.body.between("<table id=\"waiting\">", "</table>"))
        #expect(more.occurrences(of: "<tr>") == 50 && more.contains("core/w200</a>") && more.contains("core/w249</a>"))
        #expect(second.body.contains("<a href=\"/queue?from=0\" id=\"previous\">previous 200</a>") && !second.body.contains("id=\"next\""))
    }

    @Test func buildPageShowsFactsAndTheLogEscaped() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let id = fixture.ids["ex-lib"]!.rawValue
        let page = try await fixture.site().get("/builds/\(id)")
        #expect(page.status == .ok)
        #expect(page.body.contains("<td class=\"state-built\">built</td>"))
        #expect(page.body.contains("<tr><th>worker</th><td>waka-1</td></tr>"))
        #expect(page.body.contains("<td class=\"desc\">a &lt;script&gt;alert(&#39;desc&#39;)&lt;/script&gt; &amp; &quot;library&quot;</td>"))
        #expect(page.body.contains("<tr><th>depends</th><td>glibc&gt;=2.38</td></tr>"))
        #expect(page.body.contains("<tr><th>provides</th><td>libex.so=1-64</td></tr>"))
        #expect(page.body.contains("<tr><th>size</th><td>2.0 KiB, installed 10.0 KiB</td></tr>"))
        let log = try #require(page.body.between("<pre class=\"log\" id=\"log\">", "</pre>"))
        #expect(log == "==&gt; Making package: ex-lib 1.0-1\nchecking &lt;script&gt;alert(&#39;log&#39;)&lt;/script&gt; ... yes\n==&gt; Finished making: ex-lib\n")
        // a finished build's page has no script at all: nothing of the build's text became markup
        #expect(!page.body.contains("<script"))
    }

    @Test func failedBuildPageShowsClassAndReason() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let page = try await fixture.site().get("/builds/\(fixture.ids["ex-bad"]!.rawValue)")
        #expect(page.body.contains("<tr><th>failure class</th><td>build</td></tr>"))
        #expect(page.body.contains("<td id=\"reason\">make: *** [&lt;img src=x onerror=alert(1)&gt;] Error 2</td>"))
        #expect(page.body.contains("No log readable here (source: none)."))
    }

    @Test func runningBuildPageFollowsItsLog() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let page = try await fixture.site().get("/builds/\(fixture.ids["ex-run"]!.rawValue)")
        let log = try #require(page.body.between("<pre class=\"log\" id=\"log\" data-stream=", "</pre>"))
        #expect(log.hasSuffix("\">==&gt; Making package: ex-run 0.5-1\n"))
        // the stream starts where the page's copy ends
        let offset = "==> Making package: ex-run 0.5-1\n".utf8.count
        #expect(page.body.contains("<pre class=\"log\" id=\"log\" data-stream=\"/builds/\(fixture.ids["ex-run"]!.rawValue)/log/stream?offset=\(offset)\">"))
        #expect(page.body.occurrences(of: "<script") == 1)
        #expect(page.body.contains("<script src=\"/assets/follow-log.js\"></script>"))
        // the browser runs no inline script, only this server's
        #expect(page.policy?.contains("script-src 'self';") == true)
        #expect(page.policy?.hasPrefix("default-src 'none';") == true)
        let script = try await fixture.site().get("/assets/follow-log.js")
        #expect(script.contentType == "text/javascript; charset=utf-8")
        #expect(script.body.contains("new EventSource(log.dataset.stream)"))
        #expect(script.body.contains("log.append(e.data + \"\\n\")"))
        #expect(!script.body.contains("innerHTML"))
    }

    @Test func packageHistoryListsEveryBuildNewestFirst() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let id = fixture.ids["ex-bad"]!
        try fixture.store.retry(id)
        let page = try await fixture.site().get("/packages/core/ex-bad")
        let history = try #require(page.body.between("<table id=\"history\">", "</table>"))
        #expect(history.contains("<a href=\"/builds/\(id.rawValue)\">#\(id.rawValue)</a></td><td>2.0-1</td><td class=\"state-ready\">ready</td>"))
        let missing = try await fixture.site().get("/packages/core/nothing")
        #expect(missing.status == .notFound)
    }

    @Test func unknownAndMalformedBuildsAreClientErrors() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let pages = try await fixture.site().get(["/builds/999", "/builds/abc", "/api/v1/builds/999", "/builds/999/log/stream"])
        #expect(pages.map(\.status.code) == [404, 400, 404, 404])
        #expect(pages[0].body.contains("no build #999 in the store"))
    }
}

/// No template writes a value unescaped: `{{{value}}}` and `{{& value}}` are mustache's
/// two ways to, and a value is package, PKGBUILD or log text.
@Test func noTemplateWritesAValueUnescaped() throws {
    let library = try Templates.library()
    for (name, text) in Templates.all {
        #expect(!text.contains("{{{") && !text.contains("{{&"), "template \(name)")
        #expect(library.getTemplate(named: name) != nil, "template \(name)")
    }
    #expect(Set(Templates.all.keys).isSuperset(of: ["overview", "queue", "build", "package", "plan", "why"]))
}
