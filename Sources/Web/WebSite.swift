import Foundation
import Hummingbird
import Mustache
import Scheduler

/// The web face over one store and configuration: what `pacbuild serve` runs. Pages and
/// the API read the store; a maintainer (a `[web]` account signed in, or an API token)
/// reviews and controls builds, each action in the store's audit log.
public struct WebSite: Sendable {
    public let configuration: Configuration
    public let store: any BuildStore
    /// How often a log stream looks for new lines (and, each `statePolls`-th time,
    /// whether the build is still running).
    public var logPollInterval: Duration = .milliseconds(250)
    let templates: MustacheLibrary
    /// The signed-in sessions.
    let sessions = SessionStore()

    public init(configuration: Configuration, store: any BuildStore) throws(WebError) {
        self.configuration = configuration
        self.store = store
        self.templates = try Templates.library()
    }

    var stateDirectory: String { configuration.global.stateDir }

    /// Every route: the pages, sign-in, actions, `/api/v1/...`, `/metrics`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: AccessMiddleware(site: self))
        addAuth(to: router)
        addActions(to: router)
        addPages(to: router)
        addSets(to: router)
        addAPI(to: router)
        router.get("/metrics") { _, _ in try await metricsResponse() }
        router.get("/assets/follow-log.js") { _, _ in Text(text: Templates.followLog, contentType: "text/javascript; charset=utf-8") }
        return router
    }

    /// The server on `address`, run by ``run(listen:)`` or by a test.
    public func application(listen address: ListenAddress) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(address.host, port: address.port), serverName: "pacbuild"))
    }

    /// Serves until SIGTERM or SIGINT (swift-service-lifecycle's graceful shutdown).
    public func run(listen address: ListenAddress) async throws {
        try await application(listen: address).runService()
    }

    /// A page rendered from a built-in template; every `{{value}}` in them is HTML-escaped.
    /// The navigation says who is signed in (with a sign-out form for a session).
    func page(_ name: String, _ view: Any, viewer: Viewer?) -> HTML {
        let context = PageContext(page: view, signedIn: viewer.map { SignedIn(name: $0.name, role: $0.role.rawValue, csrf: $0.csrf) })
        return HTML(text: templates.render(context, withTemplate: Templates.pageName(name)) ?? "template \(name) missing")
    }

    /// ``page(_:_:viewer:)`` for whoever sent `request`.
    func page(_ name: String, _ view: Any, for request: Request) async -> HTML {
        page(name, view, viewer: await viewer(request))
    }
}

/// What a page template sees: the page's view, and below it who is signed in (the
/// navigation's `{{#signedIn}}`).
struct PageContext {
    var page: Any
    var signedIn: SignedIn?
}

/// The account or token a page is shown to; `csrf` for a session's sign-out form.
struct SignedIn {
    var name: String
    var role: String
    var csrf: String?
}

/// An HTML page as a response (UTF-8, not cached: it shows the store as it is now).
/// Its policy allows scripts from this server only, no inline ones: should a value ever
/// reach a page unescaped, the browser still runs none of it.
struct HTML: ResponseGenerator {
    var text: String
    var status: HTTPResponse.Status = .ok

    static let policy = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           .contentSecurityPolicy: Self.policy, .xContentTypeOptions: "nosniff"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// An SVG picture as a response, under the pages' policy (it holds no script; should a
/// value ever reach it unescaped, none would run).
struct SVG: ResponseGenerator {
    var text: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store",
                                        .contentSecurityPolicy: HTML.policy, .xContentTypeOptions: "nosniff"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Plain text or JSON as a response.
struct Text: ResponseGenerator {
    var text: String
    var contentType: String

    static func json(_ text: String) -> Text { Text(text: text.hasSuffix("\n") ? text : text + "\n", contentType: "application/json; charset=utf-8") }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
