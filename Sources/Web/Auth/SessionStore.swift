import Scheduler
import Foundation

/// The signed-in sessions of one `pacbuild serve`, in memory: a restart signs everyone
/// out, which costs a login and loses nothing else. Each session has a random id (the
/// cookie) and its own random CSRF token, and ends after ``lifetime`` or at logout.
actor SessionStore {
    struct Session: Sendable {
        var name: String
        var role: WebSettings.Role
        var csrf: String
        var expires: ContinuousClock.Instant
    }

    static let lifetime: Duration = .seconds(12 * 3600)
    private var sessions: [String: Session] = [:]

    /// A new session; returns its id.
    func open(name: String, role: WebSettings.Role) -> String {
        let now = ContinuousClock.now
        sessions = sessions.filter { $0.value.expires > now }
        let id = Self.randomToken()
        sessions[id] = Session(name: name, role: role, csrf: Self.randomToken(), expires: now + Self.lifetime)
        return id
    }

    func session(_ id: String) -> Session? {
        guard let session = sessions[id] else { return nil }
        guard session.expires > .now else {
            sessions[id] = nil
            return nil
        }
        return session
    }

    func close(_ id: String) { sessions[id] = nil }

    /// 32 random bytes (the system's cryptographic generator) in hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
