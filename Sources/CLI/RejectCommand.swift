import Foundation
import ArgumentParser
import Scheduler

extension Pacbuild {
    /// `pacbuild reject ID... --reason TEXT`.
    struct RejectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reject",
            abstract: "Reject built builds: their versions are marked and never queued again.",
            discussion: """
                Dependents become blocked, including those a staged build made ready or that were built against it; \
                staged builds among them leave their staging repos. A newer PKGBUILD version is queued as usual and \
                clears the mark; pacbuild unreject undoes it.
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Option(help: "Why, for the record (shown by show and status).") var reason: String
        @Argument(help: "Build ids (#12) or pkgbases.") var builds: [BuildReference]

        func validate() throws {
            if builds.isEmpty { throw ValidationError("name at least one build") }
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why") }
        }

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let buildStore = try loaded.openStore(url: store.url)
            let actions = ReviewActions(store: buildStore, repos: loaded.repos, stateDirectory: loaded.global.stateDir, actor: cliActor)
            try forEachBuild(builds, configuration: loaded, store: buildStore) { _, build in
                let rejection = try actions.reject(build.id, reason: reason)
                var lines = ["\(build.label): rejected, version marked"]
                lines += rejection.blocked.map { "  blocked \($0.label)" }
                // Out of staging: the rejected build and the builds made against it.
                lines += rejection.leftStaging.map { "  left staging \(($0 as NSString).lastPathComponent)" }
                return lines.joined(separator: "\n")
            }
        }
    }

    /// `pacbuild unreject ID...`.
    struct UnrejectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unreject",
            abstract: "Undo a rejection: remove the version's mark and queue the build again.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Argument(help: "Build ids (#12) or pkgbases.") var builds: [BuildReference]

        func run() throws {
            try forEachBuild(builds, config: config, store: store) { store, build in
                // The build row is unique per version, so catchup cannot queue the version
                // again while it stays rejected: undoing means the mark goes and it is retried.
                if build.state == .rejected {
                    try store.retry(build.id)
                    return "\(build.label): mark removed, \(try store.build(build.id).state)"
                }
                guard try store.marks().contains(where: { $0.package == build.package && $0.version == build.version }) else {
                    throw ValidationError("\(build.label) is \(build.state), not rejected")
                }
                try store.unmark(build.package, version: build.version)
                return "\(build.label): mark removed"
            }
        }
    }
}
