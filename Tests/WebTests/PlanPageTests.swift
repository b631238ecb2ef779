import Foundation
import Testing
@testable import Web

/// The plan and why pages over the fixture's two PKGBUILDs (ex-app depends on ex-lib;
/// no repo database yet, so both are new).
@Suite struct PlanPageTests {
    @Test func planPageListsWavesWithLinksToWhy() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let page = try await fixture.site().get("/plan")
        #expect(page.status == .ok)
        #expect(page.body.contains("<span class=\"count\" data-status=\"new\">2 new</span>"))
        let planned = try #require(page.body.between("<table id=\"planned\">", "</table>"))
        #expect(planned.contains("<tr><td>0</td><td><a href=\"/why/core/ex-lib\">core/ex-lib</a></td><td>new</td><td>(new) -&gt; 1.0-1</td><td></td></tr>"))
        #expect(planned.contains("<tr><td>1</td><td><a href=\"/why/core/ex-app\">core/ex-app</a></td><td>new</td><td>(new) -&gt; 2.1-1</td><td><a href=\"/why/core/ex-lib\">core/ex-lib</a> </td></tr>"))
        #expect(!page.body.contains("<script"))
    }

    @Test func whyPageExplainsAndListsBuilds() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let site = try fixture.site()
        let pages = try await site.get(["/why/core/ex-app", "/why/ex-lib", "/why/nothing"])
        let app = pages[0].body
        #expect(app.contains("<tr><th>status</th><td>new: not in the core database</td></tr>"))
        #expect(app.contains("<tr><th>planned</th><td>yes, wave 1, priority 5m00s</td></tr>"))
        #expect(app.contains("<tr><th>waits for</th><td><a href=\"/why/core/ex-lib\">core/ex-lib</a> </td></tr>"))
        let id = fixture.ids["ex-app"]!.rawValue
        #expect(app.contains("<li class=\"state-waiting\"><a href=\"/builds/\(id)\">#\(id)</a> 2.1-1 waiting</li>"))
        let lib = pages[1].body
        #expect(lib.contains("<tr><th>needed first by</th><td><a href=\"/why/core/ex-app\">core/ex-app</a> </td></tr>"))
        #expect(lib.contains("2.1-1") == false)
        #expect(pages[2].status == .notFound)
    }

    @Test func absentValuesLeaveNoEmptyRows() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let page = try await fixture.site().get("/builds/\(fixture.ids["ex-ready"]!.rawValue)")
        for row in ["failure class", "reason", "worker", "started", "finished", "duration", "requires tags", "staged", "reviewed", "marked"] {
            #expect(!page.body.contains("<th>\(row)</th>"), "\(row)")
        }
        #expect(page.body.contains("No package facts (source: none)."))
        #expect(!page.body.contains("left out here"))
    }
}
