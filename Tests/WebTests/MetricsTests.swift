import Foundation
import Testing
@testable import Web

/// `/metrics` read line by line as Prometheus would: every line a comment or a sample,
/// every sample's family declared, the values the store's.
@Suite struct MetricsTests {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Parses the exposition format (no timestamps, as ours writes none); throws on a line that is neither.
    static func parse(_ text: String) throws -> (samples: [Sample], types: [String: String]) {
        var samples: [Sample] = [], types: [String: String] = [:], helped: Set<String> = []
        let sample = #/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/#
        let label = #/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/#
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") { helped.insert(String(line.split(separator: " ")[2])); continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                types[String(parts[2])] = String(parts[3])
                continue
            }
            guard let match = line.wholeMatch(of: sample), let value = Double(match.3) else {
                throw FixtureError("not a sample line: '\(line)'")
            }
            var labels: [String: String] = [:]
            if let text = match.2 {
                let all = text.matches(of: label)
                #expect(all.map(\.0.count).reduce(0, +) == text.count, "labels of '\(line)'")
                for m in all { labels[String(m.1)] = String(m.2) }
            }
            let name = String(match.1)
            let family = types.keys.first { name == $0 || name == $0 + "_bucket" || name == $0 + "_sum" || name == $0 + "_count" }
            #expect(family != nil && helped.contains(family!), "\(name) has no # TYPE and # HELP before it")
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return (samples, types)
    }

    @Test func metricsCountTheStore() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let response = try await fixture.site().get("/metrics")
        #expect(response.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.body.hasSuffix("\n"))
        let (samples, types) = try Self.parse(response.body)
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
        for state in ["built", "failed", "blocked", "waiting", "building", "ready"] {
            #expect(value("pacbuild_builds", ["repo": "core", "state": state]) == 1, "\(state)")
        }
        #expect(value("pacbuild_builds", ["repo": "core", "state": "accepted"]) == 0)
        #expect(value("pacbuild_queue_depth", ["repo": "core"]) == 2)
        #expect(value("pacbuild_builds_finished", ["repo": "core"]) == 2)
        #expect(value("pacbuild_builds_failed", ["repo": "core", "class": "build"]) == 1)
        #expect(types["pacbuild_build_duration_seconds"] == "histogram")
        #expect(value("pacbuild_build_duration_seconds_count", ["repo": "core"]) == 2)
        #expect(value("pacbuild_build_duration_seconds_bucket", ["repo": "core", "le": "+Inf"]) == 2)
        #expect(value("pacbuild_build_duration_seconds_bucket", ["repo": "core", "le": "30"]) == 2)
        #expect(value("pacbuild_waka_slots", ["waka": "waka-1", "host": "builder"]) == 2)
        #expect(value("pacbuild_builds_running", ["waka": "waka-1"]) == 1)
        let heartbeat = try #require(value("pacbuild_waka_last_heartbeat_seconds", ["waka": "waka-1", "host": "builder"]))
        #expect(heartbeat >= fixture.heartbeatFrom.timeIntervalSince1970.rounded(.down) - 1
                && heartbeat <= fixture.heartbeatTo.timeIntervalSince1970 + 1, "\(heartbeat)")
        // buckets are cumulative
        let buckets = samples.filter { $0.name == "pacbuild_build_duration_seconds_bucket" }.map(\.value)
        #expect(buckets == buckets.sorted())
    }

    @Test func labelValuesAreEscaped() {
        var text = MetricsText()
        text.family("x", .gauge, help: "h") { $0.sample("x", [("waka", "a\"b\\c\nd")], 1.5) }
        #expect(text.text == "# HELP x h\n# TYPE x gauge\nx{waka=\"a\\\"b\\\\c\\nd\"} 1.5\n")
    }
}
