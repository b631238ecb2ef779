import Foundation
import Graph
import Hummingbird
import Scheduler

extension WebSite {
    /// The HTML pages (readable without JavaScript; the build page's log follows the
    /// build live through `/builds/ID/log/stream` where JavaScript runs).
    func addPages(to router: Router<BasicRequestContext>) {
        let site = self
        router.get("/") { request, _ in
            let (status, failed) = try await blocking {
                (try StatusReport.read(from: site.store, next: 20), try site.store.builds(state: .failed, repo: nil, limit: nil))
            }
            return await site.page("overview", OverviewView(status: status, failed: failed, configuration: site.configuration), for: request)
        }
        router.get("/queue") { request, _ in
            let from = request.uri.queryParameters.get("from", as: Int.self) ?? 0
            return await site.page("queue", try await blocking { try QueueView.read(from: site.store, from: from) }, for: request)
        }
        router.get("/builds/:id") { request, context in
            let id = try Self.buildID(context)
            var view = try await site.found { try BuildView.read(id, store: site.store, stateDirectory: site.stateDirectory) }
            let viewer = await site.viewer(request)
            if let viewer { view.sign(viewer) }
            return site.page("build", view, viewer: viewer)
        }
        router.get("/builds/:id/log/stream") { request, context in
            let id = try Self.buildID(context)
            _ = try await site.found { try site.store.build(id) }
            // an EventSource reconnecting says where it was
            let resume = request.headers.first { $0.name.canonicalName == "last-event-id" }.flatMap { Int64($0.value) }
            return LogStream(site: site, build: id, offset: resume ?? request.uri.queryParameters.get("offset", as: Int64.self) ?? 0).response
        }
        router.get("/plan") { request, _ in
            await site.page("plan", PlanView(try await blocking { try site.plan() }), for: request)
        }
        router.get("/plan.svg") { _, _ in
            guard let graph = PlanGraph(try await blocking { try site.plan() }.entries) else {
                throw HTTPError(.notFound, message: "nothing is planned, or more than \(PlanGraph.maxNodes) builds: no graph")
            }
            return SVG(text: site.templates.render(graph, withTemplate: "plansvg") ?? "")
        }
        router.get("/why/:name") { request, context in try await site.whyPage(try Self.text(context, "name"), for: request) }
        router.get("/why/:name/:pkgbase") { request, context in
            try await site.whyPage(try Self.text(context, "name") + "/" + Self.text(context, "pkgbase"), for: request)
        }
        router.get("/packages/:repo/:pkgbase") { request, context in
            let id = PackageBaseID(repo: try Self.text(context, "repo"), pkgbase: try Self.text(context, "pkgbase"))
            let view = try await blocking { try PackageView.read(id, store: site.store) }
            guard !view.builds.isEmpty || !view.marks.isEmpty else {
                throw HTTPError(.notFound, message: "the store holds no build of \(id)")
            }
            return await site.page("package", view, for: request)
        }
    }

    func whyPage(_ name: String, for request: Request) async throws -> HTML {
        await page("why", WhyView(name, try await explanations(name)), for: request)
    }

    /// The store's answer, a missing build as 404.
    func found<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await blocking(body)
        } catch StoreError.noSuchBuild(let id) {
            throw HTTPError(.notFound, message: "no build \(id) in the store")
        } catch StoreError.noSuchSet(let id) {
            throw HTTPError(.notFound, message: "no rebuild set \(id) in the store")
        }
    }

    static func buildID(_ context: BasicRequestContext) throws -> BuildID {
        let text = try self.text(context, "id")
        guard let number = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text) else {
            throw HTTPError(.badRequest, message: "'\(text)' is not a build id (a number)")
        }
        return BuildID(number)
    }

    static func text(_ context: BasicRequestContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }
}
