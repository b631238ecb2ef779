import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild accept ID...|--all`: publish reviewed builds.
    struct AcceptCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: "Publish built builds into their repos: verify, copy into the pool, update the database, run the hooks.",
            discussion: """
                Each package file must be of the build's pkgbase and version, with the sha256 recorded \
                when it was built. The files it replaces are deleted from the pool; dependents become \
                ready. A staged build leaves its staging repo; one whose dependency is still in \
                staging is refused (--all takes dependencies first). Waits for the repo lock while another update holds it. A re-run after a crash \
                completes a half-done accept (or run pacbuild recover).
                """)

        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Flag(help: "Accept every build awaiting review.") var all = false
        @Option(help: "With --all: only this repo's builds.") var repo: String?
        @Option(help: "Seconds to wait for a repo lock another update holds.") var lockTimeout: Double = 300
        @Argument(help: "Build ids (#12) or pkgbases.") var builds: [BuildReference] = []

        func validate() throws {
            if all == !builds.isEmpty { throw ValidationError("name builds or give --all (not both)") }
            if repo != nil && !all { throw ValidationError("--repo goes with --all") }
        }

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let buildStore = try loaded.openStore(url: store.url)
            let acceptor = Acceptor(store: buildStore, repos: loaded.repos,
                                    localArtifacts: Acceptor.fetchingArtifacts(from: buildStore, stateDirectory: loaded.global.stateDir))
            var actions = ReviewActions(store: buildStore, repos: loaded.repos, stateDirectory: loaded.global.stateDir, actor: cliActor)
            actions.lockTimeout = lockTimeout
            let references = all ? try acceptor.dependencyOrder(try buildStore.builds(state: .built, repo: repo, limit: nil))
                .map { BuildReference(text: String($0.id.rawValue)) } : builds
            if all && references.isEmpty { print("no builds await review"); return }
            try forEachBuild(references, configuration: loaded, store: buildStore) { _, build in
                AcceptText(outcome: try actions.accept(build.id)).text
            }
        }
    }
}

/// One accepted build: what entered and left the repo, warnings and hook results.
struct AcceptText {
    let outcome: Acceptor.Outcome

    var text: String {
        let build = outcome.build
        if outcome.alreadyAccepted { return "\(build.label): already accepted" }
        if let set = outcome.heldBy {
            return "\(build.label): approved, held by \(set.label) (\(set.reason)) until every member is built and approved "
                + "(`pacbuild set show \(set.id)`)"
        }
        if let publication = outcome.publication { return SetPublicationText(publication: publication).text }
        return (["\(build.label): accepted"] + Self.lines(outcome.publish)).joined(separator: "\n")
    }

    /// What one repo's publish did, indented.
    static func lines(_ publish: PublishResult) -> [String] {
        var lines = publish.added.map { "  added \(($0 as NSString).lastPathComponent)" }
        lines += publish.removed.map { "  removed \(($0 as NSString).lastPathComponent)" }
        lines += publish.unstaged.map { "  left staging \(($0 as NSString).lastPathComponent)" }
        lines += publish.warnings.map { "  warning: \($0)" }
        for hook in publish.hooks where !hook.succeeded {
            let why = hook.timedOut ? "timed out" : "exited \(hook.status)"
            lines.append("  hook failed (\(why)): \(hook.command)")
            lines += hook.output.split(separator: "\n").map { "    \($0)" }
        }
        return lines
    }
}

/// A rebuild set's publication: its members, then each repo's changes.
struct SetPublicationText {
    let publication: SetPublisher.Publication

    var text: String {
        var lines = ["\(publication.set.label) published (\(publication.set.reason)): "
                     + publication.published.map(\.label).joined(separator: ", ")]
        for repo in publication.results.keys.sorted() {
            lines.append(" \(repo):")
            lines += AcceptText.lines(publication.results[repo]!)
        }
        lines += publication.leftOut.map { "  left in the set: \($0)" }
        return lines.joined(separator: "\n")
    }
}
