import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild checkbuilds`: the review queue.
    struct CheckbuildsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkbuilds",
            abstract: "List the builds awaiting review, each against the version now in its repo.",
            discussion: """
                Per build: old -> new version, duration, worker, makepkg warnings in the log, and per \
                package its size and the files, depends and provides added and removed (sonames marked), \
                and each soname the repo's packages provide that the build no longer does, with the packages \
                (of its repo and the repos whose depends_on names it) whose ELF files need it.
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Option(help: "Only this repo's builds.") var repo: String?
        @Flag(help: "Print as JSON.") var json = false
        @Option(help: "File changes listed per package before the rest is counted.") var files = 10

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let buildStore = try loaded.openStore(url: store.url)
            let builds = try buildStore.builds(state: .built, repo: repo, limit: nil).sorted { $0.id < $1.id }
            var reviewer = BuildReviewer(repos: loaded.repos, store: buildStore, stateDirectory: loaded.global.stateDir)
            let reviews = builds.map { reviewer.review($0) }
            if json { print(try jsonText(reviews)); return }
            if reviews.isEmpty { print("no builds await review"); return }
            print(reviews.map { ReviewText(review: $0, fileLimit: files).text }.joined(separator: "\n"), terminator: "")
        }
    }
}

/// One build's review as text: a header line, then a block per package.
struct ReviewText {
    let review: BuildReview
    let fileLimit: Int

    var text: String {
        let r = review
        var header = "\(r.id) \(r.package) \(r.oldVersion ?? "(new)") -> \(r.newVersion)"
            + (r.pass > 1 ? " (pass \(r.pass) of a cycle, replaces pass 1)" : "")
        header += r.durationSeconds.map { ", \(duration($0))" } ?? ""
        header += r.worker.map { " on \($0)" } ?? ""
        header += r.warnings.map { ", \($0) warning\($0 == 1 ? "" : "s")" } ?? ", log not readable here"
        header += r.stagedIn.map { ", staged in \($0)" } ?? ""
        var lines = [header]
        for package in r.packages { lines += packageLines(package) }
        lines += r.droppedPackages.map { "  \($0): no longer built (still in the repo)" }
        lines += Self.sonameLines(r.sonameBumps, added: r.sonamesAdded).map { "  soname bump: " + $0 }
        lines += r.architectureFindings.map { "  arch: \($0)" }
        lines += r.problems.map { "  problem: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `libfoo.so.1-64 gone (new: libfoo.so.2-64), needed by 2 packages: core/a extra/b`.
    static func sonameLines(_ bumps: [SonameBump], added sonamesAdded: [String]) -> [String] {
        bumps.map { bump in
            let added = sonamesAdded.isEmpty ? "" : " (new: \(sonamesAdded.joined(separator: " ")))"
            let consumers = bump.consumers.isEmpty ? "needed by no package of the repos that see it"
                : "needed by \(bump.consumers.count) package\(bump.consumers.count == 1 ? "" : "s"): \(bump.consumers.joined(separator: " "))"
            return "\(bump.soname) gone\(added), \(consumers)"
        }
    }

    private func packageLines(_ p: PackageChange) -> [String] {
        var head = "  \(p.name) \(p.size.map(Self.bytes) ?? "?")"
        if let change = p.installedSizeChange {
            head += ", installed \(p.installedSize.map(Self.bytes) ?? "?") (\(change >= 0 ? "+" : "-")\(Self.bytes(abs(change))))"
        } else if p.oldVersion == nil {
            head += ", new package"
        }
        var lines = [head]
        lines += list("files", p.filesAdded, p.filesRemoved, limit: fileLimit)
        if let reason = p.filesUnavailable { lines.append("    files: not compared, \(reason)") }
        lines += list("depends", p.dependsAdded, p.dependsRemoved, limit: .max)
        lines += list("provides", p.providesAdded, p.providesRemoved, limit: .max)
        return lines
    }

    /// `+name` and `-name` lines, sonames flagged, cut after `limit` with a count.
    private func list(_ what: String, _ added: [String], _ removed: [String], limit: Int) -> [String] {
        let all = added.map { "+\($0)" } + removed.map { "-\($0)" }
        guard !all.isEmpty else { return [] }
        var lines = all.prefix(limit).map { "    \(what) \($0)\($0.contains(".so") ? "  [soname]" : "")" }
        if all.count > limit { lines.append("    \(what): \(all.count - limit) more (\(added.count) added, \(removed.count) removed)") }
        return lines
    }

    private func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : "\(s / 60)m\(String(format: "%02d", s % 60))s"
    }

    /// A size as `14 B`, `1.2 KiB`, `3.4 MiB`.
    static func bytes(_ n: Int64) -> String {
        n >= 1 << 20 ? String(format: "%.1f MiB", Double(n) / 1_048_576) : n >= 1024 ? String(format: "%.1f KiB", Double(n) / 1024) : "\(n) B"
    }
}
