import Foundation
import Hummingbird
import Scheduler

/// Signing in and out: accounts of `[web] users`, sessions in a cookie, API tokens.
extension WebSite {
    static let sessionCookie = "pacbuild_session"

    /// The account or token of a request: `Authorization: Bearer TOKEN` of `[web]
    /// tokens`, or a live session's cookie. nil: anonymous.
    func viewer(_ request: Request) async -> Viewer? {
        let web = configuration.global.web
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            let digest = Passwords.sha256(String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces))
            return web.tokens.first { $0.sha256 == digest }.map { Viewer(name: $0.name, role: $0.role, via: .token) }
        }
        guard let id = request.cookies[Self.sessionCookie]?.value, let session = await sessions.session(id),
              let account = web.users.first(where: { $0.name == session.name }) else { return nil }
        // the role as configured now: an account removed or demoted since loses it
        return Viewer(name: account.name, role: account.role, via: .session(csrf: session.csrf))
    }

    func addAuth(to router: Router<BasicRequestContext>) {
        let site = self
        router.get("/login") { request, _ in await site.page("login", LoginView(site.configuration.global.web, problem: nil), for: request) }
        router.post("/login") { request, context in
            let form = try await Self.form(LoginForm.self, request, context)
            let web = site.configuration.global.web
            let account = web.users.first { $0.name == form.name }
            // bcrypt is slow on purpose: off the event loop, and as slow for a name no account has
            let hash = account?.passwordHash ?? Self.unknownAccountHash
            let valid = try await blocking { Passwords.verify(form.password, hash: hash) }
            guard let account, valid else {
                var page = site.page("login", LoginView(web, problem: "Wrong name or password."), viewer: nil)
                page.status = .unauthorized
                return try page.response(from: request, context: context)
            }
            let id = await site.sessions.open(name: account.name, role: account.role)
            var response = Response(status: .seeOther, headers: [.location: "/"])
            response.setCookie(Cookie(name: Self.sessionCookie, value: id, maxAge: Int(SessionStore.lifetime.components.seconds), path: "/",
                                      secure: web.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
        router.post("/logout") { request, context in
            let form = try await Self.form(CSRFForm.self, request, context)
            guard let viewer = await site.viewer(request), let csrf = viewer.csrf, csrf == form.csrf,
                  let id = request.cookies[Self.sessionCookie]?.value else {
                throw HTTPError(.forbidden, message: "not signed in, or the form is not this session's")
            }
            await site.sessions.close(id)
            var response = Response(status: .seeOther, headers: [.location: "/"])
            response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/",
                                      secure: site.configuration.global.web.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// Who may change the store with this request: a maintainer, and for a browser
    /// session the session's CSRF token in the form (`csrf`) or the `X-CSRF-Token`
    /// header. Throws 401 (anonymous) or 403.
    func actor(_ request: Request, csrf: String?) async throws -> Viewer {
        guard let viewer = await viewer(request) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"pacbuild\""], message: "sign in as a maintainer or send a maintainer's API token")
        }
        guard viewer.isMaintainer else { throw HTTPError(.forbidden, message: "\(viewer.name) is a viewer; this needs a maintainer") }
        if let expected = viewer.csrf {
            let sent = csrf ?? request.headers[.init("X-CSRF-Token")!]
            guard sent == expected else { throw HTTPError(.forbidden, message: "the form's CSRF token is not this session's (reload the page)") }
        }
        return viewer
    }

    /// A form body (`application/x-www-form-urlencoded`), at most 64 KiB.
    static func form<T: Decodable>(_ type: T.Type, _ request: Request, _ context: BasicRequestContext) async throws -> T {
        let body = try await request.body.collect(upTo: 64 * 1024)
        do {
            return try URLEncodedFormDecoder().decode(type, from: String(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the form is not what this page sends: \(error)")
        }
    }

    /// A bcrypt hash of no password anyone has, verified for a name no account has.
    static let unknownAccountHash = Passwords.hash(SessionStore.randomToken())
}

struct LoginForm: Decodable {
    var name: String
    var password: String
}

struct CSRFForm: Decodable {
    var csrf: String
}

/// The sign-in page.
struct LoginView {
    var title = "sign in"
    var problem: String?
    var noAccounts: Bool
    var publicPages: Bool

    init(_ web: WebSettings, problem: String?) {
        self.problem = problem
        noAccounts = web.users.isEmpty
        publicPages = web.publicPages
    }
}
