import Foundation
import Scheduler

/// One line of text per waka event, shared by `pacbuild waka` and `pacbuild run`.
enum WakaEventText {
    static func line(_ event: WakaEvent) -> String {
        switch event {
        case .started(let info, let returned):
            return "waka \(info.name) on \(info.host): \(info.slots) slot(s), arches \(info.arches.joined(separator: " "))"
                + (returned.isEmpty ? "" : "; gave back \(returned.map(\.description).joined(separator: " ")) held from before")
        case .repositoriesMissing(let names):
            return "no database of \(names.joined(separator: ", ")) on this machine (yet): builds install packages of these repos "
                + "only from their own dependency builds (the store's uploads, or this machine's artifacts)"
        case .swept(let paths):
            return "removed what a dead earlier run left: \(paths.joined(separator: " "))"
        case .repositoriesUnpublished(let names):
            return "no database of \(names.joined(separator: ", ")) at its server yet (not published): builds leave it out "
                + "until its first publish"
        case .claimed(let build, let slot):
            return "building \(build.label) (slot \(slot))"
        case .finished(let build, _):
            if let failure = build.state.failureClass {
                return "FAILED \(build.label): \(failure.rawValue): \(build.reason ?? "")" + (build.log.map { "; log: \($0)" } ?? "")
            }
            return "built \(build.label)" + duration(build)
        case .staged(let build):
            return "staged \(build.label) in \(build.package.repo)'s staging repo; it awaits review"
        case .stageFailed(let build, let reason):
            return "could not stage \(build.label), its dependents wait for its accept: \(reason)"
        case .accepted(let build):
            return "accepted \(build.label) into \(build.package.repo)"
        case .setOpened(let set, let members, let problems):
            return "\(set.label): \(set.reason); rebuilding \(members.map { "\($0.package) \($0.version)" }.joined(separator: ", ")), "
                + "published together" + problems.map { "; \($0)" }.joined()
        case .heldBySet(let build, let set):
            return "approved \(build.label), held by \(set.label) until every member is built and approved"
        case .setPublished(let publication):
            return "published \(publication.set.label) into \(publication.results.keys.sorted().joined(separator: ", ")): "
                + publication.published.map(\.label).joined(separator: ", ")
        case .setFailed(let build, let reason):
            return "could not open the rebuild set of \(build.label): \(reason)"
        case .acceptFailed(let build, let reason):
            return "could not accept \(build.label), it awaits review: \(reason)"
        case .publishingRefused(let message):
            return "the store refuses this waka's publishing (a worker role?): builds of staging and review = \"auto\" repos "
                + "wait for the store owner's waka or `pacbuild accept`: \(message)"
        case .gaveBack(let build, _):
            return "gave back \(build.label) unfinished"
        case .expired(let ids):
            return "leases expired: \(ids.map(\.description).joined(separator: " ")) (back to ready)"
        case .cachePruned(let files, let bytes, let kept):
            return "package caches pruned: \(files) least recently used file(s), \(bytes >> 20) MiB; \(kept >> 20) MiB kept"
        case .storeError(let message):
            return "store error (retrying): \(message)"
        case .stopping(let grace):
            return "stopping: no more claims; running builds get \(Int(grace)) s, then they are given back (signal again to stop now)"
        }
    }

    private static func duration(_ build: BuildRecord) -> String {
        guard let start = build.startedAt, let end = build.finishedAt else { return "" }
        return String(format: " in %.1f s", end.timeIntervalSince(start))
    }
}
