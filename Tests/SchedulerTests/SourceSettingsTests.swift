import Foundation
import Testing
@testable import Scheduler

/// `[sources]` in pacbuild.toml: the fetch stage's size limit and timeout.
@Suite struct SourceSettingsTests {
    @Test func defaultsAndValues() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("core")
        #expect(fixture.load().global.sources == SourceSettings())
        try fixture.write("pacbuild.toml", "[sources]\nmax_mb = 64\ntimeout = 90\nallow_hosts = [\"mirror.lan\", \"127.0.0.1:8717\"]\n")
        let loaded = fixture.load()
        #expect(loaded.errors.isEmpty, "\(loaded.messages)")
        let settings = loaded.global.sources.fetchSettings(stateDirectory: loaded.global.stateDir)
        #expect(settings.maxBytes == 64 << 20 && settings.timeoutSeconds == 90)
        #expect(settings.allowedHosts == ["mirror.lan", "127.0.0.1:8717"])
        #expect(settings.cacheDirectory == loaded.global.stateDir + "/sources")
    }

    @Test func wrongValuesAreReportedAndDefaulted() throws {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        try fixture.writeRepo("core")
        try fixture.write("pacbuild.toml", "[sources]\nmax_mb = 0\ntimeout = \"long\"\nretries = 3\n")
        let loaded = fixture.load()
        #expect(loaded.global.sources == SourceSettings())
        let messages = loaded.messages.joined(separator: "\n")
        #expect(loaded.messages.count == 3, "\(messages)")
        #expect(messages.contains("pacbuild.toml:2: key 'sources.max_mb'") || messages.contains("pacbuild.toml:2: key 'max_mb'"), "\(messages)")
        #expect(messages.contains("retries"), "\(messages)")
    }
}
