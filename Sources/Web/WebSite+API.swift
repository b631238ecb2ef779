import Foundation
import Hummingbird
import Scheduler

extension WebSite {
    /// `/api/v1/...`: the JSON of the CLI's `--json` output, through the same types and
    /// encoder (``ReportJSON``); docs/api.md.
    func addAPI(to router: Router<BasicRequestContext>) {
        let site = self
        let api = router.group("api/v1")
        api.get("status") { request, _ in
            let next = request.uri.queryParameters.get("next", as: Int.self) ?? 10
            return Text.json(try await blocking { try ReportJSON.text(try StatusReport.read(from: site.store, next: next)) })
        }
        api.get("builds") { request, _ in
            let query = request.uri.queryParameters
            let state = try query.get("state").map { text in
                guard let state = BuildState.Name(rawValue: text) else {
                    throw HTTPError(.badRequest, message: "state '\(text)' is none of \(BuildState.Name.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return state
            }
            let repo = query.get("repo"), limit = query.get("limit", as: Int.self)
            return Text.json(try await blocking { try ReportJSON.text(try site.store.builds(state: state, repo: repo, limit: limit)) })
        }
        api.get("builds/:id") { _, context in
            let id = try Self.buildID(context)
            return Text.json(try await site.found {
                try ReportJSON.text(try BuildDetail.read(try site.store.build(id), from: site.store, stateDirectory: site.stateDirectory))
            })
        }
        api.get("builds/:id/log") { _, context in
            let id = try Self.buildID(context)
            let path = try await site.found { () throws -> String? in
                try? BuildLogs(store: site.store, stateDirectory: site.stateDirectory).readablePath(of: try site.store.build(id))
            }
            guard let path, let data = FileManager.default.contents(atPath: path) else {
                throw HTTPError(.notFound, message: "build \(id) has no log readable here or in the store")
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        api.get("checkbuilds") { request, _ in
            let repo = request.uri.queryParameters.get("repo")
            return Text.json(try await blocking {
                var reviewer = BuildReviewer(repos: site.configuration.repos, store: site.store, stateDirectory: site.stateDirectory)
                let builds = try site.store.builds(state: .built, repo: repo, limit: nil).sorted { $0.id < $1.id }
                return try ReportJSON.text(builds.map { reviewer.review($0) })
            })
        }
        api.get("plan") { _, _ in
            Text.json(try await blocking { try site.plan().jsonText })
        }
        api.get("why/:name") { _, context in try await site.why(try Self.text(context, "name")) }
        // one parameter name at one place (the router refuses two): here `name` is the repo
        api.get("why/:name/:pkgbase") { _, context in
            try await site.why(try Self.text(context, "name") + "/" + Self.text(context, "pkgbase"))
        }
    }

    /// `pacbuild why --json NAME`.
    func why(_ name: String) async throws -> Text {
        Text.json(try ReportJSON.text(try await explanations(name)))
    }

    /// What `why` says of `name`; 404 when the plan has no such package.
    func explanations(_ name: String) async throws -> [PackageExplanation] {
        let site = self
        return try await blocking {
            do {
                return try PackageExplanation.explain(name, in: try site.plan(), store: site.store)
            } catch SchedulerError.unknownPackage(let name, let repos) {
                throw HTTPError(.notFound, message: SchedulerError.unknownPackage(name, repos: repos).description)
            }
        }
    }

    /// The plan as `pacbuild plan` makes it by default: the parse cache, and makepkg in
    /// a sandbox for what the reader cannot evaluate when the build root exists.
    /// Blocking (it reads every PKGBUILD tree and database).
    func plan() throws -> Plan {
        var (repos, _) = configuration.planRepos(cache: configuration.parseCacheFile)
        if let fallback = try? configuration.planFallback() { _ = configuration.readFallbacks(into: &repos, with: fallback) }
        do {
            return try Plan.make(repos: repos, options: PlanOptions())
        } catch {
            throw HTTPError(.internalServerError, message: "cannot make the plan: \(error)")
        }
    }
}
