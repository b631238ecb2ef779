import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild set ...`: rebuild sets, published together (docs/review.md#rebuild-sets).
    struct SetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Rebuild sets: a library that dropped a soname and the rebuilds of its consumers, published together.",
            subcommands: [List.self, Show.self, Drop.self, Publish.self])

        /// The review actions `set drop` and `set publish` run through, the same as the
        /// web face's (ReviewActions+Sets): artifacts fetched from the store when they are
        /// not on this machine, every published or dropped member in the audit log.
        static func actions(_ loaded: Configuration, _ store: any BuildStore, lockTimeout: Double) -> ReviewActions {
            var actions = ReviewActions(store: store, repos: loaded.repos, stateDirectory: loaded.global.stateDir, actor: cliActor)
            actions.lockTimeout = lockTimeout
            return actions
        }

        /// `pacbuild set ls`: the sets and what holds each.
        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the rebuild sets (open ones unless --all).")
            @OptionGroup var config: ConfigOptions
            @OptionGroup var store: StoreOption
            @Flag(help: "Published sets too.") var all = false
            @Flag(help: "JSON.") var json = false

            func run() throws {
                let loaded = try loadValidConfiguration(config)
                let buildStore = try loaded.openStore(url: store.url)
                let reports = try buildStore.rebuildSets(openOnly: !all).map { try RebuildSetReport($0, store: buildStore) }
                if json { print(try ReportJSON.text(reports)); return }
                if reports.isEmpty { print(all ? "no rebuild sets" : "no open rebuild sets"); return }
                print(reports.flatMap(\.lines).joined(separator: "\n"))
            }
        }

        /// `pacbuild set show SET`.
        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "One set: its members and what holds it.")
            @OptionGroup var config: ConfigOptions
            @OptionGroup var store: StoreOption
            @Flag(help: "JSON.") var json = false
            @Argument(help: "The set's number.") var set: Int64

            func run() throws {
                let loaded = try loadValidConfiguration(config)
                let buildStore = try loaded.openStore(url: store.url)
                let report = try RebuildSetReport(try buildStore.rebuildSet(set), store: buildStore)
                print(json ? try ReportJSON.text(report) : report.lines.joined(separator: "\n"))
            }
        }

        /// `pacbuild set drop BUILD...`: publish the set without these members.
        struct Drop: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "drop",
                abstract: "Take builds out of their open rebuild set; the set is published without them once the rest is built and approved.",
                discussion: "A dropped build stays as it is (a built one awaits review on its own). The packages its repo holds stay; "
                    + "if they need a soname the set's library drops, they break when the set is published.")
            @OptionGroup var config: ConfigOptions
            @OptionGroup var store: StoreOption
            @Option(help: "Seconds to wait for a repo lock another update holds.") var lockTimeout: Double = 300
            @Argument(help: "Build ids (#12) or pkgbases.") var builds: [BuildReference]

            func run() throws {
                let loaded = try loadValidConfiguration(config)
                let buildStore = try loaded.openStore(url: store.url)
                let actions = SetCommand.actions(loaded, buildStore, lockTimeout: lockTimeout)
                try forEachBuild(builds, configuration: loaded, store: buildStore) { _, build in
                    let (set, publication) = try actions.dropFromSet(build.id)
                    var text = "\(build.label): dropped from \(set.label)"
                    if let publication { text += "\n" + SetPublicationText(publication: publication).text }
                    return text
                }
            }
        }

        /// `pacbuild set publish [--closed] SET`.
        struct Publish: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "publish",
                abstract: "Publish a rebuild set: every member into every repo at once, all repos or none.",
                discussion: "Refused while a member is not built and approved, naming it. With --closed, the largest part of the "
                    + "set whose members are built and approved, whose dependencies in the set are in it too, and whose dropped "
                    + "sonames no package left behind (a member left out, or any package of the repos not rebuilt now) still "
                    + "needs is published; the rest stays in the set, each with why.")
            @OptionGroup var config: ConfigOptions
            @OptionGroup var store: StoreOption
            @Flag(help: "Publish the part closed under dependencies.") var closed = false
            @Option(help: "Seconds to wait for a repo lock another update holds.") var lockTimeout: Double = 300
            @Argument(help: "The set's number.") var set: Int64

            func run() throws {
                let loaded = try loadValidConfiguration(config)
                let buildStore = try loaded.openStore(url: store.url)
                let rebuildSet = try buildStore.rebuildSet(set)
                guard rebuildSet.state == .open else { print("\(rebuildSet.label) is published already"); return }
                let publication: SetPublisher.Publication
                do {
                    publication = try SetCommand.actions(loaded, buildStore, lockTimeout: lockTimeout).publishSet(set, closed: closed)
                } catch let refusal as SchedulerError {
                    printError("\(refusal)")
                    throw ExitCode(1)
                }
                print(SetPublicationText(publication: publication).text)
            }
        }
    }
}
