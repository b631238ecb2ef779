import Hummingbird
import Scheduler

/// Who may read: with `[web] public = false`, every page, the API and the metrics need
/// a signed-in account or an API token; a page sends the browser to `/login`, the API
/// and metrics answer 401. The login page and the pages' script are always open.
/// State-changing requests check their own rights (``WebSite/actor(_:)``).
struct AccessMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let site: WebSite

    static let open = ["/login", "/assets/"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !site.configuration.global.web.publicPages, request.method == .get || request.method == .head,
              !Self.open.contains(where: { path == $0 || ($0.hasSuffix("/") && path.hasPrefix($0)) }) else {
            return try await next(request, context)
        }
        guard await site.viewer(request) == nil else { return try await next(request, context) }
        if path.hasPrefix("/api/") || path == "/metrics" {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"pacbuild\""],
                            message: "sign in or send an API token (Authorization: Bearer TOKEN)")
        }
        return Response(status: .seeOther, headers: [.location: "/login"])
    }
}
