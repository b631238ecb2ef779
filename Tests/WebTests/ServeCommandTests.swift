import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// `pacbuild serve` as a maintainer runs it: the built binary over the fixture's
/// configuration, on a loopback port, answering what `status --json` prints, until
/// SIGTERM stops it with exit status 0.
@Suite struct ServeCommandTests {
    @Test func servesTheConfiguredStoreAndStopsOnSIGTERM() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let (process, err, port) = try Self.serve(fixture)
        defer { if process.isRunning { process.terminate() } }

        var body: String?
        for _ in 0..<200 where body == nil {
            body = try? await Self.get("http://127.0.0.1:\(port)/api/v1/status")
            if body == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let served = try #require(body, "pacbuild serve did not answer on 127.0.0.1:\(port)")
        #expect(served == (try fixture.pacbuild(["status", "--json"])).stdout)
        let page = try await Self.get("http://127.0.0.1:\(port)/builds/\(fixture.ids["ex-lib"]!.rawValue)")
        #expect(page.contains("checking &lt;script&gt;alert(&#39;log&#39;)&lt;/script&gt; ... yes"))

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(said.contains("listening on http://127.0.0.1:\(port)/ over sqlite:\(fixture.root)/state/store.sqlite"))
    }

    @Test func refusesABadListenAddress() throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let result = try fixture.pacbuild(["serve", "--listen", "localhost:http"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--listen 'localhost:http': 'http' is not a port number (0-65535)"))
    }

    /// `pacbuild serve` over the fixture on a free loopback port, its standard error in a pipe.
    static func serve(_ fixture: WebFixture) throws -> (Process, Pipe, Int) {
        let port = try Loopback.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WebFixture.binary)
        process.arguments = ["serve", "--config", fixture.root, "--listen", "127.0.0.1:\(port)"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        return (process, err, port)
    }

    static func get(_ url: String) async throws -> String {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw FixtureError("\(url): \(response)") }
        return String(decoding: data, as: UTF8.self)
    }
}
