import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Web

/// One response as the tests read it.
struct Fetched: Sendable {
    var status: HTTPResponse.Status
    var contentType: String
    var body: String
    var policy: String?
}

extension WebSite {
    /// GETs each of `uris` through the router (no socket), in order.
    func get(_ uris: [String]) async throws -> [Fetched] {
        let app = Application(router: router())
        return try await app.test(.router) { client in
            var fetched: [Fetched] = []
            for uri in uris {
                fetched.append(try await client.execute(uri: uri, method: .get) { response in
                    Fetched(status: response.status, contentType: response.headers[.contentType] ?? "",
                            body: String(buffer: response.body), policy: response.headers[.contentSecurityPolicy])
                })
            }
            return fetched
        }
    }

    func get(_ uri: String) async throws -> Fetched { try await get([uri])[0] }
}

extension String {
    /// The text between `start` and the next `end` after it, nil when either is missing.
    func between(_ start: String, _ end: String) -> String? {
        guard let from = range(of: start), let to = self[from.upperBound...].range(of: end) else { return nil }
        return String(self[from.upperBound..<to.lowerBound])
    }

    /// How often `needle` occurs.
    func occurrences(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
