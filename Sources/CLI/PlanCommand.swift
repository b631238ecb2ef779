import ArgumentParser
import Foundation
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
                plan's graph coloured by status; svg needs graphviz's dot). Exit status 1 when \
                the configuration has errors.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, dot, svg }

        @OptionGroup var config: ConfigOptions
        @Option(help: "Plan builds of this repo only.") var repo: String?
        @Option(help: "Output format: text, json, dot or svg.") var format: Format = .text
        @Option(help: "Estimate the makespan for this many workers.") var workers: Int = 1
        @Option(parsing: .upToNextOption, help: "Rebuild these pkgbases even if current.") var rebuild: [String] = []
        @Flag(help: "With --rebuild: also rebuild everything that depends on them, transitively.") var reverse = false
        @Flag(help: "Parse every PKGBUILD, neither reading nor writing the parse cache in the state directory.") var noCache = false

        func validate() throws {
            if workers < 1 { throw ValidationError("--workers must be at least 1") }
            if reverse && rebuild.isEmpty { throw ValidationError("--reverse needs --rebuild PKG...") }
        }

        func run() throws {
            // the output of the last run is reused when no input changed (see PlanOutputCache)
            let loaded = try loadValidConfiguration(config)
            let cacheFile = PlanOutputCache.file(stateDirectory: loaded.global.stateDir)
            let fingerprint = noCache ? nil : loaded.planFingerprint(
                options: "\(format.rawValue)|\(repo ?? "")|\(rebuild.joined(separator: ","))|\(reverse)|\(workers)")
            if let fingerprint, let cached = PlanOutputCache.load(from: cacheFile, fingerprint: fingerprint) {
                for warning in cached.warnings { printError(warning) }
                print(cached.stdout, terminator: "")
                return
            }
            let (plan, problems) = try loadPlan(config: config, options: PlanOptions(repo: repo, rebuild: rebuild, reverse: reverse), cache: !noCache)
            let warnings = problems.map { "warning: \($0)" }
            for warning in warnings { printError(warning) }
            let output: String
            switch format {
            case .text: output = PlanText(plan: plan, workers: workers).text
            case .json: output = plan.jsonText + "\n"
            case .dot: output = PlanDot(plan: plan).text
            case .svg: output = try PlanDot(plan: plan).svg()
            }
            print(output, terminator: "")
            if let fingerprint {
                PlanOutputCache.save(PlanOutputCache.Output(stdout: output, warnings: warnings), to: cacheFile, fingerprint: fingerprint)
            }
        }
    }
}

/// Loads the configuration and makes the plan; configuration errors stop it (exit 1).
/// With `cache`, PKGBUILDs unchanged since the last run are taken from the parse cache.
func loadPlan(config: ConfigOptions, options: PlanOptions, cache: Bool = true) throws -> (Plan, [PlanInputProblem]) {
    let loaded = try loadValidConfiguration(config)
    if let repo = options.repo, loaded.repo(named: repo) == nil {
        throw ValidationError("no repo '\(repo)' in \(loaded.directory) (repos: \(loaded.repos.map(\.name).joined(separator: ", ")))")
    }
    let (repos, problems) = loaded.planRepos(cache: cache ? loaded.parseCacheFile : nil)
    do {
        return (try Plan.make(repos: repos, options: options), problems)
    } catch {
        throw ValidationError(error.description)
    }
}
