import Foundation
import Testing
@testable import Web

/// `/api/v1/...` gives byte for byte what the CLI prints with `--json` for the same store.
@Suite struct APITests {
    /// API path and the CLI arguments that print the same JSON.
    static func pairs(_ ids: [String: Int64]) -> [(String, [String])] {
        [("/api/v1/status", ["status", "--json"]),
         ("/api/v1/builds/\(ids["ex-lib"]!)", ["show", "--json", "#\(ids["ex-lib"]!)"]),
         ("/api/v1/builds/\(ids["ex-bad"]!)", ["show", "--json", "#\(ids["ex-bad"]!)"]),
         ("/api/v1/checkbuilds", ["checkbuilds", "--json"]),
         ("/api/v1/plan", ["plan", "--format", "json", "--fallback", "none"]),
         ("/api/v1/why/ex-app", ["why", "--json", "ex-app"]),
         ("/api/v1/why/core/ex-lib", ["why", "--json", "core/ex-lib"])]
    }

    @Test func jsonEqualsTheCLIs() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let pairs = Self.pairs(fixture.ids.mapValues(\.rawValue))
        let fetched = try await fixture.site().get(pairs.map(\.0))
        for ((path, arguments), response) in zip(pairs, fetched) {
            let cli = try fixture.pacbuild(arguments)
            #expect(cli.status == 0, "\(arguments): \(cli.stderr)")
            #expect(response.status == .ok, "\(path): \(response.body)")
            #expect(response.contentType == "application/json; charset=utf-8")
            #expect(response.body == cli.stdout, "\(path) differs from pacbuild \(arguments.joined(separator: " "))")
            #expect(response.body.count > 20)
        }
    }

    @Test func statusAndBuildsCarryTheStore() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let site = try fixture.site()
        let status = try JSONSerialization.jsonObject(with: Data(try await site.get("/api/v1/status").body.utf8)) as? [String: Any]
        let counts = try #require(status?["counts"] as? [[String: Any]])
        #expect(counts.filter { ($0["count"] as? Int) == 1 }.count == 6)
        let running = try #require(status?["running"] as? [[String: Any]])
        #expect(running.count == 1 && running[0]["worker"] as? String == "waka-1")

        let failed = try JSONSerialization.jsonObject(with: Data(try await site.get("/api/v1/builds?state=failed").body.utf8)) as? [[String: Any]]
        #expect(failed?.count == 1)
        #expect(failed?.first?["reason"] as? String == WebFixture.hostileReason)
        let bad = try await site.get("/api/v1/builds?state=broken")
        #expect(bad.status == .badRequest)
        let all = try JSONSerialization.jsonObject(with: Data(try await site.get("/api/v1/builds?repo=core&limit=4").body.utf8)) as? [Any]
        #expect(all?.count == 4)
    }

    @Test func logIsTheFileAsText() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let site = try fixture.site()
        let id = fixture.ids["ex-lib"]!.rawValue
        let log = try await site.get("/api/v1/builds/\(id)/log")
        #expect(log.contentType == "text/plain; charset=utf-8")
        #expect(log.body == (try fixture.pacbuild(["log", "#\(id)"])).stdout)
        #expect(log.body.contains(WebFixture.hostileLogLine))
        let none = try await site.get("/api/v1/builds/\(fixture.ids["ex-bad"]!.rawValue)/log")
        #expect(none.status == .notFound)
    }

    @Test func whyOfAnUnknownPackageIsNotFound() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let response = try await fixture.site().get("/api/v1/why/nothing")
        #expect(response.status == .notFound)
        #expect(response.body.contains("nothing"))
    }
}
