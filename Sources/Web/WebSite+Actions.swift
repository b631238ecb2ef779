import Foundation
import Hummingbird
import Scheduler

/// Review and control: accept, reject, retry, cancel and priority of one build, from the
/// build page's forms (a maintainer's session and its CSRF token) and from the API
/// (`POST /api/v1/builds/ID/ACTION` with a maintainer's token). Each runs through
/// ``ReviewActions`` as the CLI does and lands in the store's audit log.
extension WebSite {
    static let actions = ["accept", "reject", "retry", "cancel", "priority"]

    func addActions(to router: Router<BasicRequestContext>) {
        let site = self
        router.post("/builds/:id/:action") { request, context in
            let (id, action) = try Self.action(context)
            let form = try await Self.form(ActionForm.self, request, context)
            let viewer = try await site.actor(request, csrf: form.csrf ?? "")
            do {
                try await site.perform(action, on: id, form: form, as: viewer)
            } catch let error as HTTPError {
                throw error
            } catch {
                var page = site.page("refused", RefusedView(build: id, action: action, reason: "\(error)"), viewer: viewer)
                page.status = .conflict
                return try page.response(from: request, context: context)
            }
            return Response(status: .seeOther, headers: [.location: Paths.build(id)])
        }
        router.post("/api/v1/builds/:id/:action") { request, context in
            let (id, action) = try Self.action(context)
            let form = try await Self.jsonOrForm(request, context)
            let viewer = try await site.actor(request, csrf: form.csrf)
            do {
                try await site.perform(action, on: id, form: form, as: viewer)
            } catch let error as HTTPError {
                throw error
            } catch {
                throw HTTPError(.conflict, message: "\(action) of build \(id.rawValue) refused: \(error)")
            }
            let state = try await site.found { try site.store.build(id).state.name.rawValue }
            return Text.json(#"{"action":"\#(action)","build":\#(id.rawValue),"state":"\#(state)"}"#)
        }
    }

    private static func action(_ context: BasicRequestContext) throws -> (BuildID, String) {
        let id = try buildID(context)
        let action = try text(context, "action")
        guard actions.contains(action) else {
            throw HTTPError(.notFound, message: "no action '\(action)' (actions: \(actions.joined(separator: ", ")))")
        }
        return (id, action)
    }

    /// The API's body: JSON (`{"reason": "...", "priority": 5}`) or a form; may be empty.
    private static func jsonOrForm(_ request: Request, _ context: BasicRequestContext) async throws -> ActionForm {
        try await jsonOrForm(request, empty: ActionForm(), expected: "{\"reason\": ..., \"priority\": ...}")
    }

    /// An API body: JSON (with `Content-Type: application/json`) or a form, at most
    /// 64 KiB; `empty` when there is none. 400 naming `expected` when it is malformed.
    static func jsonOrForm<T: Decodable>(_ request: Request, empty: T, expected: String) async throws -> T {
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard body.readableBytes > 0 else { return empty }
        let text = String(buffer: body)
        do {
            if request.headers[.contentType]?.hasPrefix("application/json") == true {
                return try JSONDecoder().decode(T.self, from: Data(text.utf8))
            }
            return try URLEncodedFormDecoder().decode(T.self, from: text)
        } catch {
            throw HTTPError(.badRequest, message: "the body is neither \(expected) nor such a form: \(error)")
        }
    }

    private func perform(_ action: String, on id: BuildID, form: ActionForm, as viewer: Viewer) async throws {
        let actions = ReviewActions(store: store, repos: configuration.repos, stateDirectory: stateDirectory, actor: viewer.actor)
        let priority = form.priority.flatMap(Double.init)
        if action == "priority" && priority == nil {
            throw HTTPError(.badRequest, message: "a priority needs a number ('priority')")
        }
        _ = try await found { try store.build(id) }
        try await blocking {
            switch action {
            case "accept": _ = try actions.accept(id)
            case "reject": _ = try actions.reject(id, reason: form.reason ?? "")
            case "retry": try actions.retry(id)
            case "cancel": try actions.cancel(id)
            default: try actions.setPriority(id, priority ?? 0)
            }
        }
    }
}

/// The fields of every action's form; each action reads its own.
struct ActionForm: Decodable {
    var csrf: String?
    var reason: String?
    var priority: String?

    init() {}

    enum CodingKeys: String, CodingKey { case csrf, reason, priority }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        csrf = try container.decodeIfPresent(String.self, forKey: .csrf)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        // a number in JSON, text in a form
        if let number = try? container.decodeIfPresent(Double.self, forKey: .priority) {
            priority = String(number)
        } else {
            priority = try container.decodeIfPresent(String.self, forKey: .priority)
        }
    }
}

/// An action the store refused (a build in the wrong state, a missing reason).
struct RefusedView {
    var title: String
    var backPath: String
    var backName: String
    var action: String
    var reason: String

    init(build: BuildID, action: String, reason: String) {
        title = "#\(build.rawValue): \(action) refused"
        backPath = Paths.build(build)
        backName = "build"
        self.action = action
        self.reason = reason
    }

    init(set: Int64, action: String, reason: String) {
        title = "set \(set): \(action) refused"
        backPath = Paths.set(set)
        backName = "set"
        self.action = action
        self.reason = reason
    }
}
