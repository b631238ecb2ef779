import Testing
@testable import Web

@Suite struct ListenAddressTests {
    @Test func parsesHostPortIPv6AndBarePort() throws {
        #expect(try ListenAddress(parsing: "0.0.0.0:9000") == ListenAddress(host: "0.0.0.0", port: 9000))
        #expect(try ListenAddress(parsing: "[::1]:8081") == ListenAddress(host: "::1", port: 8081))
        #expect(try ListenAddress(parsing: "8082") == ListenAddress(host: "127.0.0.1", port: 8082))
        #expect(ListenAddress.loopback.description == "127.0.0.1:8080")
        #expect(ListenAddress(host: "::1", port: 1).description == "[::1]:1")
    }

    @Test func rejectsWhatIsNoAddress() {
        for text in ["localhost:http", "::1:80", ":80", "[::1]80", "host:70000", ""] {
            #expect(throws: WebError.self, "\(text)") { try ListenAddress(parsing: text) }
        }
    }
}
