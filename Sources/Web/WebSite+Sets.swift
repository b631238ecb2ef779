import Foundation
import Hummingbird
import Scheduler

/// Rebuild sets in the browser and the API (docs/api.md#rebuild-sets): `/set/N`, and a
/// maintainer's `publish` (whole, or `closed`: the part closed under dependencies) and
/// `drop` (a member, `build`), from the set page's forms (session and CSRF token) and
/// from `POST /api/v1/set/N/ACTION` (a maintainer's token). Each runs through
/// ``ReviewActions`` as `pacbuild set publish|drop` does and lands in the audit log.
extension WebSite {
    static let setActions = ["publish", "drop"]

    func addSets(to router: Router<BasicRequestContext>) {
        let site = self
        router.get("/set/:id") { request, context in
            let id = try Self.setID(context)
            var view = try await site.found { try SetView.read(id, store: site.store) }
            let viewer = await site.viewer(request)
            if let viewer { view.sign(viewer) }
            return site.page("set", view, viewer: viewer)
        }
        router.post("/set/:id/:action") { request, context in
            let (id, action) = try Self.setAction(context)
            let form = try await Self.form(SetActionForm.self, request, context)
            let viewer = try await site.actor(request, csrf: form.csrf ?? "")
            do {
                _ = try await site.performOnSet(action, id, form: form, as: viewer)
            } catch let error as HTTPError {
                throw error
            } catch {
                var page = site.page("refused", RefusedView(set: id, action: action, reason: "\(error)"), viewer: viewer)
                page.status = .conflict
                return try page.response(from: request, context: context)
            }
            return Response(status: .seeOther, headers: [.location: Paths.set(id)])
        }
        let api = router.group("api/v1")
        api.get("sets") { request, _ in
            let all = ["1", "true", "yes"].contains(request.uri.queryParameters.get("all") ?? "")
            return Text.json(try await blocking {
                try ReportJSON.text(try site.store.rebuildSets(openOnly: !all).map { try RebuildSetReport($0, store: site.store) })
            })
        }
        api.get("set/:id") { _, context in
            let id = try Self.setID(context)
            return Text.json(try await site.found { try ReportJSON.text(try RebuildSetReport(try site.store.rebuildSet(id), store: site.store)) })
        }
        api.post("set/:id/:action") { request, context in
            let (id, action) = try Self.setAction(context)
            let form = try await Self.jsonOrForm(request, empty: SetActionForm(), expected: "{\"closed\": true} or {\"build\": ID}")
            let viewer = try await site.actor(request, csrf: form.csrf)
            let outcome: SetActionOutcome
            do {
                outcome = try await site.performOnSet(action, id, form: form, as: viewer)
            } catch let error as HTTPError {
                throw error
            } catch {
                throw HTTPError(.conflict, message: "\(action) of set \(id) refused: \(error)")
            }
            return Text.json(try ReportJSON.text(outcome))
        }
    }

    /// Runs `action` on set `id` as `viewer`; the store's and publisher's refusals are
    /// thrown as they are, a malformed request as 400, a missing set or build as 404.
    private func performOnSet(_ action: String, _ id: Int64, form: SetActionForm, as viewer: Viewer) async throws -> SetActionOutcome {
        let actions = ReviewActions(store: store, repos: configuration.repos, stateDirectory: stateDirectory, actor: viewer.actor)
        let store = self.store
        _ = try await found { try store.rebuildSet(id) }
        switch action {
        case "publish":
            let closed = form.closed ?? false
            return try await blocking {
                let publication = try actions.publishSet(id, closed: closed)
                return SetActionOutcome(action: closed ? "publish-closed" : "publish", set: try RebuildSetReport(publication.set, store: store),
                                        published: publication.published.map(\.id), leftOut: publication.leftOut)
            }
        default:
            guard let build = form.build else { throw HTTPError(.badRequest, message: "a drop names the member ('build', a build id)") }
            return try await found {
                guard try store.rebuildSet(id).live.contains(where: { $0.build == build }) else {
                    throw SchedulerError.invalidAction("\(build) is not a live member of set \(id)")
                }
                let (set, publication) = try actions.dropFromSet(build)
                return SetActionOutcome(action: "drop", set: try RebuildSetReport(set, store: store),
                                        published: publication?.published.map(\.id) ?? [], leftOut: [], dropped: build)
            }
        }
    }

    static func setID(_ context: BasicRequestContext) throws -> Int64 {
        let text = try self.text(context, "id")
        guard let number = Int64(text) else { throw HTTPError(.badRequest, message: "'\(text)' is not a set number") }
        return number
    }

    private static func setAction(_ context: BasicRequestContext) throws -> (Int64, String) {
        let id = try setID(context)
        let action = try text(context, "action")
        guard setActions.contains(action) else {
            throw HTTPError(.notFound, message: "no set action '\(action)' (actions: \(setActions.joined(separator: ", ")))")
        }
        return (id, action)
    }
}

/// What a set action did, as the API answers it.
struct SetActionOutcome: Encodable, Sendable {
    /// `publish`, `publish-closed` or `drop`.
    var action: String
    /// The set after it.
    var set: RebuildSetReport
    /// The members published now.
    var published: [BuildID]
    /// Live members a closed part left out, each with why.
    var leftOut: [String]
    var dropped: BuildID?
}

/// The fields of a set action's form or JSON body: `closed` (publish the closed part)
/// and `build` (the member to drop), a number in JSON, text (`12`, `#12`) in a form.
struct SetActionForm: Decodable {
    var csrf: String?
    var closed: Bool?
    var build: BuildID?

    init() {}

    enum CodingKeys: String, CodingKey { case csrf, closed, build }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        csrf = try container.decodeIfPresent(String.self, forKey: .csrf)
        if let flag = try? container.decodeIfPresent(Bool.self, forKey: .closed) {
            closed = flag
        } else if let text = try container.decodeIfPresent(String.self, forKey: .closed) {
            closed = ["1", "true", "yes", "on"].contains(text)
        }
        if let number = try? container.decodeIfPresent(Int64.self, forKey: .build) {
            build = BuildID(number)
        } else if let text = try container.decodeIfPresent(String.self, forKey: .build) {
            guard let number = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text) else {
                throw DecodingError.dataCorruptedError(forKey: .build, in: container, debugDescription: "'\(text)' is not a build id")
            }
            build = BuildID(number)
        }
    }
}
