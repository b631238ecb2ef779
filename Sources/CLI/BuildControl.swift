import Foundation
import ArgumentParser
import Graph
import Scheduler

/// A build named on the command line: `#12`/`12`, or a pkgbase (`repo/pkgbase` when two
/// repos have it), meaning its newest build; for a cycle member built twice, the pass of
/// the newest version that awaits review when one does (pass 1 is accepted before pass
/// 2), else its last pass.
struct BuildReference: ExpressibleByArgument {
    var text: String
    init?(argument: String) { text = argument }
    init(text: String) { self.text = text }

    func resolve(in store: any BuildStore, configuration: Configuration) throws -> BuildRecord {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        if let number = Int64(digits) { return try store.build(BuildID(number)) }
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let candidates = parts.count == 2 ? [PackageBaseID(repo: parts[0], pkgbase: parts[1])]
            : configuration.repos.map { PackageBaseID(repo: $0.name, pkgbase: text) }
        let newest = try candidates.compactMap { package -> BuildRecord? in
            let builds = try store.builds(of: package)
            guard let last = builds.last else { return nil }
            return builds.first { $0.version == last.version && $0.state == .built } ?? last
        }
        guard newest.count == 1, let build = newest.first else {
            throw ValidationError(newest.isEmpty ? "no build of '\(text)' in the store"
                : "'\(text)' is built in several repos (\(newest.map(\.package.repo).joined(separator: ", "))): say repo/\(text)")
        }
        return build
    }
}

extension Pacbuild {
    /// `pacbuild retry ID|PKG`.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Queue a failed, rejected, cancelled or blocked build again (a rejected version's mark is removed).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Argument(help: "Build ids (#12) or pkgbases.") var builds: [BuildReference]

        func run() throws {
            try forEachReviewedBuild(builds, config: config, store: store) { actions, store, build in
                try actions.retry(build.id)
                return "\(build.label): \(try store.build(build.id).state.name.rawValue)"
            }
        }
    }

    /// `pacbuild cancel ID|PKG`.
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel queued builds (a running one is cancelled when its worker reports).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Argument(help: "Build ids (#12) or pkgbases.") var builds: [BuildReference]

        func run() throws {
            try forEachReviewedBuild(builds, config: config, store: store) { actions, _, build in
                try actions.cancel(build.id)
                return "\(build.label): cancelled"
            }
        }
    }

    /// `pacbuild priority PKG N`.
    struct Priority: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "priority", abstract: "Set a queued build's priority (higher is claimed first).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Argument(help: "A build id (#12) or pkgbase.") var build: BuildReference
        @Argument(help: "The new priority.") var priority: Double

        func run() throws {
            try forEachReviewedBuild([build], config: config, store: store) { actions, _, build in
                try actions.setPriority(build.id, priority)
                return "\(build.label): priority \(priority)"
            }
        }
    }
}

/// Resolves each reference and applies `action`, printing its line; every failure is
/// reported and the others still run (exit 1 when any failed).
func forEachBuild(_ references: [BuildReference], config: ConfigOptions, store option: StoreOption,
                  _ action: (any BuildStore, BuildRecord) throws -> String) throws {
    let loaded = try loadValidConfiguration(config)
    try forEachBuild(references, configuration: loaded, store: try loaded.openStore(url: option.url), action)
}

/// ``forEachBuild(_:config:store:_:)`` for a review action, written to the store's audit
/// log under the local user (``cliActor``).
func forEachReviewedBuild(_ references: [BuildReference], config: ConfigOptions, store option: StoreOption,
                          _ action: (ReviewActions, any BuildStore, BuildRecord) throws -> String) throws {
    let loaded = try loadValidConfiguration(config)
    let store = try loaded.openStore(url: option.url)
    let actions = ReviewActions(store: store, repos: loaded.repos, stateDirectory: loaded.global.stateDir, actor: cliActor)
    try forEachBuild(references, configuration: loaded, store: store) { store, build in try action(actions, store, build) }
}

/// The audit log's name for whoever runs the CLI: `cli:` and the login name.
var cliActor: String {
    let name = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? String(geteuid())
    return "cli:" + name
}

/// ``forEachBuild(_:config:store:_:)`` with the configuration and store already open.
func forEachBuild(_ references: [BuildReference], configuration loaded: Configuration, store: any BuildStore,
                  _ action: (any BuildStore, BuildRecord) throws -> String) throws {
    var failed = false
    for reference in references {
        do {
            print(try action(store, try reference.resolve(in: store, configuration: loaded)))
        } catch {
            printError("\(reference.text): \(error)")
            failed = true
        }
    }
    if failed { throw ExitCode(1) }
}
