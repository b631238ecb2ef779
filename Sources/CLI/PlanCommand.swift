import ArgumentParser
import Foundation
import Graph
import Sandbox
import Scheduler

extension Pacbuild {
    /// `pacbuild plan`: the dry run of a catch-up.
    struct PlanCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Show what a catch-up would build, in which order and why, and what is blocked.",
            discussion: """
                Reads every configured repo's PKGBUILD trees and database. Formats: text (for \
                people), json (schema pacbuild.plan/1, docs/plan-schema.md), dot and svg (the \
                plan's graph coloured by status; svg needs graphviz's dot, and is refused above \
                --max-nodes and stopped after --svg-timeout: --graph reduced|cycles|waves and --chain PKG \
                draw less). The text lists at most 25 items per list with the count of the rest \
                (--full: all of them). Exit status 1 when \
                the configuration has errors. PKGBUILDs the native reader cannot evaluate are read \
                by makepkg in a namespace sandbox without network over the configured build root \
                (--fallback sandbox, the default when that root exists; cached by content in the \
                state directory), or left needs-fallback (--fallback none).
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, dot, svg }

        @OptionGroup var config: ConfigOptions
        @Option(help: "Plan builds of this repo only.") var repo: String?
        @Option(help: "Output format: text, json, dot or svg.") var format: Format = .text
        @Option(help: "Estimate the makespan for this many workers.") var workers: Int = 1
        @Option(parsing: .upToNextOption, help: "Rebuild these pkgbases even if current.") var rebuild: [String] = []
        @Flag(help: "With --rebuild: also rebuild everything that depends on them, transitively.") var reverse = false
        @Option(parsing: .upToNextOption, help: ArgumentHelp(
            "Plan a bump of these sonames (libfoo.so: any version; libfoo.so.1: that one): rebuild the pkgbases whose packages in the pools provide one and those whose ELF files need one, and preview that set alone for --workers.",
            valueName: "soname"))
        var sonameBump: [String] = []
        @Flag(help: "With --reverse: the closure does not follow checkdepends edges (as arch-rebuild-order does by default).")
        var noCheckdepends = false
        @Flag(help: "With --reverse: the closure does not follow makedepends edges.") var noMakedepends = false
        @Flag(help: "Text: every item of every list (default: the first 25 of each, and how many more).") var full = false
        @Option(help: "dot and svg: full, reduced (implied edges left out), cycles (each cycle one node, reduced) or waves.")
        var graph: PlanDot.View = .full
        @Option(help: "dot and svg: only this package and what it waits for, transitively, and what blocks it.") var chain: String?
        @Option(help: "svg: refuse a picture of more nodes than this (graphviz's time grows much faster than its size).")
        var maxNodes = 2000
        @Option(help: "svg: stop graphviz after this many seconds.") var svgTimeout = 120
        @Flag(help: "Parse every PKGBUILD, neither reading nor writing the parse cache in the state directory.") var noCache = false
        @Option(help: "PKGBUILDs the reader cannot evaluate: sandbox (makepkg in a sandbox) or none (default: sandbox when the build root exists).")
        var fallback: FallbackMode?

        /// Who provides and needs `request`; a soname no pool provides is a usage error.
        static func users(of request: String, in loaded: Configuration) throws -> SonameUsers {
            let users = SonameUsers.find(request, in: loaded.repos, stateDirectory: loaded.global.stateDir)
            guard !users.providers.isEmpty else {
                throw ValidationError("--soname-bump \(request): no package in the pools of \(loaded.repos.map(\.name).joined(separator: ", ")) "
                                      + "provides it (sonames are read from the ELF files of the packages the databases list)"
                                      + (users.problems.isEmpty ? "" : "; not read: " + users.problems.joined(separator: "; ")))
            }
            return users
        }

        func validate() throws {
            if workers < 1 { throw ValidationError("--workers must be at least 1") }
            if maxNodes < 1 || svgTimeout < 1 { throw ValidationError("--max-nodes and --svg-timeout must be at least 1") }
            if reverse && rebuild.isEmpty { throw ValidationError("--reverse needs --rebuild PKG...") }
            if (noCheckdepends || noMakedepends) && !reverse {
                throw ValidationError("--no-checkdepends and --no-makedepends need --rebuild PKG... --reverse")
            }
        }

        func run() throws {
            // the output of the last run is reused when no input changed (see PlanOutputCache)
            let loaded = try loadValidConfiguration(config)
            let fallback = try PlanFallbackChoice(fallback, configuration: loaded)
            let cacheFile = PlanOutputCache.file(stateDirectory: loaded.global.stateDir)
            // the pools' package files are no input of the fingerprint
            let fingerprint = noCache || !sonameBump.isEmpty ? nil : loaded.planFingerprint(
                options: "\(format.rawValue)|\(repo ?? "")|\(rebuild.joined(separator: ","))|\(reverse)|\(noCheckdepends)|\(noMakedepends)|\(workers)|\(fallback.key)"
                    + "|\(full)|\(graph.rawValue)|\(chain ?? "")|\(maxNodes)|\(svgTimeout)")
            if let fingerprint, let cached = PlanOutputCache.load(from: cacheFile, fingerprint: fingerprint) {
                for warning in cached.warnings { printError(warning) }
                print(cached.stdout, terminator: "")
                return
            }
            let users = try sonameBump.map { request in try Self.users(of: request, in: loaded) }
            let set = users.flatMap { $0.providers + $0.consumerBases }
            var options = PlanOptions(repo: repo, rebuild: rebuild + set.filter { !rebuild.contains($0) }, reverse: reverse)
            if noCheckdepends { options.reverseKinds.remove(.checkdepends) }
            if noMakedepends { options.reverseKinds.remove(.makedepends) }
            var (plan, problems, report) = try loadPlan(loaded, options: options, cache: !noCache, fallback: fallback)
            if !users.isEmpty {
                let preview = try RebuildSetPreview(plan: plan, members: Set(set), arches: Dictionary(loaded.repos.map { ($0.name, $0.arch) }) { a, _ in a },
                                                    workers: workers, expectedTime: options.expectedTime)
                plan.sonameBump = PlanSonameBump(sonames: users, set: preview)
            }
            // `--rebuild --reverse`: what its set costs on its own, as a soname bump's
            var sets = plan.sets ?? []
            for n in sets.indices where sets[n].kind == "rebuild" {
                sets[n].preview = try RebuildSetPreview(plan: plan, members: Set(sets[n].members),
                                                        arches: Dictionary(loaded.repos.map { ($0.name, $0.arch) }) { a, _ in a },
                                                        workers: workers, expectedTime: options.expectedTime)
            }
            if !sets.isEmpty { plan.sets = sets }
            let warnings = problems.map { "warning: \($0)" }
            for warning in warnings { printError(warning) }
            let output: String
            switch format {
            case .text: output = PlanText(plan: plan, workers: workers, fallback: report.line, list: ShortList(full: full)).text
            case .json: output = plan.jsonText + "\n"
            case .dot: output = try PlanDot(plan: plan, view: graph, chain: chain).text
            case .svg: output = try PlanSVG(maxNodes: maxNodes, timeout: svgTimeout).render(PlanDot(plan: plan, view: graph, chain: chain).picture())
            }
            print(output, terminator: "")
            // a sourced helper of a PKGBUILD makepkg read is not among the fingerprint's
            // inputs, so such a plan is made again next time (from the fallback's cache)
            if let fingerprint, report.summary.map({ $0.read + $0.failed }) ?? 0 == 0 {
                PlanOutputCache.save(PlanOutputCache.Output(stdout: output, warnings: warnings), to: cacheFile, fingerprint: fingerprint)
            }
        }
    }
}

/// Makes the plan of a loaded configuration (an unknown `--repo` is a usage error).
/// With `cache`, PKGBUILDs unchanged since the last run are taken from the parse cache;
/// PKGBUILDs that need makepkg are read by it as `fallback` says (default: when the build
/// root exists).
func loadPlan(_ loaded: Configuration, options: PlanOptions, cache: Bool = true,
              fallback: PlanFallbackChoice? = nil) throws -> (Plan, [PlanInputProblem], PlanFallbackChoice.Report) {
    if let repo = options.repo, loaded.repo(named: repo) == nil {
        throw ValidationError("no repo '\(repo)' in \(loaded.directory) (repos: \(loaded.repos.map(\.name).joined(separator: ", ")))")
    }
    var (repos, problems, cacheWrite) = loaded.planReposWritingCacheMeanwhile(cache: cache ? loaded.parseCacheFile : nil)
    // the parse cache is written while the plan is made
    defer { if let cacheWrite { _ = cacheWrite.wait() } }
    let report = try (fallback ?? PlanFallbackChoice(nil, configuration: loaded)).apply(to: &repos, configuration: loaded, problems: &problems)
    do {
        let plan = try Plan.make(repos: repos, options: options)
        releaseInBackground(consume repos)
        return (plan, problems + (cacheWrite?.wait() ?? []), report)
    } catch {
        throw ValidationError(error.description)
    }
}

/// `--fallback` resolved against the configuration: the fallback to use, or why none.
struct PlanFallbackChoice {
    var fallback: PlanFallback?
    /// Why there is no fallback: asked for none, or no build root.
    var absence: String

    /// `mode` nil: the sandbox when the build root opens, none (and the reason) otherwise;
    /// `.sandbox` without a usable root is an error.
    init(_ mode: FallbackMode?, configuration: Configuration) throws {
        absence = "--fallback none"
        guard mode != FallbackMode.none else { return }
        do { fallback = try configuration.planFallback() } catch {
            if mode == .sandbox { throw ValidationError("--fallback sandbox: \(error)") }
            absence = "unavailable: \(error)"
        }
    }

    /// What the plan output cache keys on: the mode, and the root it runs over.
    var key: String { fallback.map { "sandbox:\($0.root.directory)" } ?? "none" }

    /// What the fallback did, for the report.
    struct Report {
        var summary: PlanFallback.Summary?
        var line: String
    }

    func apply(to repos: inout [PlanRepo], configuration: Configuration, problems: inout [PlanInputProblem]) -> Report {
        guard let fallback else { return Report(summary: nil, line: "fallback: none (\(absence)); PKGBUILDs that need makepkg stay needs-fallback") }
        let (summary, more) = configuration.readFallbacks(into: &repos, with: fallback)
        problems += more
        return Report(summary: summary, line: "fallback: makepkg in a namespace sandbox over build root '\(fallback.root.name)': "
                      + "\(summary.read) PKGBUILD\(summary.read == 1 ? "" : "s") read (\(summary.fromCache) from the cache), \(summary.failed) failed")
    }
}
