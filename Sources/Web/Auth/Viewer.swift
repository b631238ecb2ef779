import Scheduler

/// Who is asking: a signed-in account or an API token, with its role.
struct Viewer: Sendable, Equatable {
    var name: String
    var role: WebSettings.Role
    /// How the request proved it: a session cookie (state-changing forms then need the
    /// session's CSRF token) or an API token (no cookie, so no CSRF).
    var via: Credential

    enum Credential: Sendable, Equatable {
        case session(csrf: String)
        case token
    }

    var isMaintainer: Bool { role == .maintainer }

    /// The audit log's name: `web:alice` or `token:ci`.
    var actor: String {
        switch via {
        case .session: "web:" + name
        case .token: "token:" + name
        }
    }

    var csrf: String? {
        if case .session(let csrf) = via { return csrf }
        return nil
    }
}
