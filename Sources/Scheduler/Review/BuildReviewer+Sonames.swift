import Foundation
import Graph
import Repo

extension BuildReviewer {
    /// What a build's soname changes are, and what could not be looked at.
    public struct SonameBumpResult: Sendable {
        public var bumps: [SonameBump] = []
        public var added: [String] = []
        public var problems: [String] = []
        /// The consumers' pkgbases with the version their repo holds, each once, by
        /// repo then pkgbase: what a soname rebuild (`soname_rebuilds = "auto"`) queues.
        public var consumerBases: [ConsumerBase] = []
        /// Each dropped soname's consumers with their pkgbases: what a set's closed part
        /// (``SetClosure``) must not leave behind.
        public var consumerPackages: [String: [SetClosure.Consumer]] = [:]
    }

    /// A pkgbase whose packages in `repo` need a soname a build drops.
    public struct ConsumerBase: Sendable, Hashable {
        public var package: PackageBaseID
        /// The version the repo's database holds.
        public var version: String
    }

    /// The soname bump of a build whose packages' facts are `facts` (`show`'s), against
    /// the repo's current packages of its pkgbase; no package file of the build is read.
    public mutating func sonameBump(of build: BuildRecord, facts: [PackageFacts]) -> SonameBumpResult {
        switch repoEntries(build.package.repo) {
        case .success(let entries): return sonameBump(of: build, built: facts, old: entries.filter { ($0.base ?? $0.name) == build.package.pkgbase })
        case .failure(let error): return SonameBumpResult(problems: [error.description])
        }
    }

    /// The sonames the repo's current packages of the pkgbase (`old`) provide and the
    /// build's packages no longer do, each with its consumers in the build's repo and
    /// the repos whose `depends_on` names it. Compared over the whole pkgbase, so a
    /// library moving between split packages is no bump. Nothing when the build's
    /// sonames are unknown (facts recorded before pacbuild read them) or nothing is old.
    mutating func sonameBump(of build: BuildRecord, built: [PackageFacts], old: [DatabaseEntry]) -> SonameBumpResult {
        var result = SonameBumpResult()
        for facts in built { sonames.remember(facts) }
        guard !old.isEmpty, !built.isEmpty, let repo = repos[build.package.repo], repo.sonameRebuilds != .off else { return result }
        guard built.allSatisfy({ $0.sonamesProvided != nil }) else { return result }
        let provided = Set(built.flatMap { $0.sonamesProvided ?? [] })
        var before = Set<String>()
        for entry in old {
            do { before.formUnion(try sonames.linkage(of: entry, pool: repo.pool).provides) } catch {
                result.problems.append("cannot read the sonames of the repo's \(entry.name): \(error)")
                return result
            }
        }
        result.added = provided.subtracting(before).sorted()
        let gone = before.subtracting(provided)
        guard !gone.isEmpty else { return result }
        var consumers: [String: [String]] = [:]
        var bases = Set<ConsumerBase>()
        for consumerRepo in repos.values.sorted(by: { $0.name < $1.name })
        where consumerRepo.name == repo.name || consumerRepo.dependsOn.contains(repo.name) {
            let entries: [DatabaseEntry]
            switch repoEntries(consumerRepo.name) {
            case .success(let list): entries = list
            case .failure(let error): result.problems.append(error.description); continue
            }
            for entry in entries where !(consumerRepo.name == repo.name && (entry.base ?? entry.name) == build.package.pkgbase) {
                let needs: [String]
                do { needs = try sonames.linkage(of: entry, pool: consumerRepo.pool).needs } catch {
                    result.problems.append("cannot read the sonames \(consumerRepo.name)/\(entry.name) needs: \(error)")
                    continue
                }
                let base = PackageBaseID(repo: consumerRepo.name, pkgbase: entry.base ?? entry.name)
                for soname in needs where gone.contains(soname) {
                    consumers[soname, default: []].append("\(consumerRepo.name)/\(entry.name)")
                    result.consumerPackages[soname, default: []].append(SetClosure.Consumer(package: base, name: "\(consumerRepo.name)/\(entry.name)"))
                }
                if needs.contains(where: gone.contains) {
                    bases.insert(ConsumerBase(package: base, version: entry.version.description))
                }
            }
        }
        result.consumerBases = bases.sorted { ($0.package.repo, $0.package.pkgbase) < ($1.package.repo, $1.package.pkgbase) }
        result.bumps = gone.sorted().map { SonameBump(soname: $0, consumers: (consumers[$0] ?? []).sorted()) }
        return result
    }
}
